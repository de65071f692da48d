"""The resolver (`uv pip compile`): a target's closure, the wheels it installs with their sizes on
the index, and the index's newest releases with every wheel they have.

Requirements go in through a scratch file; nothing of that scratch path is left in what comes out,
so the same inputs and the same index give the same text wherever and whenever it runs.
"""

from __future__ import annotations

import tempfile
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import InvalidMarker, Marker
from packaging.utils import canonicalize_name
from packaging.version import Version

from lambda_layers.base.console import run_command
from lambda_layers.base.errors import CommandError
from lambda_layers.platform.facts import Architecture, Runtime
from lambda_layers.platform.host import uv_binary
from lambda_layers.platform.wheels import marker_environment

RESOLVE_TIMEOUT = 600.0


class ResolverError(Exception):
    """uv found no solution (or could not run); `output` is what it said."""

    def __init__(self, output: str) -> None:
        super().__init__(output)
        self.output = output


@dataclass(frozen=True, slots=True, kw_only=True)
class Wheel:
    filename: str
    size: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Release:
    """One version of a distribution on the index, with its wheels (those a pylock lists)."""

    name: str
    version: str
    wheels: tuple[Wheel, ...] = ()
    marker: str = ""
    """The environments this entry is for (a universal resolution forks by Python version)."""

    def smallest_wheel(self) -> Wheel | None:
        sized = [wheel for wheel in self.wheels if wheel.size is not None]
        return min(sized, key=lambda wheel: (wheel.size, wheel.filename), default=None)


def _platform_options(runtime: Runtime, architecture: Architecture) -> list[str]:
    return ["--python-platform", runtime.uv_platform(architecture),
            "--python-version", runtime.python_version]  # fmt: skip


def _compile(
    options: Sequence[str | Path],
    lines: Sequence[str],
    *,
    root: Path,
    quiet: bool = True,
    source: str = "requirements",
) -> str:
    """`uv pip compile` of `lines` (wheels only, no header); its output, where `# via` names
    `source` for what the lines asked for (not the scratch file), or ResolverError."""
    with tempfile.TemporaryDirectory(prefix="lambda-layers-resolve-") as scratch:
        inputs = Path(scratch) / "requirements.in"
        inputs.write_text("".join(f"{line}\n" for line in lines))
        command = [uv_binary(), "pip", "compile", "--quiet", "--no-header", "--no-build",
                   *options, inputs]  # fmt: skip
        try:
            result = run_command(command, cwd=root, timeout=RESOLVE_TIMEOUT, quiet=quiet,
                                 allowed=range(256))  # fmt: skip
        except CommandError as error:  # could not start, or overran
            raise ResolverError(str(error)) from None
        if result.returncode != 0:
            raise ResolverError((result.stderr or result.stdout).strip())
        return result.stdout.replace(f"-r {inputs}", source)


def _file_name(wheel: dict[str, object]) -> str:
    """A pylock wheel's file name: its `name`, else the last part of its URL or path."""
    return str(wheel.get("name") or wheel.get("url") or wheel.get("path")).rsplit("/", 1)[-1]


def releases(pylock: str) -> list[Release]:
    """The packages of a pylock.toml (PEP 751), each with its wheels' file names and sizes."""
    return [
        Release(
            name=str(canonicalize_name(package["name"])), version=str(package["version"]),
            wheels=tuple(Wheel(filename=_file_name(wheel), size=wheel.get("size"))
                         for wheel in package.get("wheels", [])),
            marker=package.get("marker", ""),
        )
        for package in tomllib.loads(pylock).get("packages", [])
    ]  # fmt: skip


def resolve_target(
    lines: Sequence[str],
    runtime: Runtime,
    architecture: Architecture,
    *,
    root: Path,
    source: str,
    no_emit: Sequence[str] = (),
) -> tuple[str, dict[str, Release]]:
    """The target's closure as uv's hashed requirements text (with `# via`), and per
    distribution the release with the wheels the target can install (their sizes as the index
    reports them). `# via` names `source` (the spec's path) for the requirements themselves.
    ResolverError with uv's words when there is no solution."""
    options: list[str | Path] = [*_platform_options(runtime, architecture)]
    for name in no_emit:
        options += ["--no-emit-package", name]
    text = _compile([*options, "--generate-hashes"], lines, root=root, quiet=False, source=source)
    # The same resolution again as a pylock (it lists each wheel's size), from the index pages the
    # first call just fetched: --offline reads them from uv's cache, fast and the same.
    pylock = _compile([*options, "--format", "pylock.toml", "--offline"], lines, root=root)
    return text, {item.name: item for item in releases(pylock)}


def newest_releases(
    names: Sequence[str], runtime: Runtime, architecture: Architecture, *, root: Path
) -> dict[str, tuple[Release, Release]]:
    """Per distribution: the newest release for the runtime's Python, and the newest of all
    (they differ when newer releases need a newer Python); every wheel of each is listed."""
    if not names:
        return {}
    options = ["--universal", "--no-deps", "--python-version", runtime.python_version,
               "--format", "pylock.toml"]  # fmt: skip
    environment = marker_environment(runtime, architecture)
    try:  # the index pages are fresh in uv's cache when a lock was just resolved
        pylock = _compile([*options, "--offline"], sorted(names), root=root)
    except ResolverError:  # a release whose metadata is not cached yet
        pylock = _compile(options, sorted(names), root=root)
    by_name: dict[str, list[Release]] = {}
    for release in releases(pylock):
        by_name.setdefault(release.name, []).append(release)
    newest = {}
    for name, found in by_name.items():
        newest_of_all = max(found, key=lambda release: Version(release.version))
        mine = [release for release in found if _applies(release.marker, environment)]
        newest[name] = (max(mine, key=lambda r: Version(r.version), default=newest_of_all),
                        newest_of_all)  # fmt: skip
    return newest


def _applies(marker: str, environment: dict[str, str]) -> bool:
    try:
        return not marker or Marker(marker).evaluate(environment)
    except InvalidMarker:
        return True
