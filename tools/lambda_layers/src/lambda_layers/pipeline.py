"""The build: lock -> assemble -> prune -> strip -> compile -> verify -> write, per target."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lambda_layers import __version__
from lambda_layers.archive import sha256_of, write_zip
from lambda_layers.assemble import build_workspace_wheels, workspace_requirements
from lambda_layers.builders import Assembly, Builder
from lambda_layers.console import console, step
from lambda_layers.differences import version_notes
from lambda_layers.errors import LayerToolError
from lambda_layers.imports_check import check_imports
from lambda_layers.inventory import inventory_of_tree
from lambda_layers.locks import Lock, add_notes, compile_lock, installable, read_lock
from lambda_layers.manifest import LayerEntry, Manifest, read_manifest, write_manifest
from lambda_layers.native_tools import strip_debug
from lambda_layers.prune import prune
from lambda_layers.report import size_table, summary_table, treemap_svg
from lambda_layers.targets import Target
from lambda_layers.verify import LayerPolicy, verify_contents, verify_tree
from lambda_layers.verify.contents import tree_contents
from lambda_layers.workspace import workspace_packages


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildRequest:
    root: Path
    output: Path
    targets: Sequence[Target]
    builder: Builder
    force: bool = False


def _tool_fingerprint() -> str:
    """A hash of this tool's own code and data: a change to the build rebuilds."""
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("lambda_layers")
    for path in sorted(Path(str(package)).rglob("*")):
        if path.is_file() and path.suffix in {".py", ".toml"}:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_hash(root: Path, target: Target, lock: Lock, builder: Builder, tool: str) -> str:
    digest = hashlib.sha256()
    for part in (
        target.spec.fingerprint(),
        target.zip_name,
        lock.path.read_text(),
        builder.name,
        builder.image or "",
        tool,
        *(package.source_hash() for package in workspace_requirements(root, target.spec)),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def policy_for(target: Target) -> LayerPolicy:
    return LayerPolicy(
        layer=target.spec.name,
        runtime=target.runtime,
        architecture=target.architecture,
        forbid=frozenset(target.spec.forbid),
        max_unzipped_bytes=target.spec.max_unzipped_bytes,
    )


def ensure_locks(root: Path, targets: Sequence[Target]) -> dict[Target, Lock]:
    """Committed locks for every target; missing ones are made (and their notes written)."""
    locks: dict[Target, Lock] = {}
    created: set[str] = set()
    for target in targets:
        lock = read_lock(root, target.spec, target.runtime, target.architecture)
        if lock is None:
            with step(f"lock {target.stem} (no lock yet: resolving; commit layers/locks/)"):
                lock = compile_lock(root, target.spec, target.runtime, target.architecture)
            created.add(target.spec.name)
        locks[target] = lock
    for layer in sorted(created):
        refresh_notes(root, [(t, lock) for t, lock in locks.items() if t.spec.name == layer])
    return {target: read_lock(root, target.spec, target.runtime, target.architecture) or lock
            for target, lock in locks.items()}  # fmt: skip


def refresh_notes(root: Path, locks: Sequence[tuple[Target, Lock]]) -> None:
    """Write why versions differ between a layer's targets into their locks."""
    notes = version_notes(locks)
    for target, lock in locks:
        add_notes(lock, notes.get(target, []))


def _is_current(entry: LayerEntry | None, zip_path: Path, wanted_hash: str) -> bool:
    return (
        entry is not None
        and entry.input_hash == wanted_hash
        and zip_path.is_file()
        and zip_path.stat().st_size == entry.zipped_bytes
    )


def build_target(
    request: BuildRequest, target: Target, lock: Lock, wheels: Sequence[Path], wanted_hash: str
) -> LayerEntry:
    spec = target.spec
    kept, left_out = installable(spec, lock)
    with tempfile.TemporaryDirectory(prefix=f"lambda-layers-{target.stem}-") as scratch:
        staging = Path(scratch) / "layer"
        site = staging / "python"
        assembly = Assembly(target=target, distributions=kept, wheels=wheels, site=site)
        request.builder.install(assembly)
        pruned = prune(site, extra_patterns=tuple(spec.prune))
        stripped = strip_debug(site, target.architecture) if spec.strip else None
        bytecode = request.builder.compile(assembly) if spec.compile_bytecode else None
        policy = policy_for(target)
        result = verify_tree(staging, policy)
        result.raise_for_errors()
        imports = check_imports(
            site,
            spec.imports,
            python_version=target.runtime.python_version,
            architecture=target.architecture,
        )
        inventory = inventory_of_tree(staging)
        zip_path = request.output / target.zip_name
        write_zip(staging, zip_path)
        zipped = zip_path.stat().st_size
        warnings = [f.render() for f in result.warnings]
        warnings += [
            f.render()
            for f in verify_contents(tree_contents(staging), policy).warnings
            if f.rule == "zipped-size"
        ]
        if zipped > 52_428_800:
            warnings.append(
                f"zip is {zipped / 1_048_576:.1f} MB: over the 50 MB direct-upload limit; "
                "publish through S3"
            )
        title = f"{spec.name} · {target.runtime.name} · {target.architecture.value}"
        (request.output / f"{target.stem}.sizes.md").write_text(
            size_table(title, inventory, zipped_bytes=zipped)
        )
        (request.output / f"{target.stem}.sizes.svg").write_text(treemap_svg(title, inventory))
    if bytecode is not None and not bytecode.compiled:
        warnings.append(bytecode.reason)
    if stripped is not None and stripped.tool is None:
        warnings.append(f"no {target.architecture.value} strip tool found: debug symbols kept")
    console.print(
        f"  [dim]pruned {pruned.files:,} files ({pruned.bytes / 1_048_576:.1f} MB); "
        + (
            f"stripped {stripped.files} native files (-{stripped.saved_bytes / 1_048_576:.1f} MB)"
            if stripped and stripped.tool
            else "not stripped"
        )
        + "[/dim]"
    )
    return LayerEntry(
        layer=spec.name,
        runtime=target.runtime.name,
        architecture=target.architecture.value,
        zip=target.zip_name,
        sha256=sha256_of(zip_path),
        zipped_bytes=zipped,
        unzipped_bytes=inventory.total_bytes,
        files=len(inventory.files),
        distributions=inventory.versions(),
        left_out=left_out,
        builder=request.builder.name,
        image=request.builder.image,
        bytecode=bool(bytecode and bytecode.compiled),
        bytecode_note=bytecode.reason if bytecode else "disabled by the spec",
        stripped=bool(stripped and stripped.tool),
        imports_checked=imports,
        input_hash=wanted_hash,
        warnings=warnings,
        version_notes=[note for note in lock.notes if note.split()[0] in inventory.versions()],
        description=spec.description,
        license=spec.license,
    )


def build(request: BuildRequest) -> Manifest:
    """Build every target of the request; skip unchanged ones; fail once, naming every failure."""
    request.output.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(request.output)
    locks = ensure_locks(request.root, request.targets)
    tool = _tool_fingerprint()
    failures: list[str] = []
    built: list[LayerEntry] = []
    wheel_cache: dict[str, list[Path]] = {}
    with tempfile.TemporaryDirectory(prefix="lambda-layers-wheels-") as wheel_dir:
        for target in request.targets:
            lock = locks[target]
            wanted = input_hash(request.root, target, lock, request.builder, tool)
            previous = manifest.layers.get(target.zip_name)
            if not request.force and _is_current(
                previous, request.output / target.zip_name, wanted
            ):
                console.print(f"[dim]· {target.stem}: unchanged, skipped[/dim]")
                built.append(previous)  # type: ignore[arg-type]
                continue
            try:
                with step(f"build {target.stem} [{request.builder.name}]"):
                    packages = workspace_requirements(request.root, target.spec)
                    wheels: list[Path] = []
                    for package in packages:
                        if package.name not in wheel_cache:
                            wheel_cache[package.name] = build_workspace_wheels(
                                request.root, [package], Path(wheel_dir)
                            )
                        wheels += wheel_cache[package.name]
                    entry = build_target(request, target, lock, wheels, wanted)
            except LayerToolError as error:
                failures.append(f"{target.stem}:\n{error}")
                console.print(f"[red]{error}[/red]", soft_wrap=True)
                continue
            manifest.layers[target.zip_name] = entry
            write_manifest(request.output, manifest)
            built.append(entry)
    write_manifest(request.output, manifest)
    _write_index(request.output, manifest)
    console.print(summary_table(built))
    if failures:
        raise LayerToolError(
            f"{len(failures)} of {len(request.targets)} layers failed; the others were written:\n\n"
            + "\n\n".join(failures)
        )
    return manifest


def _write_index(output: Path, manifest: Manifest) -> None:
    rows = [
        f"| [{entry.zip}]({entry.zip.removesuffix('.zip')}.sizes.md) | "
        f"{entry.unzipped_bytes / 1_048_576:.1f} | {entry.zipped_bytes / 1_048_576:.1f} | "
        f"{'yes' if entry.bytecode else 'no'} | ![]({entry.zip.removesuffix('.zip')}.sizes.svg) |"
        for entry in manifest.layers.values()
    ]
    (output / "README.md").write_text(
        "# Built layers\n\n| zip | unzipped MB | zipped MB | .pyc | treemap |\n"
        "| --- | ---: | ---: | --- | --- |\n" + "\n".join(rows) + "\n"
    )


def known_workspace(root: Path) -> list[str]:
    return sorted(workspace_packages(root))
