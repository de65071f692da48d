"""Per-target locks: the pinned, hashed closure of a layer for one runtime and architecture.

`layers/locks/<layer>/<runtime>-<arch>.txt` is `uv pip compile` output for the runtime's platform
(its glibc ceiling) with wheels only, preceded by our header. Workspace packages are resolved
from their source trees but left out of the lock: they are built fresh at build time.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

from lambda_layers.base.console import run_command
from lambda_layers.base.errors import CommandError, ConfigurationError, ResolutionError
from lambda_layers.base.files import write_atomically
from lambda_layers.builder.workspace import workspace_packages
from lambda_layers.layer.spec import LayerSpec
from lambda_layers.platform.facts import Architecture, Runtime, facts
from lambda_layers.platform.host import uv_binary

_FINGERPRINT = re.compile(r"^# requirements-fingerprint: (\S+)$", re.MULTILINE)
_NOTE = re.compile(r"^# note: (.+)$", re.MULTILINE)
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


@dataclass(frozen=True, slots=True, kw_only=True)
class LockedDistribution:
    name: str
    version: str
    hashes: tuple[str, ...]
    required_by: frozenset[str] = field(default_factory=frozenset)

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


def _name(text: str) -> str:
    return str(canonicalize_name(text.split(maxsplit=1)[0]))


def parse_lock(path: Path) -> Lock:
    """Read a lock: pins, their hashes, and who needs each (uv's `# via` annotations)."""
    text = path.read_text()
    fingerprint = _FINGERPRINT.search(text)
    pins: list[tuple[str, str, list[str], set[str]]] = []  # name, version, hashes, needed by
    in_via = False
    for raw in text.splitlines():
        line = raw.strip()
        pinned = _PINNED.match(raw)
        if pinned:
            pins.append((_name(pinned[1]), pinned[2], [], set()))
            in_via = False
        elif not pins:
            continue
        elif line.startswith("--hash="):
            pins[-1][2].append(line.removeprefix("--hash=").rstrip(" \\"))
        elif line.startswith("# via"):
            rest = line.removeprefix("# via").strip()
            in_via = not rest
            if rest:
                pins[-1][3].add(_name(rest))
        elif in_via and line.startswith("#   "):
            pins[-1][3].add(_name(line.removeprefix("#")))
        else:
            in_via = False
    distributions = tuple(
        LockedDistribution(
            name=name, version=version, hashes=tuple(hashes), required_by=frozenset(via)
        )
        for name, version, hashes, via in pins
    )
    fingerprint_text = fingerprint[1] if fingerprint else ""
    return Lock(path=path, fingerprint=fingerprint_text, distributions=distributions,
                notes=tuple(_NOTE.findall(text)))  # fmt: skip


def _requirements_input(root: Path, spec: LayerSpec) -> tuple[list[str], list[str]]:
    """Lines for `uv pip compile` (workspace packages as file URLs) and the workspace names."""
    members = workspace_packages(root)
    lines = [
        f"{name}{extras} @ {members[name].directory.as_uri()}" if name in members else text
        for name, (text, extras) in spec.requirements_by_name().items()
    ]
    return lines, [name for name in spec.requirement_names() if name in members]


def compile_lock(root: Path, spec: LayerSpec, runtime: Runtime, architecture: Architecture) -> Lock:
    """Resolve the layer's closure for the target platform and write its lock file."""
    lines, local = _requirements_input(root, spec)
    target = lock_path(root, spec, runtime, architecture)
    target.parent.mkdir(parents=True, exist_ok=True)
    platform = runtime.uv_platform(architecture)
    with tempfile.TemporaryDirectory(prefix="lambda-layers-lock-") as scratch:
        inputs = Path(scratch) / "requirements.in"
        inputs.write_text("\n".join(lines) + "\n")
        output = Path(scratch) / "lock.txt"
        command: list[str | Path] = [
            uv_binary(), "pip", "compile", "--quiet", "--no-header", "--no-build",
            "--generate-hashes", "--python-platform", platform,
            "--python-version", runtime.python_version, "--output-file", output,
        ]  # fmt: skip
        for name in local:
            command += ["--no-emit-package", name]
        try:
            run_command([*command, inputs], cwd=root, timeout=600)
        except CommandError as error:
            raise ResolutionError(
                f"layer {spec.name}: no set of wheels satisfies {spec.requirements} for "
                f"{runtime.name} on {architecture.value} ({platform}, wheels only):\n{error}\n"
                "Loosen a pin, pick an older release with a wheel for this platform, or build with "
                "`--builder docker` (which may compile from source inside the runtime image)."
            ) from None
        body = output.read_text()
    header = (
        f"# Lock for layer {spec.name}: {runtime.name} on {architecture.value} "
        f"({platform}, wheels only).\n"
        "# Made by `lambda-layers lock`; do not edit by hand.\n"
        f"# requirements-fingerprint: {spec.requirements_fingerprint()}\n"
    )
    write_atomically(target, header + body)
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


def add_notes(lock: Lock, notes: Iterable[str]) -> None:
    """Record explanations (why a version differs from other targets) in the lock's header."""
    text = lock.path.read_text()
    text = _NOTE.sub("", text).replace("\n\n", "\n")
    lines = text.splitlines(keepends=True)
    position = next(i for i, line in enumerate(lines) if line.startswith("# requirements-"))
    extra = [f"# note: {note}\n" for note in notes]
    write_atomically(lock.path, "".join(lines[: position + 1] + extra + lines[position + 1 :]))


def installable(spec: LayerSpec, lock: Lock) -> tuple[list[LockedDistribution], list[str]]:
    """The locked distributions to install, and the names left out (with why)."""
    left_out = set(spec.left_out())
    reasons = {name: "excluded by the spec" for name in spec.exclude}
    for name in spec.left_out() - set(spec.exclude):
        reasons[name] = "provided by the Lambda runtime"
    changed = True
    while changed:  # a runtime-provided dependency goes when everything needing it went
        changed = False
        for item in lock.distributions:
            if (
                item.name in facts().distributions.runtime_provided_dependencies
                and item.name not in left_out
                and item.name not in spec.keep_runtime_provided
                and item.required_by
                and item.required_by <= left_out
            ):
                left_out.add(item.name)
                reasons[item.name] = "provided by the Lambda runtime (needed only by left-out ones)"
                changed = True
    kept = [item for item in lock.distributions if item.name not in left_out]
    gone = sorted(f"{name} ({reasons[name]})" for name in left_out if name in lock.versions())
    return kept, gone
