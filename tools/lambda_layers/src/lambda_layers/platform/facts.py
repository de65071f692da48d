"""The platform facts of `platforms.toml`, validated by pydantic into frozen records."""

from __future__ import annotations

import datetime
import enum
import functools
import tomllib
from importlib import resources
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from lambda_layers.base.errors import ConfigurationError


class Architecture(enum.StrEnum):
    """Lambda's instruction set architectures, with AWS's names."""

    ARM64 = "arm64"
    X86_64 = "x86_64"


def _dotted(text: Any) -> Any:
    return tuple(int(part) for part in text.split(".")) if isinstance(text, str) else text


Version = Annotated[tuple[int, ...], BeforeValidator(_dotted)]


class _Facts(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(_Facts):
    megabyte: int
    unzipped_bytes: int
    direct_upload_bytes: int
    layers_per_function: int


class Paths(_Facts):
    layers: str
    task_root: str
    runtime_dir: str
    python_home: str
    search_paths: tuple[str, ...]


class ReservedEnvironment(_Facts):
    names: frozenset[str]


class Distributions(_Facts):
    runtime_provided: frozenset[str]
    runtime_provided_dependencies: frozenset[str]
    import_names: dict[str, str]


class ArchitectureFacts(_Facts):
    architecture: Architecture
    elf_machine: str
    elf_class: int
    little_endian: bool
    machine: str
    wheel_arch: str
    docker_platform: str
    debian_arch: str
    strip_tool: str
    dynamic_loader: str


class BaseSystem(_Facts):
    name: str
    glibc: Version
    glibcxx: Version
    libraries: frozenset[str]


class Runtime(_Facts):
    name: str
    python_version: str
    base_system: BaseSystem
    manylinux: str
    official_image: str
    deprecation: datetime.date

    @property
    def python_tag(self) -> str:
        """The CPython wheel tag, e.g. `cp312`."""
        return "cp" + self.python_version.replace(".", "")

    @property
    def search_paths(self) -> tuple[str, ...]:
        """Where this runtime's Python finds layer code, relative to /opt, in sys.path order."""
        return tuple(
            path.format(python_version=self.python_version) for path in facts().paths.search_paths
        )

    @property
    def resolver_glibc(self) -> tuple[int, int]:
        """The glibc of the manylinux tag the resolver is given (2.17 for `manylinux_2_17`)."""
        major, minor = self.manylinux.removeprefix("manylinux_").split("_")
        return int(major), int(minor)

    def uv_platform(self, architecture: Architecture) -> str:
        """The `uv pip --python-platform` value, e.g. `aarch64-manylinux_2_34`."""
        return f"{architecture_facts(architecture).wheel_arch}-{self.manylinux}"

    def official_image_for(self, architecture: Architecture) -> str:
        return f"{self.official_image}-{architecture.value}"

    def allowed_libraries(self, architecture: Architecture) -> frozenset[str]:
        loader = architecture_facts(architecture).dynamic_loader
        return self.base_system.libraries | {loader}

    def environment(self) -> dict[str, str]:
        """The environment Lambda's image of this runtime sets (PATH, PYTHONPATH, ...)."""
        paths = facts().paths
        layer_paths = ":".join(f"{paths.layers}/{path}" for path in self.search_paths)
        values = {**paths.model_dump(exclude={"search_paths"}), "search_paths": layer_paths}
        return {key: value.format(**values) for key, value in facts().environment.items()}


class PythonSource(enum.StrEnum):
    DEBIAN = "debian"  # the suite's own python3, linked into the Python home
    PYENV = "pyenv"  # the host's pyenv CPython tree, copied there


class StandinRuntime(_Facts):
    suite: str
    python: PythonSource
    architectures: tuple[Architecture, ...]


class Standins(_Facts):
    format: int
    awslambdaric: str
    runtime_sdk: tuple[str, ...]
    rootfs_packages: tuple[str, ...]
    runtimes: dict[str, StandinRuntime]

    @property
    def runtime_sdk_versions(self) -> dict[str, str]:
        """The AWS SDK a runtime ships, by distribution: `{"boto3": "1.44.5", ...}`.

        The pins the stand-ins install are the only record here of the runtime's SDK (AWS
        publishes each runtime's boto3 only in its release notes), so they stand for every runtime.
        """
        pins = (pin.partition("==") for pin in self.runtime_sdk)
        return {name: version for name, _, version in pins}


class Platform(_Facts):
    """Everything `platforms.toml` says, cross-referenced (a runtime holds its base system)."""

    limits: Limits
    paths: Paths
    environment: dict[str, str]
    reserved_environment: ReservedEnvironment
    distributions: Distributions
    elf_machines: dict[str, str]
    architectures: dict[Architecture, ArchitectureFacts]
    base_systems: dict[str, BaseSystem]
    runtimes: dict[str, Runtime]
    standins: Standins

    @model_validator(mode="before")
    @classmethod
    def _resolve(cls, data: Any) -> Any:
        """Names from the table keys; each runtime's base system from its name."""
        systems = {name: {**entry, "name": name} for name, entry in data["base_systems"].items()}
        return {
            **data,
            "architectures": {
                name: {**entry, "architecture": name}
                for name, entry in data["architectures"].items()
            },
            "base_systems": systems,
            "runtimes": {
                name: {**entry, "name": name, "base_system": systems.get(entry["base_system"])}
                for name, entry in data["runtimes"].items()
            },
        }


@functools.cache
def facts() -> Platform:
    """The platform data, loaded once; a ConfigurationError naming the field if it is wrong."""
    source = resources.files("lambda_layers.platform").joinpath("platforms.toml")
    try:
        return Platform.model_validate(tomllib.loads(source.read_text(encoding="utf-8")))
    except ValidationError as error:
        raise ConfigurationError(f"{source}: the platform data is invalid:\n{error}") from None


def limits() -> Limits:
    return facts().limits


def architecture_facts(architecture: Architecture) -> ArchitectureFacts:
    return facts().architectures[architecture]


def runtimes() -> dict[str, Runtime]:
    """Every known runtime by its Lambda name (`python3.12`)."""
    return facts().runtimes


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


def elf_architecture(machine: str, elf_class: int, little_endian: bool) -> Architecture | None:
    """The Lambda architecture an ELF header describes, or None (foreign to Lambda)."""
    for entry in facts().architectures.values():
        if (entry.elf_machine, entry.elf_class, entry.little_endian) == (
            machine,
            elf_class,
            little_endian,
        ):
            return entry.architecture
    return None


def mb(size: int) -> float:
    """`size` bytes in the megabytes AWS quotes Lambda's limits in (2**20 bytes)."""
    return size / facts().limits.megabyte
