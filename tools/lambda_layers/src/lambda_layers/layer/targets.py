"""Which layer, runtime and architecture a zip is for, and which ones a command is asked about."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lambda_layers.platform.facts import Architecture, architecture, supported_runtime

_ZIP_NAME = re.compile(
    r"^(?P<layer>.+)-(?P<runtime>python\d+\.\d+)-(?P<arch>"
    + "|".join(a.value for a in Architecture)
    + r")\.zip$"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ZipName:
    """`<layer>-<runtime>-<arch>.zip`: the one name of a layer's zip for a runtime and arch."""

    layer: str
    runtime: str
    architecture: Architecture

    def __str__(self) -> str:
        return f"{self.stem}.zip"

    @property
    def stem(self) -> str:
        return f"{self.layer}-{self.runtime}-{self.architecture.value}"

    @classmethod
    def parse(cls, name: str) -> ZipName | None:
        parts = _ZIP_NAME.match(name)
        if parts is None:
            return None
        return cls(
            layer=parts["layer"], runtime=parts["runtime"], architecture=Architecture(parts["arch"])
        )


def zip_name(layer: str, runtime: str, architecture: Architecture) -> str:
    return str(ZipName(layer=layer, runtime=runtime, architecture=architecture))


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """A command's `--layer` (or `--function`), `--runtime` and `--arch` filters; empty: all."""

    names: Sequence[str] = ()
    runtimes: Sequence[str] = ()
    architectures: Sequence[str] = ()

    def check_names(self) -> None:
        """A ConfigurationError for an unknown or deprecated runtime or an unknown architecture,
        naming Lambda's (and the right spelling of `aarch64`, `amd64`, `3.14` ...): never a
        silent empty selection."""
        for name in self.runtimes:
            supported_runtime(name)
        for name in self.architectures:
            architecture(name)

    def admits(self, *, name: str, runtime: str, architecture: str) -> bool:
        return (
            (not self.names or name in self.names)
            and (not self.runtimes or runtime in self.runtimes)
            and (not self.architectures or architecture in self.architectures)
        )
