"""The build: lock -> estimate -> install -> prune -> strip -> compile -> verify -> write, per
target, then the function stacks the built layers complete."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lambda_layers.base.console import console, plain, step
from lambda_layers.base.errors import LayerToolError, NoWheelError
from lambda_layers.builder.builders import Builder, BuilderName
from lambda_layers.builder.fingerprint import input_hash, tool_fingerprint
from lambda_layers.builder.locks import Lock, compile_lock, read_lock
from lambda_layers.builder.manifest import LayerEntry, Manifest, read_manifest, write_manifest
from lambda_layers.builder.reports import summary_table, write_index
from lambda_layers.builder.stacks import report_stacks
from lambda_layers.builder.stages import Unlocked, build_target
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.builder.workspace import build_workspace_wheels, workspace_requirements
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
    today: datetime.date = field(default_factory=datetime.date.today)
    """Runtimes are judged against this day's deprecation dates."""


def ensure_locks(
    root: Path, targets: Sequence[BuildTarget], *, allow_unlocked: bool = False
) -> dict[BuildTarget, Lock | Unlocked]:
    """Committed locks for every target; missing ones are made (with their notes).

    With `allow_unlocked` (a builder that can build in a container), a target with a requirement
    no wheel satisfies maps to Unlocked instead of failing. A spec that cannot resolve at all (a
    misspelled name, pins that conflict) fails at once, whatever the builder.
    """
    locks: dict[BuildTarget, Lock | Unlocked] = {}
    for target in targets:
        lock = read_lock(root, target.spec, target.runtime, target.architecture)
        if lock is None:
            try:
                with step(f"lock {target.stem} (no lock yet: resolving; commit layers/locks/)"):
                    lock = compile_lock(root, target.spec, target.runtime, target.architecture)
            except NoWheelError as error:
                if not allow_unlocked:
                    raise
                console.print(
                    f"  [yellow]![/yellow] {target.stem}: {plain(error.cause)}\n  so a runtime "
                    "image resolves and builds it (docker builder; the manifest says locked: "
                    "false, and why)",
                    soft_wrap=True,
                )
                locks[target] = Unlocked(reason=error.cause)
                continue
        locks[target] = lock
    return locks


def _is_current(entry: LayerEntry | None, zip_path: Path, wanted_hash: str) -> bool:
    return (
        entry is not None
        and entry.input_hash == wanted_hash
        and zip_path.is_file()
        and zip_path.stat().st_size == entry.zipped_bytes
    )


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


def deprecation_warnings(targets: Sequence[BuildTarget], today: datetime.date) -> list[str]:
    """One warning per runtime among `targets` whose deprecation is near (or past) on `today`."""
    runtimes = {target.runtime.name: target.runtime for target in targets}
    found = (runtime.deprecation_warning(today) for runtime in runtimes.values())
    return [warning for warning in found if warning]


def _missing_bytecode(entries: Sequence[LayerEntry]) -> dict[str, list[str]]:
    """Why zips that should hold `.pyc` do not, each reason with its zips (said once each)."""
    reasons: dict[str, list[str]] = {}
    for entry in entries:
        if not entry.bytecode and entry.bytecode_note in entry.warnings:
            reasons.setdefault(entry.bytecode_note, []).append(entry.zip)
    return reasons


def _builder_for(request: BuildRequest, prepared: Lock | Unlocked) -> Builder:
    """The request's builder, or for a target without a lock the one that builds in a container
    (the request's own when it is docker, else `auto`'s fallback)."""
    if isinstance(prepared, Lock) or request.builder.name is BuilderName.DOCKER:
        return request.builder
    assert request.fallback is not None  # ensure_locks allowed no Unlocked target otherwise
    return request.fallback()


def build(request: BuildRequest) -> Manifest:
    """Build every target of the request; skip unchanged ones; fail once, naming every failure."""
    for warning in deprecation_warnings(request.targets, request.today):
        console.print(f"[yellow]![/yellow] {plain(warning)}", soft_wrap=True)
    request.output.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(request.output)
    in_container = request.fallback is not None or request.builder.name is BuilderName.DOCKER
    locks = ensure_locks(request.root, request.targets, allow_unlocked=in_container)
    tool = tool_fingerprint()
    failures: list[str] = []
    built: list[LayerEntry] = []
    with tempfile.TemporaryDirectory(prefix="lambda-layers-wheels-") as wheel_dir:
        wheels = _WorkspaceWheels(request.root, Path(wheel_dir))
        for target in request.targets:
            prepared = locks[target]
            lock = prepared if isinstance(prepared, Lock) else None
            previous = manifest.layers.get(target.zip_name)
            zip_path = request.output / target.zip_name
            try:
                builder = _builder_for(request, prepared)
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
                        builder=builder, output=request.output, target=target, prepared=prepared,
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
    for reason, zips in _missing_bytecode(built).items():
        console.print(f"[yellow]![/yellow] {len(zips)} zips {plain(reason)}", soft_wrap=True)
    stacks = report_stacks(request.root, request.output, manifest,
                           built={entry.zip for entry in built})  # fmt: skip
    if failures:
        raise LayerToolError(
            f"{len(failures)} of {len(request.targets)} layers failed (nothing was written for "
            "them; the others were):\n\n"
            + "\n\n".join(failures)
            + (f"\n\n{stacks}" if stacks else "")
        )
    if stacks is not None:
        raise stacks
    return manifest
