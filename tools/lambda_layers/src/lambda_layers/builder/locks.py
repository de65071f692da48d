"""Per-target locks: the pinned, hashed closure of a layer for one runtime and architecture.

`layers/locks/<layer>/<runtime>-<arch>.txt` is `uv pip compile` output for the runtime's platform
(its glibc ceiling) with wheels only, preceded by our header and notes, and with one `# wheel:`
line per pin: the wheel the target installs and its size on the index (the early size check adds
these up). Workspace packages are resolved from their source trees but left out of the lock: they
are built fresh at build time. A lock is a function of the spec and the index only: re-locking
with nothing changed rewrites the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.base.files import write_atomically
from lambda_layers.builder.differences import version_notes
from lambda_layers.builder.resolver import Release, ResolverError, resolve_target
from lambda_layers.builder.unresolvable import resolution_error
from lambda_layers.builder.workspace import workspace_packages
from lambda_layers.layer.spec import LayerSpec
from lambda_layers.platform.facts import Architecture, Runtime, facts

_FINGERPRINT = re.compile(r"^# requirements-fingerprint: (\S+)$", re.MULTILINE)
_NOTE = re.compile(r"^# note: (.+)$", re.MULTILINE)
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
_WHEEL = re.compile(r"^\s+# wheel: (\d+) bytes (\S+)$")
_SPEC_SOURCE = re.compile(r"^(-r )?layers/[^/]+\.toml$")


@dataclass(frozen=True, slots=True, kw_only=True)
class LockedDistribution:
    name: str
    version: str
    hashes: tuple[str, ...]
    required_by: frozenset[str] = field(default_factory=frozenset)
    requested: bool = False
    """Named by the spec's `requirements` itself (not only pulled in by another)."""
    wheel: str = ""
    wheel_bytes: int | None = None
    """The size of the wheel the target installs, as the index reports it (None: not known)."""

    def requirement_text(self) -> str:
        """This pin with its hashes, as a requirements-file entry."""
        hashes = " ".join(f"--hash={value}" for value in self.hashes)
        return f"{self.name}=={self.version} {hashes}".strip()


@dataclass(frozen=True, slots=True, kw_only=True)
class Lock:
    path: Path
    fingerprint: str
    distributions: tuple[LockedDistribution, ...]
    notes: tuple[str, ...] = ()

    def versions(self) -> dict[str, str]:
        return {item.name: item.version for item in self.distributions}


def lock_path(root: Path, spec: LayerSpec, runtime: Runtime, architecture: Architecture) -> Path:
    return root / "layers" / "locks" / spec.name / f"{runtime.name}-{architecture.value}.txt"


def spec_source(spec: LayerSpec) -> str:
    """How a lock names the spec its requirements come from (`# via layers/<name>.toml`)."""
    return f"layers/{spec.name}.toml"


def _name(text: str) -> str:
    return str(canonicalize_name(text.split(maxsplit=1)[0]))


@dataclass(slots=True)
class _Pin:
    name: str
    version: str
    hashes: list[str] = field(default_factory=list)
    via: set[str] = field(default_factory=set)
    requested: bool = False
    wheel: tuple[str, int] | None = None

    def add_via(self, text: str) -> None:
        if _SPEC_SOURCE.match(text):
            self.requested = True
        else:
            self.via.add(_name(text))

    def locked(self) -> LockedDistribution:
        return LockedDistribution(
            name=self.name, version=self.version, hashes=tuple(self.hashes),
            required_by=frozenset(self.via), requested=self.requested,
            wheel=self.wheel[0] if self.wheel else "",
            wheel_bytes=self.wheel[1] if self.wheel else None,
        )  # fmt: skip


def _pins(text: str) -> list[_Pin]:
    """Pins, their hashes, who needs each (uv's `# via`) and their `# wheel:` lines."""
    pins: list[_Pin] = []
    in_via = False
    for raw in text.splitlines():
        line = raw.strip()
        if pinned := _PINNED.match(raw):
            pins.append(_Pin(name=_name(pinned[1]), version=pinned[2]))
            in_via = False
        elif not pins:
            continue
        elif line.startswith("--hash="):
            pins[-1].hashes.append(line.removeprefix("--hash=").rstrip(" \\"))
        elif wheel := _WHEEL.match(raw):
            pins[-1].wheel = (wheel[2], int(wheel[1]))
        elif line.startswith("# via"):
            rest = line.removeprefix("# via").strip()
            in_via = not rest
            if rest:
                pins[-1].add_via(rest)
        elif in_via and line.startswith("#   "):
            pins[-1].add_via(line.removeprefix("#").strip())
        else:
            in_via = False
    return pins


def parse_lock(path: Path) -> Lock:
    """Read a lock: pins, their hashes, who needs each, their wheels, and the notes."""
    text = path.read_text()
    fingerprint = _FINGERPRINT.search(text)
    return Lock(
        path=path, fingerprint=fingerprint[1] if fingerprint else "",
        distributions=tuple(pin.locked() for pin in _pins(text)),
        notes=tuple(_NOTE.findall(text)),
    )  # fmt: skip


