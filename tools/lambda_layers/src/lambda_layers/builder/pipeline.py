"""The build: lock -> assemble -> prune -> strip -> compile -> verify -> write, per target."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lambda_layers.base.console import console, plain, step
from lambda_layers.base.errors import LayerToolError, ResolutionError
from lambda_layers.base.files import sha256_of
from lambda_layers.builder.archive import write_zip
from lambda_layers.builder.builders import Assembly, Builder
from lambda_layers.builder.differences import version_notes
from lambda_layers.builder.fingerprint import input_hash, tool_fingerprint
from lambda_layers.builder.imports import check_spec_imports
from lambda_layers.builder.locks import Lock, add_notes, compile_lock, installable, read_lock
from lambda_layers.builder.manifest import LayerEntry, Manifest, read_manifest, write_manifest
from lambda_layers.builder.prune import PruneReport, prune, remove_distributions
from lambda_layers.builder.reports import summary_table, write_index, write_reports
from lambda_layers.builder.strip import StripReport, strip_debug
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.builder.workspace import build_workspace_wheels, workspace_requirements
from lambda_layers.layer.checks import verify_contents
from lambda_layers.layer.checks.findings import Severity
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.checks.size import check_layer_size
from lambda_layers.layer.contents import read_tree
from lambda_layers.platform.facts import mb
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
        layer=target.spec.name, runtime=target.runtime, architecture=target.architecture,
        forbid=frozenset(target.spec.forbid), max_unzipped_bytes=target.spec.max_unzipped_bytes,
    )  # fmt: skip


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
    refresh_notes([(t, lock) for t, lock in locks.items() if lock and t.spec.name in created])
    return {
        target: read_lock(root, target.spec, target.runtime, target.architecture) if lock else None
        for target, lock in locks.items()
    }


def refresh_notes(locks: Sequence[tuple[BuildTarget, Lock]]) -> None:
    """Write why versions differ between each layer's targets into their locks."""
    for layer in sorted({target.spec.name for target, _ in locks}):
        with step(f"explain version differences in {layer}"):
            mine = [(target, lock) for target, lock in locks if target.spec.name == layer]
            notes = version_notes(mine)
            for target, lock in mine:
                add_notes(lock, notes.get(target, []))


def _is_current(entry: LayerEntry | None, zip_path: Path, wanted_hash: str) -> bool:
    return (
        entry is not None
        and entry.input_hash == wanted_hash
        and zip_path.is_file()
        and zip_path.stat().st_size == entry.zipped_bytes
    )


def _progress_line(pruned: PruneReport, stripped: StripReport | None, unzipped: int) -> str:
    strip = (
        f"stripped {stripped.files} native files (-{mb(stripped.saved_bytes):.1f} MB); "
        if stripped and stripped.tool
        else "not stripped; "
    )
    return (
        f"  [dim]pruned {pruned.files:,} files ({mb(pruned.bytes):.1f} MB); {strip}"
        f"{mb(unzipped):.1f} MB unzipped[/dim]"
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
    """Fill, prune, strip, compile and verify a staging tree, then zip it; the zip is written only
    after every check passed (never half a zip)."""
    spec, zip_path = target.spec, output / target.zip_name
    with tempfile.TemporaryDirectory(prefix=f"lambda-layers-{target.stem}-") as scratch:
        staging = Path(scratch) / "layer"
        site = staging / "python"
        kept, left_out = installable(spec, lock) if lock else ([], [])
        assembly = Assembly(target=target, distributions=kept, wheels=wheels, site=site,
                            image=image, unlocked_requirements=unlocked)  # fmt: skip
        builder.install(assembly)
        if lock is None:
            left_out = remove_distributions(site, spec.left_out())
        pruned = prune(site, extra_patterns=tuple(spec.prune))
        stripped = strip_debug(site, target.architecture) if spec.strip else None
        bytecode = builder.compile(assembly) if spec.compile_bytecode else None
        contents = read_tree(staging)
        result = verify_contents(contents, policy_for(target))
        result.raise_for_errors()
        imports = check_spec_imports(contents, spec.imports, runtime=target.runtime,
                                     architecture=target.architecture, host=host)  # fmt: skip
        write_zip(staging, zip_path)
    zipped = dataclasses.replace(contents, zipped_bytes=zip_path.stat().st_size)
    found = (*result.warnings, *check_layer_size(zipped, policy_for(target)))
    warnings = [finding.render() for finding in found if finding.severity is Severity.WARNING]
    if bytecode is not None and not bytecode.compiled:
        warnings.append(bytecode.reason)
    if stripped is not None and stripped.tool is None:
        warnings.append(f"no {target.architecture.value} strip tool found: debug symbols kept")
    inventory = contents.inventory
    write_reports(output, target, inventory, zip_path.stat().st_size)
    console.print(_progress_line(pruned, stripped, inventory.total_bytes))
    versions = inventory.versions()
    return LayerEntry(
        layer=spec.name, runtime=target.runtime.name, architecture=target.architecture.value,
        zip=target.zip_name, sha256=sha256_of(zip_path), zipped_bytes=zip_path.stat().st_size,
        unzipped_bytes=inventory.total_bytes, files=len(inventory.files), distributions=versions,
        left_out=left_out, builder=builder.name, image=image, locked=lock is not None,
        bytecode=bool(bytecode and bytecode.compiled),
        bytecode_note=bytecode.reason if bytecode else "disabled by the spec",
        stripped=bool(stripped and stripped.tool), imports_checked=imports,
        input_hash=wanted_hash, warnings=warnings,
        version_notes=[n for n in (lock.notes if lock else ()) if n.split()[0] in versions],
        description=spec.description, license=spec.license,
    )  # fmt: skip


def _pypi_requirements(root: Path, target: BuildTarget) -> list[str]:
    """The spec's requirements that are not workspace packages (those come as wheels)."""
    members = {package.name for package in workspace_requirements(root, target.spec)}
    requirements = target.spec.requirements_by_name().items()
    return [text for name, (text, _) in requirements if name not in members]


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
                console.print(f"[red]{plain(error)}[/red]", soft_wrap=True)
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
