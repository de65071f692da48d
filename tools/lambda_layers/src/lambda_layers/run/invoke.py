"""Run a function on its layer stack in a Lambda-like container and collect what Lambda reports.

The container: the extracted stack read-only at `/opt`, the function's code read-only at
`/var/task`, a read-only root with only `/tmp` writable (tmpfs), Lambda's environment, the
function's memory as the limit, every capability dropped, a non-root user, and no network
unless the function declares host services (then the host's, to reach them on 127.0.0.1).
Inside, `runtime_api.py` (mounted read-only, run isolated from the layers by the runtime's own
Python) serves the Runtime API on the container's 127.0.0.1 and runs
`python3 -m awslambdaric <handler>` against it.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lambda_layers.engine.client import Client
from lambda_layers.engine.runner import ContainerRun, Mount, Network, RunOptions
from lambda_layers.layer import probe
from lambda_layers.layer.functions import FunctionSpec, SmokeEvent
from lambda_layers.platform.facts import Architecture, Runtime, facts
from lambda_layers.run import runtime_api
from lambda_layers.run.records import RunRecords, parse_records

# The environment Lambda gives the function's process (its image keeps its own PATH, PYTHONPATH,
# ...): https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
REGION = "us-east-1"
ACCOUNT = "123456789012"
# Lambda's own credentials variables always exist; here they hold moto's dummy keys (never AWS).
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def function_arn(function: FunctionSpec) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{function.name}"


def lambda_environment(
    *,
    function: FunctionSpec,
    runtime: Runtime,
    architecture: Architecture,
    services: Mapping[str, str],
) -> dict[str, str]:
    """Lambda's reserved variables, then the function's declared ones, then the service endpoints.

    `AWS_LAMBDA_RUNTIME_API` is set by the in-container Runtime API (it picks its port).
    """
    reserved = {
        "_HANDLER": function.handler,
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{runtime.name}",
        "AWS_LAMBDA_FUNCTION_NAME": function.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": f"local/[$LATEST]{architecture.value}",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "LAMBDA_TASK_ROOT": facts().paths.task_root,
        "LAMBDA_RUNTIME_DIR": facts().paths.runtime_dir,
        **DUMMY_CREDENTIALS,
    }
    return {**reserved, **function.environment, **services}


PATHS = facts().paths
PYTHON = f"{PATHS.python_home}/bin/python3"
HARNESS_DIR = "/var/lambda-run"
LAMBDA_USER = "993:990"  # Lambda runs functions as an unprivileged user (sbx_user1051, uid 993)
CONTAINER_SLACK_SECONDS = 120  # beyond the events' own timeouts: start-up, emulated imports
EMULATED_INIT_SECONDS = 180


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionRun:
    """One container run of a function: which stack, where, and which events."""

    function: FunctionSpec
    runtime: Runtime
    architecture: Architecture
    image: str
    stack: Path
    code: Path
    events: Sequence[SmokeEvent]
    services: Mapping[str, str] = field(default_factory=dict)
    handler: str | None = None
    """Overrides the declared handler (negative tests)."""
    probe: Sequence[str] = ()
    """Modules to import in a fresh process before the runtime starts (the import matrix)."""
    timeout_factor: float = 1.0
    """Times the function's timeout each invocation gets (emulated architectures: Host)."""

    @property
    def timeout_seconds(self) -> float:
        return self.function.timeout_seconds * self.timeout_factor

    @property
    def network(self) -> Network:
        return Network.HOST if self.function.services else Network.NONE

    @property
    def label(self) -> str:
        return f"{self.function.name} {self.runtime.name} {self.architecture.value}"


def _session(run: FunctionRun) -> dict[str, object]:
    handler = run.handler or run.function.handler
    return {
        "command": [PYTHON, "-m", "awslambdaric", handler],
        "function_arn": function_arn(run.function),
        "timeout_seconds": run.timeout_seconds,
        "events": [{"name": event.name, "event": event.event} for event in run.events],
        "environment": {"_HANDLER": handler},
        "probe": list(run.probe),
    }


def _harness_directory(run: FunctionRun, parent: Path) -> Path:
    directory = Path(tempfile.mkdtemp(prefix="lambda-run-", dir=parent))
    shutil.copyfile(runtime_api.__file__, directory / "runtime_api.py")
    (directory / runtime_api.PROBE_FILE).write_text(probe.source())
    (directory / "session.json").write_text(json.dumps(_session(run)))
    for path in (directory, *directory.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return directory


def run_options(run: FunctionRun, harness: Path) -> RunOptions:
    environment = lambda_environment(
        function=run.function,
        runtime=run.runtime,
        architecture=run.architecture,
        services=run.services,
    )
    return RunOptions(
        image=run.image,
        purpose=f"run-{run.function.name}",
        entrypoint=[PYTHON],
        command=["-I", f"{HARNESS_DIR}/runtime_api.py", f"{HARNESS_DIR}/session.json"],
        mounts=[
            Mount(source=run.stack, target=PATHS.layers, read_only=True),
            Mount(source=run.code, target=PATHS.task_root, read_only=True),
            Mount(source=harness, target=HARNESS_DIR, read_only=True),
        ],
        environment=environment,
        network=run.network,
        read_only=True,
        tmpfs={"/tmp": "rw,exec,size=512m,mode=1777"},
        mem_limit=f"{run.function.memory_mb}m",
        user=LAMBDA_USER,
        working_dir=PATHS.task_root,
    )


def invoke(client: Client, run: FunctionRun, *, scratch: Path) -> RunRecords:
    """Run every event of `run` in one fresh container (one cold start, then warm ones)."""
    harness = _harness_directory(run, scratch)
    try:
        timeout = (
            EMULATED_INIT_SECONDS + CONTAINER_SLACK_SECONDS + run.timeout_seconds * len(run.events)
        )
        with ContainerRun(client, run_options(run, harness)) as container:
            result = container.wait(timeout=timeout)
        return parse_records(result.logs, source=run.label)
    finally:
        shutil.rmtree(harness, ignore_errors=True)
