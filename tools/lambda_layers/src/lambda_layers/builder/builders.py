"""Builders fill a staging `python/` for a target: `local` (uv, host) or `docker` (in an image).

The local builder installs wheels for the target platform with uv; no sdist is ever built on the
host (`--no-build`), and every wheel's hash is checked against the lock (`--require-hashes`).
"""

from __future__ import annotations

import enum
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lambda_layers.base.console import run_command
from lambda_layers.base.errors import ResolutionError
from lambda_layers.builder.bytecode import (
    BytecodeReport,
    compile_bytecode,
    compile_in_image,
)
from lambda_layers.builder.locks import LockedDistribution
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.builder.workspace import UV_TIMEOUT
from lambda_layers.engine.images import present_image
from lambda_layers.platform.facts import Architecture, Runtime
from lambda_layers.platform.host import Host, uv_binary


class BuilderName(enum.StrEnum):
    AUTO = "auto"
    LOCAL = "local"
    DOCKER = "docker"


@dataclass(frozen=True, slots=True, kw_only=True)
class Assembly:
    """What goes into the staging tree."""

    target: BuildTarget
    distributions: Sequence[LockedDistribution]
    wheels: Sequence[Path]
    site: Path
    image: str | None = None
    """The image the target is built in (None: on this machine)."""
    # Requirements to resolve at install time, when no wheels-only lock exists for the target:
    # only a container may do that (it may run an sdist's build script). Empty with a lock.
    unlocked_requirements: Sequence[str] = ()


class Builder(Protocol):
    name: BuilderName

    def image_for(self, target: BuildTarget) -> str | None:
        """The image `target` is built in, known before anything is built (it is hashed)."""
        ...

    def install(self, assembly: Assembly) -> None: ...

    def compile(self, assembly: Assembly) -> BytecodeReport: ...


def install_locked(
    *,
    distributions: Sequence[LockedDistribution],
    wheels: Sequence[Path],
    target: Path,
    runtime: Runtime,
    architecture: Architecture,
) -> None:
    """Install pinned, hash-checked wheels and local wheels into `target` for the platform."""
    platform_options: list[str | Path] = [
        "--python-platform", runtime.uv_platform(architecture),
        "--python-version", runtime.python_version,
        "--target", target, "--no-deps", "--no-build", "--no-compile", "--quiet",
        "--link-mode", "copy",
    ]  # fmt: skip
    target.mkdir(parents=True, exist_ok=True)
    if distributions:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
            requirements.write("\n".join(d.requirement_text() for d in distributions) + "\n")
        try:
            run_command(
                [uv_binary(), "pip", "install", *platform_options, "--require-hashes",
                 "--requirement", requirements.name],
                timeout=UV_TIMEOUT,
            )  # fmt: skip
        finally:
            Path(requirements.name).unlink(missing_ok=True)
    if wheels:
        run_command([uv_binary(), "pip", "install", *platform_options, *wheels], timeout=UV_TIMEOUT)


class LocalBuilder:
    """Wheels for the target platform resolved and installed by uv on this machine; bytecode
    compiled by this machine's CPython of the runtime's version, or else by the runtime's Python
    in an image here (none: the layer ships sources, and the manifest says why)."""

    name = BuilderName.LOCAL

    def __init__(self, host: Host | None = None) -> None:
        self.host = host or Host.detect()

    def image_for(self, target: BuildTarget) -> str | None:
        """None when this host compiles the target's bytecode (or none is wanted); else the
        runtime image that does, this host's architecture first, if one is here."""
        runtime = target.runtime
        if not target.spec.compile_bytecode or self.host.interpreter_for(runtime.python_version):
            return None
        architectures = [self.host.architecture, target.architecture]
        return present_image(runtime, [a for a in architectures if a is not None])

    def install(self, assembly: Assembly) -> None:
        if assembly.unlocked_requirements:
            raise ResolutionError(
                f"{assembly.target.stem}: {list(assembly.unlocked_requirements)} have no "
                "wheels-only lock, and the local builder never builds an sdist on this machine: "
                "use `--builder docker` (or `auto`), which builds inside a runtime image"
            )
        install_locked(
            distributions=assembly.distributions, wheels=assembly.wheels, target=assembly.site,
            runtime=assembly.target.runtime, architecture=assembly.target.architecture,
        )  # fmt: skip

    def compile(self, assembly: Assembly) -> BytecodeReport:
        runtime = assembly.target.runtime
        if assembly.image:  # only when this host has no CPython of the runtime's version
            return compile_in_image(assembly.site, image=assembly.image, runtime=runtime,
                                    label=assembly.target.stem)  # fmt: skip
        return compile_bytecode(assembly.site, runtime, self.host)
