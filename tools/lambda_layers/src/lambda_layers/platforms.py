"""Lambda runtimes and architectures, loaded from `data/platforms.toml` into frozen records."""

from __future__ import annotations

import enum
import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from lambda_layers.base.errors import ConfigurationError


class Architecture(enum.StrEnum):
    """Lambda's instruction set architectures, with AWS's names."""

    ARM64 = "arm64"
    X86_64 = "x86_64"


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchitectureFacts:
    architecture: Architecture
    elf_machine: str
    machine: str
    wheel_arch: str
    docker_platform: str
    debian_arch: str
    strip_tool: str
    dynamic_loader: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BaseSystem:
    name: str
    glibc: tuple[int, int]
    glibcxx: tuple[int, ...]
    libraries: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Runtime:
    name: str
    python_version: str
    base_system: BaseSystem
    manylinux: str
    official_image: str

    @property
    def python_tag(self) -> str:
        """The CPython wheel tag, e.g. `cp312`."""
        return "cp" + self.python_version.replace(".", "")

    def uv_platform(self, architecture: Architecture) -> str:
        """The `uv pip --python-platform` value, e.g. `aarch64-manylinux_2_34`."""
        return f"{architecture_facts(architecture).wheel_arch}-{self.manylinux}"

    def official_image_for(self, architecture: Architecture) -> str:
        return f"{self.official_image}-{architecture.value}"

    def allowed_libraries(self, architecture: Architecture) -> frozenset[str]:
        loader = architecture_facts(architecture).dynamic_loader
        return self.base_system.libraries | {loader}


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _glibc(text: str) -> tuple[int, int]:
    major, minor = _version(text)
    return (major, minor)


@functools.cache
def _raw() -> dict[str, Any]:
    return tomllib.loads(
        resources.files("lambda_layers.data").joinpath("platforms.toml").read_text()
    )


@functools.cache
def architecture_facts(architecture: Architecture) -> ArchitectureFacts:
    entry = _raw()["architectures"][architecture.value]
    return ArchitectureFacts(architecture=architecture, **entry)


@functools.cache
def _base_systems() -> dict[str, BaseSystem]:
    return {
        name: BaseSystem(
            name=name,
            glibc=_glibc(entry["glibc"]),
            glibcxx=_version(entry["glibcxx"]),
            libraries=frozenset(entry["libraries"]),
        )
        for name, entry in _raw()["base_systems"].items()
    }


@functools.cache
def runtimes() -> dict[str, Runtime]:
    """Every known runtime by its Lambda name (`python3.12`)."""
    systems = _base_systems()
    return {
        name: Runtime(
            name=name,
            python_version=entry["python_version"],
            base_system=systems[entry["base_system"]],
            manylinux=entry["manylinux"],
            official_image=entry["official_image"],
        )
        for name, entry in _raw()["runtimes"].items()
    }


def runtime(name: str) -> Runtime:
    """The runtime called `name`, or a ConfigurationError listing the known ones."""
    known = runtimes()
    if name not in known:
        raise ConfigurationError(
            f"unknown Lambda runtime {name!r}: known runtimes are {', '.join(sorted(known))}"
        )
    return known[name]


def architecture(name: str) -> Architecture:
    """The architecture called `name` (AWS's spelling), or a ConfigurationError."""
    try:
        return Architecture(name)
    except ValueError:
        known = ", ".join(a.value for a in Architecture)
        raise ConfigurationError(
            f"unknown architecture {name!r}: Lambda's are {known} (AWS's names; not aarch64/amd64)"
        ) from None