def _requirements_input(root: Path, spec: LayerSpec) -> tuple[list[str], list[str]]:
    """Lines for `uv pip compile` (workspace packages as file URLs) and the workspace names."""
    members = workspace_packages(root)
    lines = [
        f"{name}{extras} @ {members[name].directory.as_uri()}" if name in members else text
        for name, (text, extras) in spec.requirements_by_name().items()
    ]
    return lines, [name for name in spec.requirement_names() if name in members]


def _with_wheels(body: str, releases: dict[str, Release]) -> str:
    """uv's text with a `# wheel:` line closing each pin's entry (the smallest wheel the target
    may install: its size is a floor for the early size check)."""
    out: list[str] = []

    def close(pin: tuple[str, str] | None) -> None:
        release = releases.get(pin[0]) if pin else None
        wheel = release.smallest_wheel() if release and pin and release.version == pin[1] else None
        if wheel is not None:
            out.append(f"    # wheel: {wheel.size} bytes {wheel.filename}")

    current = None
    for line in body.splitlines():
        if pinned := _PINNED.match(line):
            close(current)
            current = (_name(pinned[1]), pinned[2])
        out.append(line)
    close(current)
    return "\n".join(out) + "\n"


def compile_lock(root: Path, spec: LayerSpec, runtime: Runtime, architecture: Architecture) -> Lock:
    """Resolve the layer's closure for the target platform and write its lock file, with a note
    for every distribution older than the index's newest release.

    Raises UnsatisfiableError when the spec cannot hold on any builder, NoWheelError when only a
    container could build it, CommandError when the resolver could not run."""
    lines, local = _requirements_input(root, spec)
    target = lock_path(root, spec, runtime, architecture)
    platform = runtime.uv_platform(architecture)
    try:
        body, releases = resolve_target(lines, runtime, architecture, root=root,
                                        source=spec_source(spec), no_emit=local)  # fmt: skip
    except ResolverError as failure:
        raise resolution_error(
            failure.output,
            spec=spec_source(spec),
            requirements={name: text for name, (text, _) in spec.requirements_by_name().items()},
            where=f"{runtime.name} on {architecture.value} ({platform}, wheels only)",
        ) from None
    pins = [pin.locked() for pin in _pins(body)]
    notes = version_notes(pins, runtime=runtime, architecture=architecture, root=root,
                          source=spec_source(spec))  # fmt: skip
    header = [
        f"# Lock for layer {spec.name}: {runtime.name} on {architecture.value} "
        f"({platform}, wheels only).",
        "# Made by `lambda-layers lock`; do not edit by hand. `# wheel:` lines give the size on "
        "the index of the wheel each pin installs here.",
        f"# requirements-fingerprint: {spec.requirements_fingerprint()}",
        *(f"# note: {note.text}" for note in notes),
    ]
    write_atomically(target, "\n".join(header) + "\n" + _with_wheels(body, releases))
    return parse_lock(target)


def read_lock(
    root: Path, spec: LayerSpec, runtime: Runtime, architecture: Architecture
) -> Lock | None:
    """The committed lock for a target, None when there is none; stale locks are refused."""
    path = lock_path(root, spec, runtime, architecture)
    if not path.is_file():
        return None
    lock = parse_lock(path)
    if lock.fingerprint != spec.requirements_fingerprint():
        raise ConfigurationError(
            f"{path.relative_to(root)} was made for other requirements than "
            f"layers/{spec.name}.toml "
            f"now lists: refresh it with `nox -s lock_layers -- --layer {spec.name}` (or "
            f"`lambda-layers lock --layer {spec.name}`) and commit it"
        )
    return lock


def installable(spec: LayerSpec, lock: Lock) -> tuple[list[LockedDistribution], list[str]]:
    """The locked distributions to install, and the names left out (with why).

    The runtime's AWS SDK is left out unless the spec names part of it (then the whole SDK the
    lock resolved ships, so boto3 never meets another botocore); its dependencies are left out
    when everything that needs them is, unless the spec names them.
    """
    left_out = set(spec.left_out())
    reasons = {name: "excluded by the spec" for name in spec.exclude}
    for name in spec.left_out() - set(spec.exclude):
        reasons[name] = "provided by the Lambda runtime"
    named = spec.named()
    changed = True
    while changed:  # a runtime-provided dependency goes when everything needing it went
        changed = False
        for item in lock.distributions:
            if (
                item.name in facts().distributions.runtime_provided_dependencies
                and item.name not in left_out
                and item.name not in named
                and not item.requested
                and item.required_by
                and item.required_by <= left_out
            ):
                left_out.add(item.name)
                reasons[item.name] = "provided by the Lambda runtime (needed only by left-out ones)"
                changed = True
    kept = [item for item in lock.distributions if item.name not in left_out]
    gone = sorted(f"{name} ({reasons[name]})" for name in left_out if name in lock.versions())
    return kept, gone
