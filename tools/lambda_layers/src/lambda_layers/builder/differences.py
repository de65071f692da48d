"""Why a target's version of a distribution is not the index's newest release.

Each target is explained on its own, against the index (never against the layer's other targets),
so a note reads the same however the build was invoked. Where the platform decides, the note
names the wheel's tag and the runtime's glibc; where the resolver cannot be asked for a wheel the
runtime could load (uv offers no manylinux_2_26), it says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from packaging.version import Version

from lambda_layers.builder.resolver import Release, newest_releases
from lambda_layers.platform.facts import Architecture, Runtime, architecture_facts
from lambda_layers.platform.wheels import Fit, best_fit


@dataclass(frozen=True, slots=True, kw_only=True)
class VersionNote:
    name: str
    text: str
    resolver_limited: bool = False
    """The newest release has a wheel the runtime loads but the resolver cannot be asked for."""


class Pinned(Protocol):
    """A locked distribution as the notes need it."""

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def required_by(self) -> frozenset[str]: ...
    @property
    def requested(self) -> bool: ...


def _held_back(pin: Pinned, release: Release, source: str) -> str:
    """A release the target could install: a requirement excludes it (the lock says whose)."""
    whose = sorted(pin.required_by) + ([source] if pin.requested else [])
    return (
        f"{release.version} has a wheel for this target, so a requirement holds it back: "
        f"{pin.name} is required by {', '.join(whose) or 'the spec'}"
    )


def _why_older(
    pin: Pinned, release: Release, runtime: Runtime, architecture: Architecture, source: str
) -> tuple[str, bool]:
    """Why the target has not `release`, and whether the resolver's tags are the reason."""
    fit = best_fit((wheel.filename for wheel in release.wheels), runtime, architecture)
    machine = architecture_facts(architecture).wheel_arch
    glibc = ".".join(str(part) for part in runtime.base_system.glibc)
    system = f"{runtime.name}'s glibc {glibc} ({runtime.base_system.name})"
    if fit.fit is Fit.OTHER:
        return f"{release.version} has no manylinux wheel for {runtime.python_tag} on {machine}", (
            False
        )
    if fit.fit is Fit.GLIBC_TOO_NEW:
        return (
            f"{release.version}'s {runtime.python_tag} {machine} wheel is {fit.platform} (glibc "
            f"{fit.glibc_text}), above {system}", False,
        )  # fmt: skip
    if fit.fit is Fit.NOT_EXPRESSIBLE:
        return (
            f"{release.version}'s {fit.platform} wheel fits {system}, but the resolver cannot "
            f"express that tag: it is given {runtime.manylinux}, the newest manylinux tag uv "
            f"offers at or below glibc {glibc}", True,
        )  # fmt: skip
    return _held_back(pin, release, source), False


def version_notes(
    pins: Sequence[Pinned],
    *,
    runtime: Runtime,
    architecture: Architecture,
    root: Path,
    source: str,
) -> list[VersionNote]:
    """A note for each locked distribution older than the newest release on the index (`source`
    names the spec, for what it requires itself)."""
    notes = []
    newest = newest_releases([pin.name for pin in pins], runtime, architecture, root=root)
    for pin in sorted(pins, key=lambda item: item.name):
        if pin.name not in newest:
            continue
        for_python, of_all = newest[pin.name]
        if Version(pin.version) >= Version(of_all.version):
            continue
        reasons, limited = [], False
        if of_all.version != for_python.version:
            reasons.append(f"{of_all.version} is only for {of_all.marker or 'other Pythons'}")
        if Version(pin.version) < Version(for_python.version):
            reason, limited = _why_older(pin, for_python, runtime, architecture, source)
            reasons.append(reason)
        notes.append(VersionNote(
            name=pin.name, text=f"{pin.name} {pin.version} here, newest {of_all.version}: "
            + "; ".join(reasons), resolver_limited=limited,
        ))  # fmt: skip
    return notes
