"""The platform facts of `platforms.toml`, validated by pydantic into frozen records."""

from __future__ import annotations

import calendar
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


class Emulation(_Facts):
    timeout_factor: float


class DeprecationPolicy(_Facts):
    warning_months: int


def _months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` earlier (that month's last day if it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


class Runtime(_Facts):
    name: str
    python_version: str
    base_system: BaseSystem
    manylinux: str
    official_image: str
    deprecation: datetime.date
    """The date AWS deprecates the runtime: from then on this tool refuses it."""

    def deprecated_by(self, today: datetime.date) -> bool:
        return today >= self.deprecation

    def deprecation_warning(self, today: datetime.date) -> str | None:
        """What to tell a user building for this runtime on `today`: None unless its deprecation
        is at most `[deprecation].warning_months` away (or past)."""
        if self.deprecated_by(today):
            return f"{self.name} was deprecated on {self.deprecation}: Lambda no longer supports it"
        months = facts().deprecation.warning_months
        if today < _months_before(self.deprecation, months):
            return None
        newest = max(supported_runtimes(today).values(), key=lambda r: r.version_key)
        days = (self.deprecation - today).days
        return (
            f"{self.name} is deprecated on {self.deprecation} (in {days} days): Lambda then stops "
            f"patching it and later blocks creating and updating functions on it; move to "
            f"{newest.name}"
        )

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.python_version.split("."))

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
    emulation: Emulation
    base_systems: dict[str, BaseSystem]
    deprecation: DeprecationPolicy
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
    """Every runtime the data knows by its Lambda name (`python3.12`), deprecated ones included."""
    return facts().runtimes


def supported_runtimes(today: datetime.date | None = None) -> dict[str, Runtime]:
    """The runtimes not deprecated on `today` (default: today), oldest first."""
    day = today or datetime.date.today()
    found = [entry for entry in runtimes().values() if not entry.deprecated_by(day)]
    return {entry.name: entry for entry in sorted(found, key=lambda r: r.version_key)}


def _suggestion(name: str, known: dict[str, str]) -> str:
    """` (did you mean 'x'?)` when `name` is another spelling of a known value (`known`: each
    spelling -> the value's name)."""
    meant = known.get(name.strip().lower()) or known.get(name.strip().lower().replace("-", "_"))
    return f" (did you mean {meant!r}?)" if meant and meant != name else ""


def _runtime_spellings(today: datetime.date) -> dict[str, str]:
    """`3.14`, `py3.14`, `python314`, `cp314`, ... -> `python3.14`, for the supported runtimes."""
    spellings = {}
    for entry in supported_runtimes(today).values():
        major, minor = entry.python_version.split(".")
        for prefix in ("", "py", "python", "cp", "python-"):
            for separator in (".", ""):
                spellings[f"{prefix}{major}{separator}{minor}"] = entry.name
    return spellings


def runtime(name: str) -> Runtime:
    """The runtime called `name` (deprecated ones too), or a ConfigurationError naming the
    supported ones."""
    known = runtimes()
    if name not in known:
        today = datetime.date.today()
        raise ConfigurationError(
            f"unknown Lambda runtime {name!r}{_suggestion(name, _runtime_spellings(today))}: "
            f"Lambda's Python runtimes are {', '.join(supported_runtimes(today))}"
        )
    return known[name]


def supported_runtime(name: str, today: datetime.date | None = None) -> Runtime:
    """The runtime called `name` if Lambda still supports it on `today`; a ConfigurationError
    naming the supported ones (and, for a deprecated one, the date it was deprecated)."""
    found, day = runtime(name), today or datetime.date.today()
    if found.deprecated_by(day):
        raise ConfigurationError(
            f"{name} was deprecated on {found.deprecation} and Lambda no longer supports it: "
            f"use one of {', '.join(supported_runtimes(day))}"
        )
    return found


def runtime_problems(names: list[str], today: datetime.date | None = None) -> list[str]:
    """Why each of `names` cannot be built for (unknown, or deprecated on `today`); empty: none."""
    found = []
    for name in names:
        try:
            supported_runtime(name, today)
        except ConfigurationError as error:
            found.append(str(error))
    return found


def _architecture_spellings() -> dict[str, str]:
    """`aarch64`, `amd64`, `linux/arm64`, ... -> AWS's name of the architecture."""
    return {
        spelling.lower(): entry.architecture.value
        for entry in facts().architectures.values()
        for spelling in (entry.architecture.value, entry.machine, entry.wheel_arch,
                         entry.debian_arch, entry.docker_platform)
    }  # fmt: skip


def architecture(name: str) -> Architecture:
    """The architecture called `name` (AWS's spelling), or a ConfigurationError naming Lambda's
    and, for another spelling of one (`aarch64`, `amd64`), the name to use."""
    try:
        return Architecture(name)
    except ValueError:
        known = ", ".join(a.value for a in Architecture)
        raise ConfigurationError(
            f"unknown architecture {name!r}{_suggestion(name, _architecture_spellings())}: "
            f"Lambda's are {known} (AWS's names)"
        ) from None


def _architecture_field(value: Any) -> Any:
    """A spec's or declaration's architecture by AWS's name; another spelling is an error that
    names the right one."""
    if isinstance(value, str):
        try:
            return architecture(value)
        except ConfigurationError as error:
            raise ValueError(str(error)) from None
    return value


# An architecture field of a user's file: `aarch64` is refused with "did you mean 'arm64'?".
ArchitectureField = Annotated[Architecture, BeforeValidator(_architecture_field)]


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
