"""Host services a function declares (real servers on 127.0.0.1), seeded, and the environment
that tells the function where they are.

| service | server                        | function environment                                |
| ------- | ----------------------------- | --------------------------------------------------- |
| chroma  | `chroma run` (live_services)  | RECEIPT_CHROMA_HOST, RECEIPT_CHROMA_PORT            |
| s3      | `moto_server` (live_services) | AWS_ENDPOINT_URL_S3 (boto3 honours it), dummy keys  |
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lambda_layers.base.errors import ConfigurationError, ContainerError
from lambda_layers.layer.functions import FUNCTIONS_DIRECTORY, FunctionSpec, Service


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
    seed(services=endpoints, root=root)


@contextlib.contextmanager
def running_services(function: FunctionSpec, *, root: Path) -> Iterator[RunningServices]:
    """Start the servers `function` declares, seed them, and stop them when done."""
    if not function.services:
        yield RunningServices()
        return
    live_services = _live_services()
    endpoints: dict[str, Any] = {}
    environment: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        if Service.CHROMA in function.services:
            chroma = stack.enter_context(live_services.chroma_server())
            endpoints[Service.CHROMA.value] = chroma
            environment |= {
                "RECEIPT_CHROMA_HOST": chroma.host,
                "RECEIPT_CHROMA_PORT": str(chroma.port),
            }
        if Service.S3 in function.services:
            moto = stack.enter_context(live_services.moto_server())
            endpoints[Service.S3.value] = moto
            environment |= {"AWS_ENDPOINT_URL_S3": moto.url}
        _seed(function, endpoints=endpoints, root=root)
        yield RunningServices(endpoints=endpoints, environment=environment)
