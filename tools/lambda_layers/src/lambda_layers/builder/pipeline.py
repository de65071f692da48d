"""The build: lock -> assemble -> prune -> strip -> compile -> verify -> write, per target."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lambda_layers.base.console import console, step
from lambda_layers.base.errors import LayerToolError, ResolutionError
from lambda_layers.base.files import sha256_of, write_atomically
from lambda_layers.builder.archive import write_zip
from lambda_layers.builder.builders import Assembly, Builder
from lambda_layers.builder.differences import version_notes
from lambda_layers.builder.fingerprint import input_hash, tool_fingerprint
from lambda_layers.builder.imports import check_spec_imports
from lambda_layers.builder.locks import Lock, add_notes, compile_lock, installable, read_lock
from lambda_layers.builder.manifest import LayerEntry, Manifest, read_manifest, write_manifest
from lambda_layers.builder.prune import PruneReport, prune, remove_distributions
from lambda_layers.builder.report import size_table, summary_table, treemap_svg
from lambda_layers.builder.report.index import write_index
from lambda_layers.builder.strip import StripReport, strip_debug
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.builder.workspace import build_workspace_wheels, workspace_requirements
from lambda_layers.layer.checks import verify_contents
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.contents import Inventory, read_tree
from lambda_layers.platform.facts import limits, mb
from lambda_layers.platform.host import Host


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildRequest:
    root: Path
    output: Path
    targets: Sequence[BuildTarget]
    builder: Builder
    # `auto`: the builder for targets with no wheels-only lock (made only when needed).
    fallback: Callable[[], Builder] | None = None
    force: bool = False
    host: Host = field(default_factory=Host.detect)


def policy_for(target: BuildTarget) -> LayerPolicy:
    return LayerPolicy(
        layer=target.spec.name,
        runtime=target.runtime,
        architecture=target.architecture,
        forbid=frozenset(target.spec.forbid),
        max_unzipped_bytes=target.spec.max_unzipped_bytes,
    )


def ensure_locks(
    root: Path, targets: Sequence[BuildTarget], *, allow_unlocked: bool = False
) -> dict[BuildTarget, Lock | None]:
    """Committed locks for every target; missing ones are made (and their notes written).

    With `allow_unlocked` (the `auto` builder), a target that no set of wheels satisfies maps to
    None instead of failing: it is built in a container that may compile from source.
    """
    locks: dict[BuildTarget, Lock | None] = {}
    created: set[str] = set()
    for target in targets:
        lock = read_lock(root, target.spec, target.runtime, target.architecture)
        if lock is None:
            try:
                with step(f"lock {target.stem} (no lock yet: resolving; commit layers/locks/)"):
                    lock = compile_lock(root, target.spec, target.runtime, target.architecture)
                created.add(target.spec.name)
            except ResolutionError as error:
                if not allow_unlocked:
                    raise
                console.print(
                    f"  [yellow]![/yellow] {target.stem}: no wheels-only resolution; the docker "
                    f"builder will resolve and build it in a runtime image.\n  {error}",
                    soft_wrap=True,
                )
        locks[target] = lock
    for layer in sorted(created):
        pairs = [(t, lock) for t, lock in locks.items() if t.spec.name == layer and lock]
        refresh_notes(pairs)
    return {
        target: read_lock(root, target.spec, target.runtime, target.architecture) if lock else None
        for target, lock in locks.items()
    }


def refresh_notes(locks: Sequence[tuple[BuildTarget, Lock]]) -> None:
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


@dataclass(frozen=True, slots=True, kw_only=True)
class _Staged:
    """A staging tree that passed verification, and what was done to it."""

    inventory: Inventory
    left_out: list[str]
    pruned: PruneReport
    stripped: StripReport | None
    bytecode_compiled: bool
    bytecode_note: str
    imports_checked: str
    warnings: list[str]


def _stage(
    builder: Builder,
    target: BuildTarget,
    lock: Lock | None,
    *,
    wheels: Sequence[Path],
    staging: Path,
    unlocked: Sequence[str],
    image: str | None,
    host: Host,
) -> _Staged:
    """Fill, prune, strip, compile and verify `staging/python/`; raise on any failure."""
    spec = target.spec
    site = staging / "python"
    if lock is not None:
        kept, left_out = installable(spec, lock)
        assembly = Assembly(
            target=target, distributions=kept, wheels=wheels, site=site, image=image
        )
    else:
        assembly = Assembly(
            target=target, distributions=(), wheels=wheels, site=site, image=image,
            unlocked_requirements=unlocked,
        )  # fmt: skip
    builder.install(assembly)
    if lock is None:
        left_out = remove_distributions(site, spec.left_out())
    pruned = prune(site, extra_patterns=tuple(spec.prune))
    stripped = strip_debug(site, target.architecture) if spec.strip else None
    bytecode = builder.compile(assembly) if spec.compile_bytecode else None
    contents = read_tree(staging)
    result = verify_contents(contents, policy_for(target))
    result.raise_for_errors()
    imports = check_spec_imports(
        contents, spec.imports, runtime=target.runtime, architecture=target.architecture, host=host
    )
    warnings = [finding.render() for finding in result.warnings]
    if bytecode is not None and not bytecode.compiled:
        warnings.append(bytecode.reason)
    if stripped is not None and stripped.tool is None:
        warnings.append(f"no {target.architecture.value} strip tool found: debug symbols kept")
    return _Staged(
        inventory=contents.inventory,
        left_out=left_out,
        pruned=pruned,
        stripped=stripped,
        bytecode_compiled=bool(bytecode and bytecode.compiled),
        bytecode_note=bytecode.reason if bytecode else "disabled by the spec",
        imports_checked=imports,
        warnings=warnings,
    )


def _write_reports(output: Path, target: BuildTarget, inventory: Inventory, zipped: int) -> None:
    title = f"{target.spec.name} · {target.runtime.name} · {target.architecture.value}"
    write_atomically(
        output / f"{target.stem}.sizes.md", size_table(title, inventory, zipped_bytes=zipped)
    )
    write_atomically(output / f"{target.stem}.sizes.svg", treemap_svg(title, inventory))


def _progress_line(staged: _Staged) -> str:
    stripped = staged.stripped
    return (
        f"  [dim]pruned {staged.pruned.files:,} files ({mb(staged.pruned.bytes):.1f} MB); "
        + (
            f"stripped {stripped.files} native files (-{mb(stripped.saved_bytes):.1f} MB); "
            if stripped and stripped.tool
            else "not stripped; "
        )
        + f"{mb(staged.inventory.total_bytes):.1f} MB unzipped[/dim]"
    )


def build_target(
    *,
    builder: Builder,
    output: Path,
    target: BuildTarget,
    lock: Lock | None,
    wheels: Sequence[Path],
    wanted_hash: str,
    host: Host,
    image: str | None = None,
    unlocked: Sequence[str] = (),
) -> LayerEntry:
    """Build one zip; it is written only after every check passed (never half a zip)."""
    spec = target.spec
    zip_path = output / target.zip_name
    with tempfile.TemporaryDirectory(prefix=f"lambda-layers-{target.stem}-") as scratch:
        staging = Path(scratch) / "layer"
        staged = _stage(
            builder, target, lock, wheels=wheels, staging=staging, unlocked=unlocked, image=image,
            host=host,
        )  # fmt: skip
        write_zip(staging, zip_path)
    zipped = zip_path.stat().st_size
    warnings = list(staged.warnings)
    if zipped > limits().direct_upload_bytes:
        warnings.append(
            f"zip is {mb(zipped):.1f} MB: over the 50 MB direct-upload limit; publish through S3"
        )
    _write_reports(output, target, staged.inventory, zipped)
    console.print(_progress_line(staged))
    versions = staged.inventory.versions()
    return LayerEntry(
        layer=spec.name,
        runtime=target.runtime.name,
        architecture=target.architecture.value,
        zip=target.zip_name,
        sha256=sha256_of(zip_path),
        zipped_bytes=zipped,
        unzipped_bytes=staged.inventory.total_bytes,
        files=len(staged.inventory.files),
        distributions=versions,
        left_out=staged.left_out,
        builder=builder.name,
        image=image,
        locked=lock is not None,
        bytecode=staged.bytecode_compiled,
        bytecode_note=staged.bytecode_note,
        stripped=bool(staged.stripped and staged.stripped.tool),
        imports_checked=staged.imports_checked,
        input_hash=wanted_hash,
        warnings=warnings,
        version_notes=[n for n in (lock.notes if lock else ()) if n.split()[0] in versions],
        description=spec.description,
        license=spec.license,
    )


def _pypi_requirements(root: Path, target: BuildTarget) -> list[str]:
    """The spec's requirements that are not workspace packages (those come as wheels)."""
    members = {package.name for package in workspace_requirements(root, target.spec)}
    names = target.spec.requirement_names()
    return [text for text, name in zip(target.spec.requirements, names, strict=True)
            if name not in members]  # fmt: skip


