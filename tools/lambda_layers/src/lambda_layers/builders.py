"""Builders fill a staging `python/` for a target: `local` (uv, host) or `docker` (in an image)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lambda_layers.assemble import install_locked
from lambda_layers.base.errors import ResolutionError
from lambda_layers.bytecode import BytecodeReport, compile_bytecode
from lambda_layers.locks import LockedDistribution
from lambda_layers.platform.host import Host
from lambda_layers.targets import Target


class BuilderName(enum.StrEnum):
    AUTO = "auto"
    LOCAL = "local"
    DOCKER = "docker"


@dataclass(frozen=True, slots=True, kw_only=True)
class Assembly:
    """What goes into the staging tree."""

    target: Target
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

    def image_for(self, target: Target) -> str | None:
        """The image `target` is built in, known before anything is built (it is hashed)."""
        ...

    def install(self, assembly: Assembly) -> None: ...

    def compile(self, assembly: Assembly) -> BytecodeReport: ...


class LocalBuilder:
    """Wheels for the target platform resolved and installed by uv on this machine."""

    name = BuilderName.LOCAL

    def __init__(self, host: Host | None = None) -> None:
        self.host = host or Host.detect()

    def image_for(self, target: Target) -> str | None:
        return None

    def install(self, assembly: Assembly) -> None:
        if assembly.unlocked_requirements:
            raise ResolutionError(
                f"{assembly.target.stem}: {list(assembly.unlocked_requirements)} have no "
                "wheels-only lock, and the local builder never builds an sdist on this machine: "
                "use `--builder docker` (or `auto`), which builds inside a runtime image"
            )
        install_locked(
            distributions=assembly.distributions,
            wheels=assembly.wheels,
            target=assembly.site,
            runtime=assembly.target.runtime,
            architecture=assembly.target.architecture,
        )

    def compile(self, assembly: Assembly) -> BytecodeReport:
        return compile_bytecode(assembly.site, assembly.target.runtime.python_version, self.host)
