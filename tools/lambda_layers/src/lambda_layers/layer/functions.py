"""Function declarations: `functions/functions.toml`, one table per function, validated.

Each function names the layers it stacks (in order), the runtime it deploys on, its
architectures, memory, environment, the host services it needs, and smoke events with the
response each must contain. Its handler lives in `functions/<name>/`. A `[services.<name>]` table
says which environment tells a function where that service runs. The file's header documents every
field.
"""

from __future__ import annotations

import enum
import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from lambda_layers.base.documents import problems, read_toml
from lambda_layers.base.errors import ConfigurationError
from lambda_layers.platform.facts import (
    ArchitectureField,
    facts,
    limits,
    runtime_problems,
    runtimes,
)

FUNCTIONS_DIRECTORY = "functions"
DECLARATIONS_FILE = "functions.toml"
MAX_LAYERS = limits().layers_per_function
NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
HANDLER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\.[A-Za-z_][A-Za-z0-9_]*$"


class Service(enum.StrEnum):
    """Servers a function may reach on the host's 127.0.0.1 (the harness starts them)."""

    CHROMA = "chroma"
    S3 = "s3"


class ServiceSpec(BaseModel):
    """How a function learns where a service runs: variables whose values may hold `{host}`,
    `{port}` and `{url}` of the running server."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    environment: dict[str, str] = {}


class SmokeEvent(BaseModel):
    """One event sent to the function and what its response must contain."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1)]
    event: dict[str, Any]
    expect: dict[str, Any] = {}
    expect_error: str | None = None
    """Instead of `expect`: the `errorType` the invocation must fail with."""

    @model_validator(mode="before")
    @classmethod
    def _event_from_file(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or "event_file" not in data:
            return data
        if "event" in data:
            raise ValueError("give either `event` or `event_file`, not both")
        base = (info.context or {}).get("function_directory")
        if not isinstance(base, Path):
            raise ValueError("`event_file` needs the function's directory to resolve against")
        path = base / str(data["event_file"])
        try:
            event = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ValueError(f"event_file {path}: cannot read a JSON object: {error}") from None
        rest = {key: value for key, value in data.items() if key != "event_file"}
        return {**rest, "event": event}

    @model_validator(mode="after")
    def _one_expectation(self) -> SmokeEvent:
        if self.expect and self.expect_error:
            raise ValueError(
                "give `expect` (a response) or `expect_error` (an errorType), not both"
            )
        return self


class FunctionSpec(BaseModel):
    """A Lambda function: its code, its layer stack, and how to prove it works."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    description: str = ""
    runtime: str
    """The runtime it deploys on (e.g. `python3.13`)."""
    test_runtimes: list[str] = []
    """Further runtimes the container tests prove the stack on (the layers are built for them)."""
    architectures: Annotated[list[ArchitectureField], Field(min_length=1)]
    layers: Annotated[list[str], Field(min_length=1)]
    handler: Annotated[str, Field(pattern=HANDLER_PATTERN)]
    memory_mb: Annotated[int, Field(ge=128, le=10240)] = 512
    timeout_seconds: Annotated[int, Field(ge=1, le=900)] = 60
    environment: dict[str, str] = {}
    services: list[Service] = []
    seed: str | None = None
    """A host-side file, relative to `functions/`, whose `seed(*, services, root)` fills the
    declared services before the function runs (the harness imports it on the host)."""
    imports: list[str] = []
    """Modules the function imports from its layers (checked importable from the stack)."""
    import_comparison: Annotated[list[str], Field(min_length=2, max_length=2)] | None = None
    """Two modules whose import times the cold-start report sets against each other."""
    events: Annotated[list[SmokeEvent], Field(min_length=1)]

    @field_validator("runtime", "test_runtimes")
    @classmethod
    def _runtimes_supported(cls, value: str | list[str], info: ValidationInfo) -> str | list[str]:
        names = [value] if isinstance(value, str) else value
        found = runtime_problems(names, (info.context or {}).get("today"))
        if found:
            raise ValueError("; ".join(found))
        return value

    @field_validator("layers", "architectures")
    @classmethod
    def _no_duplicates(cls, value: list[Any]) -> list[Any]:
        if len(set(value)) != len(value):
            raise ValueError(f"listed twice: {sorted({v for v in value if value.count(v) > 1})}")
        return value

    @field_validator("layers")
    @classmethod
    def _within_lambdas_layer_limit(cls, value: list[str]) -> list[str]:
        if len(value) > MAX_LAYERS:
            raise ValueError(
                f"{len(value)} layers, and Lambda attaches at most {MAX_LAYERS} to a function: "
                "merge the requirements of two layers into one spec (or move code into the "
                "function's folder)"
            )
        return value

    @field_validator("environment")
    @classmethod
    def _not_reserved(cls, value: dict[str, str]) -> dict[str, str]:
        reserved = sorted(key for key in value if key in facts().reserved_environment.names)
        if reserved:
            raise ValueError(f"{reserved} are set by Lambda itself and cannot be declared")
        return value

    @property
    def handler_module(self) -> str:
        """`pkg.module` of `pkg.module.function`."""
        return self.handler.rsplit(".", 1)[0]

    @property
    def all_runtimes(self) -> list[str]:
        """The deploy runtime first, then the test-only ones."""
        return [self.runtime, *(name for name in self.test_runtimes if name != self.runtime)]

    @property
    def cold_start_runtimes(self) -> list[str]:
        """Where the cold-start report measures it: the deploy runtime, and the newest runtime
        it is proven on (the one it would move to next)."""
        newest = max(self.all_runtimes, key=lambda name: runtimes()[name].version_key)
        return list(dict.fromkeys([self.runtime, newest]))

    def code_directory(self, root: Path) -> Path:
        """`functions/<name>/`: mounted as `/var/task`."""
        return root / FUNCTIONS_DIRECTORY / self.name


def load_function(name: str, data: Any, *, path: Path, root: Path) -> FunctionSpec:
    """One `[functions.<name>]` table, validated; errors name the file and every bad field."""
    if not isinstance(data, dict):
        raise ConfigurationError(f"{path}: field functions.{name}: expected a table")
    context = {"function_directory": root / FUNCTIONS_DIRECTORY / name}
    try:
        spec = FunctionSpec.model_validate({"name": name, **data}, context=context)
    except ValidationError as error:
        raise ConfigurationError(
            f"{path}: function {name!r} is invalid:\n"
            + problems(error, prefix=f"functions.{name}.")
        ) from None
    return spec


def _check_code(spec: FunctionSpec, *, path: Path, root: Path) -> list[str]:
    directory = spec.code_directory(root)
    module = directory.joinpath(*spec.handler_module.split("."))
    if module.with_suffix(".py").is_file() or (module / "__init__.py").is_file():
        return []
    return [
        f"field functions.{spec.name}.handler: {spec.handler!r} needs "
        f"{module.with_suffix('.py').relative_to(root)} (the function's code lives in "
        f"{directory.relative_to(root)}/)"
    ]


def _check_seed(spec: FunctionSpec, *, root: Path) -> list[str]:
    if spec.seed is None:
        return []
    if not spec.services:
        return [f"field functions.{spec.name}.seed: a seed needs `services` to fill"]
    path = root / FUNCTIONS_DIRECTORY / spec.seed
    if path.suffix == ".py" and path.is_file():
        return []
    return [f"field functions.{spec.name}.seed: no Python file {path.relative_to(root)}"]


def _check_services(spec: FunctionSpec, *, declared: Any) -> list[str]:
    return [
        f"field functions.{spec.name}.services: no [services.{service.value}] table says how the "
        "function finds it (its `environment`)"
        for service in spec.services
        if service.value not in declared
    ]


def load_services(root: Path) -> dict[Service, ServiceSpec]:
    """The `[services.<name>]` tables of `functions.toml`, validated."""
    path = root / FUNCTIONS_DIRECTORY / DECLARATIONS_FILE
    tables = read_toml(path, "the function declarations").get("services", {})
    try:
        return {Service(name): ServiceSpec.model_validate(table) for name, table in tables.items()}
    except (ValueError, ValidationError) as error:
        raise ConfigurationError(
            f"{path}: [services] is invalid ({error}); services are "
            f"{', '.join(s.value for s in Service)}"
        ) from None


def _check_layers(spec: FunctionSpec, *, layers_directory: Path) -> list[str]:
    from lambda_layers.layer.spec import load_spec

    problems = []
    for layer in spec.layers:
        spec_path = layers_directory / f"{layer}.toml"
        if not spec_path.is_file():
            problems.append(
                f"field functions.{spec.name}.layers: no layer spec {spec_path} for {layer!r}"
            )
            continue
        layer_spec = load_spec(spec_path)
        missing_runtimes = [r for r in spec.all_runtimes if r not in layer_spec.runtimes]
        missing_arches = [a.value for a in spec.architectures if a not in layer_spec.architectures]
        if missing_runtimes or missing_arches:
            problems.append(
                f"field functions.{spec.name}.layers: layer {layer!r} is not built for "
                f"{missing_runtimes + missing_arches} (add them to {spec_path})"
            )
    return problems


def load_functions(root: Path) -> list[FunctionSpec]:
    """Every function in `<root>/functions/functions.toml`, in file order, cross-checked against
    the layer specs in `<root>/layers/` and the code in `<root>/functions/<name>/`."""
    path = root / FUNCTIONS_DIRECTORY / DECLARATIONS_FILE
    data = read_toml(path, "the function declarations")
    unknown = sorted(set(data) - {"functions", "services"})
    if unknown:
        raise ConfigurationError(
            f"{path}: unknown top-level keys {unknown}: declare each function as [functions.<name>]"
            " and each service as [services.<name>]"
        )
    tables = data.get("functions", {})
    if not isinstance(tables, dict) or not tables:
        raise ConfigurationError(f"{path}: no functions declared (add a [functions.<name>] table)")
    specs = [load_function(name, table, path=path, root=root) for name, table in tables.items()]
    problems = [
        problem
        for spec in specs
        for problem in (
            *_check_code(spec, path=path, root=root),
            *_check_seed(spec, root=root),
            *_check_layers(spec, layers_directory=root / "layers"),
            *_check_services(spec, declared=data.get("services", {})),
        )
    ]
    if problems:
        raise ConfigurationError(f"{path}: declarations do not match the repository:\n  - "
                                 + "\n  - ".join(problems))  # fmt: skip
    return specs


def select_functions(specs: list[FunctionSpec], names: list[str]) -> list[FunctionSpec]:
    """The functions called `names` (all when empty), or a ConfigurationError naming the unknown."""
    if not names:
        return specs
    known = {spec.name: spec for spec in specs}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ConfigurationError(f"unknown functions {unknown}; declared: {sorted(known)}")
    return [known[name] for name in names]
