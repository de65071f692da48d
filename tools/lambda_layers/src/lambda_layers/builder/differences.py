"""Why a distribution's version differs between a layer's targets, in uv's own words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from packaging.version import Version

from lambda_layers.base.console import run_command
from lambda_layers.builder.locks import Lock
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.platform.host import uv_binary

_RESOLVE_TIMEOUT = 300.0


def _why_not(target: BuildTarget, name: str, version: str) -> str:
    """Ask the resolver why `name==version` cannot be had for the target."""
    result = run_command(
        [uv_binary(), "pip", "compile", "--quiet", "--no-header", "--no-build",
         "--python-platform", target.runtime.uv_platform(target.architecture),
         "--python-version", target.runtime.python_version, "-"],
        stdin=f"{name}=={version}\n", timeout=_RESOLVE_TIMEOUT, quiet=True, allowed=range(256),
    )  # fmt: skip
    if result.returncode == 0:
        return "the newer release fits too; another requirement held it back"
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    because = next(
        (line for line in lines if "because" in line.lower()), lines[-1] if lines else ""
    )
    return because.removeprefix("╰─▶").strip()


def version_notes(locks: Sequence[tuple[BuildTarget, Lock]]) -> dict[BuildTarget, list[str]]:
    """For each target, a note per distribution pinned older there than on another target."""
    versions: dict[str, dict[BuildTarget, str]] = defaultdict(dict)
    for target, lock in locks:
        for name, version in lock.versions().items():
            versions[name][target] = version
    notes: dict[BuildTarget, list[str]] = defaultdict(list)
    for name, by_target in sorted(versions.items()):
        newest = max(by_target.values(), key=Version)
        newer_on = sorted(f"{t.runtime.name}/{t.architecture.value}"
                          for t, v in by_target.items() if v == newest)  # fmt: skip
        for target, version in by_target.items():
            if version != newest:
                reason = _why_not(target, name, newest)
                notes[target].append(
                    f"{name} {version} here, {newest} on {', '.join(newer_on)}: {reason}"
                )
    return notes
