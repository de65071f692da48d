"""Compile `.pyc` for the layer's Python: Lambda cannot write them (/opt is read-only).

With a CPython of the runtime's version on this machine, or else that Python in a runtime image
(a `.pyc` does not depend on the CPU, so an image of this host's architecture serves an arm64
layer too). The flags are the same either way, so the bytes are too.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from lambda_layers.base.console import console, plain, run_command
from lambda_layers.base.errors import ContainerError
from lambda_layers.engine.client import docker_client
from lambda_layers.engine.runner import Mount, Network, RunOptions, run_to_completion
from lambda_layers.platform.facts import Runtime, facts
from lambda_layers.platform.host import Host

# compileall exits 1 when some module does not compile for this Python (py2 leftovers): those
# stay source, the rest is compiled. Any other exit is a failure.
SOME_LEFT_AS_SOURCE = 1
COMPILE_TIMEOUT = 3600.0


@dataclass(frozen=True, slots=True)
class BytecodeReport:
    compiled: bool
    interpreter: str | None
    reason: str


def compileall_arguments(site: str | Path) -> list[str]:
    """`python` arguments compiling `site` deterministically, as Lambda sees it.

    Hashes instead of timestamps (`unchecked-hash`: the layer never changes, so Python need not
    even check), and paths as Lambda sees them (`/opt/python/...`).
    """
    return ["-I", "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
            "-s", str(site), "-p", "/opt/python", str(site)]  # fmt: skip


def compiled(*, exit_code: int, output: str, interpreter: str, where: str) -> BytecodeReport:
    """The report of a compileall run that exited with `exit_code` (0 or SOME_LEFT_AS_SOURCE)."""
    reason = f"compiled {where}"
    if exit_code == SOME_LEFT_AS_SOURCE:
        console.print(
            f"  [yellow]![/yellow] some modules did not compile:\n{plain(output.strip()[-1500:])}",
            soft_wrap=True,
        )
        reason += "; modules that do not compile for this Python ship as source"
    return BytecodeReport(compiled=True, interpreter=interpreter, reason=reason)


def compile_bytecode(site: Path, runtime: Runtime, host: Host) -> BytecodeReport:
    """Compile every module below `site` with this host's CPython of the runtime's version (none:
    the report says the layer ships sources, and how to get `.pyc`)."""
    interpreter = host.interpreter_for(runtime.python_version)
    if interpreter is None:
        return BytecodeReport(
            compiled=False,
            interpreter=None,
            reason=f"shipped without .pyc: no CPython {runtime.python_version} on this machine "
            f"(PATH or pyenv) and no {runtime.name} image here, so every cold start compiles the "
            f"layer's modules; build the stand-in (`nox -s runtime_images -- --runtime "
            f"{runtime.name}`) and build again, or use `--builder docker`",
        )
    result = run_command(
        [interpreter, *compileall_arguments(site)],
        timeout=COMPILE_TIMEOUT,
        allowed=(0, SOME_LEFT_AS_SOURCE),
    )
    return compiled(
        exit_code=result.returncode,
        output=result.stdout + result.stderr,
        interpreter=str(interpreter),
        where=f"with {interpreter}",
    )


_SITE = "/lambda-layers/layer/python"


def container_user() -> str:
    """This user and group, so files written in a container stay ours."""
    return f"{os.getuid()}:{os.getgid()}"


def _remove_bytecode(site: Path) -> None:
    for cache in sorted(site.rglob("__pycache__"), reverse=True):
        shutil.rmtree(cache, ignore_errors=True)


def compile_in_image(site: Path, *, image: str, runtime: Runtime, label: str) -> BytecodeReport:
    """Compile every module below `site` with the runtime's Python in `image` (no network);
    on failure no `.pyc` is left and a ContainerError says why."""
    python = f"{facts().paths.python_home}/bin/python{runtime.python_version}"
    options = RunOptions(
        image=image,
        command=[python, *compileall_arguments(_SITE)],
        purpose=f"compile-{label}",
        mounts=[Mount(source=site, target=_SITE, read_only=False)],
        network=Network.NONE,
        user=container_user(),
    )  # fmt: skip
    client = docker_client()
    try:
        result = run_to_completion(client, options, timeout=COMPILE_TIMEOUT)
    except ContainerError:
        _remove_bytecode(site)
        raise
    finally:
        client.close()
    if result.exit_code not in (0, SOME_LEFT_AS_SOURCE):
        _remove_bytecode(site)
        raise ContainerError(
            f"{label}: compileall failed in image {image} (exit {result.exit_code}):\n"
            f"{result.logs.strip()[-4000:]}\nReproduce with the command above "
            "(LAMBDA_LAYERS_KEEP_CONTAINERS=1 keeps the container)"
        )
    return compiled(
        exit_code=result.exit_code, output=result.logs, interpreter=f"{image}:{python}",
        where=f"in {image} ({python})",
    )  # fmt: skip
