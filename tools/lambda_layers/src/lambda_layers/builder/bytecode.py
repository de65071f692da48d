"""Compile `.pyc` for the layer's Python: Lambda cannot write them (/opt is read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lambda_layers.base.console import console, plain, run_command
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


def compile_bytecode(site: Path, python_version: str, host: Host) -> BytecodeReport:
    """Compile every module below `site` with a CPython of `python_version`, if one is here."""
    interpreter = host.interpreter_for(python_version)
    if interpreter is None:
        return BytecodeReport(
            compiled=False,
            interpreter=None,
            reason=f"no CPython {python_version} on this machine (PATH or pyenv): the layer ships "
            "sources only and every cold start compiles them; install one, or use the docker "
            "builder",
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
