"""Host services a function declares: real servers on 127.0.0.1, seeded, and their environment."""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lambda_layers.base.errors import ConfigurationError, ContainerError
from lambda_layers.layer.functions import FUNCTIONS_DIRECTORY, FunctionSpec, Service, ServiceSpec

# The live_services server each kind of service runs as (each endpoint has a `url`).
_SERVERS = {Service.CHROMA: "chroma_server", Service.S3: "moto_server"}


@dataclass(frozen=True, slots=True, kw_only=True)
class RunningServices:
    endpoints: dict[str, Any] = field(default_factory=dict)
    """The live_services endpoint of each service (`ChromaEndpoint`, `MotoEndpoint`)."""
    environment: dict[str, str] = field(default_factory=dict)


def _live_services() -> Any:
    try:
        import live_services
    except ImportError:
        raise ContainerError(
            "functions with `services` need the live-services package on the host (real Chroma "
            "and moto servers on 127.0.0.1): install it next to lambda-layers (`uv sync "
            "--package live-services`)"
        ) from None
    return live_services


def service_environment(declared: ServiceSpec, url: str) -> dict[str, str]:
    """The declared variables with `{host}`, `{port}` and `{url}` of the server at `url`."""
    parts = urlsplit(url)
    values = {"host": parts.hostname or "", "port": str(parts.port or ""), "url": url}
    return {name: value.format(**values) for name, value in declared.environment.items()}


def _seed(function: FunctionSpec, *, endpoints: dict[str, Any], root: Path) -> None:
    if function.seed is None:
        return
    path = root / FUNCTIONS_DIRECTORY / function.seed
    name = f"lambda_run_seed_{function.name.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ConfigurationError(f"{path}: cannot load the seed of {function.name}")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ImportError as error:
        raise ConfigurationError(
            f"{path}: the seed of {function.name} needs {error.name!r} on the host; install it "
            f"in the environment running the harness ({error})"
        ) from None
    seed = getattr(module, "seed", None)
    if not callable(seed):
        raise ConfigurationError(f"{path}: defines no `seed(*, services, root)` function")
    try:
        seed(services=endpoints, root=root)
    except Exception as error:  # the project's own code: its failure is named, with its file
        raise ConfigurationError(
            f"{path}: the seed of {function.name} failed: {error!r}"
        ) from error


@contextlib.contextmanager
def running_services(
    function: FunctionSpec, *, declared: Mapping[Service, ServiceSpec], root: Path
) -> Iterator[RunningServices]:
    """Start the servers `function` declares, seed them, and stop them when done."""
    if not function.services:
        yield RunningServices()
        return
    live_services = _live_services()
    endpoints: dict[str, Any] = {}
    environment: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        for service in function.services:
            try:
                endpoint = stack.enter_context(getattr(live_services, _SERVERS[service])())
            except live_services.ServiceStartError as error:
                raise ContainerError(f"the {service.value} server did not start: {error}") from None
            endpoints[service.value] = endpoint
            environment |= service_environment(declared[service], endpoint.url)
        _seed(function, endpoints=endpoints, root=root)
        yield RunningServices(endpoints=endpoints, environment=environment)