class _WorkspaceWheels:
    """Wheels of the workspace packages a layer needs, built once per build."""

    def __init__(self, root: Path, directory: Path) -> None:
        self._root, self._directory = root, directory
        self._built: dict[str, list[Path]] = {}

    def for_target(self, target: BuildTarget) -> list[Path]:
        wheels: list[Path] = []
        for package in workspace_requirements(self._root, target.spec):
            if package.name not in self._built:
                self._built[package.name] = build_workspace_wheels(
                    self._root, [package], self._directory
                )
            wheels += self._built[package.name]
        return wheels


def build(request: BuildRequest) -> Manifest:
    """Build every target of the request; skip unchanged ones; fail once, naming every failure."""
    request.output.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(request.output)
    locks = ensure_locks(request.root, request.targets, allow_unlocked=request.fallback is not None)
    tool = tool_fingerprint()
    failures: list[str] = []
    built: list[LayerEntry] = []
    with tempfile.TemporaryDirectory(prefix="lambda-layers-wheels-") as wheel_dir:
        wheels = _WorkspaceWheels(request.root, Path(wheel_dir))
        for target in request.targets:
            lock = locks[target]
            builder = request.builder if lock or request.fallback is None else request.fallback()
            previous = manifest.layers.get(target.zip_name)
            zip_path = request.output / target.zip_name
            try:
                image = builder.image_for(target)
                wanted = input_hash(
                    request.root, target, lock=lock, builder=builder, image=image, tool=tool
                )
                if previous and not request.force and _is_current(previous, zip_path, wanted):
                    console.print(f"[dim]· {target.stem}: unchanged, skipped[/dim]")
                    built.append(previous)
                    continue
                with step(f"build {target.stem} [{builder.name}]"):
                    entry = build_target(
                        builder=builder, output=request.output, target=target, lock=lock,
                        wheels=wheels.for_target(target), wanted_hash=wanted, image=image,
                        host=request.host,
                        unlocked=() if lock else _pypi_requirements(request.root, target),
                    )  # fmt: skip
            except LayerToolError as error:
                failures.append(f"{target.stem}:\n{error}")
                console.print(f"[red]{error}[/red]", soft_wrap=True)
                continue
            manifest.layers[target.zip_name] = entry
            write_manifest(request.output, manifest)
            built.append(entry)
    write_manifest(request.output, manifest)
    write_index(request.output, manifest)
    console.print(summary_table(built))
    if failures:
        raise LayerToolError(
            f"{len(failures)} of {len(request.targets)} layers failed (nothing was written for "
            "them; the others were):\n\n" + "\n\n".join(failures)
        )
    return manifest
