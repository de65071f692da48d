"""Compile `.pyc` for the layer's Python: Lambda cannot write them (/opt is read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lambda_layers.console import console, run_command
from lambda_layers.errors import CommandError
from lambda_layers.tools import interpreter_for


@dataclass(frozen=True, slots=True)
class BytecodeReport:
    compiled: bool
    interpreter: str | None
    reason: str


def compile_bytecode(site: Path, python_version: str) -> BytecodeReport:
    """Compile every module below `site` with a CPython of `python_version`, if one is here.

    Deterministic: hashes instead of timestamps (`unchecked-hash`: the layer never changes, so
    Python need not even check), and paths as Lambda sees them (`/opt/python/...`).
    """
    interpreter = interpreter_for(python_version)
    if interpreter is None:
        return BytecodeReport(
            compiled=False,
            interpreter=None,
            reason=f"no CPython {python_version} on this machine (PATH or pyenv): the layer ships "
            "sources only and every cold start compiles them; install one, or use the docker "
            "builder",
        )
    try:
        run_command(
            [interpreter, "-I", "-m", "compileall", "-q", "-j", "0",
             "--invalidation-mode", "unchecked-hash", "-s", site, "-p", "/opt/python", site],
        )  # fmt: skip
    except CommandError as error:
        # Some distributions ship modules for other Pythons (py2 leftovers): they stay source.
        console.print(f"  [yellow]![/yellow] some modules did not compile: {error}", soft_wrap=True)
    return BytecodeReport(
        compiled=True, interpreter=str(interpreter), reason=f"compiled with {interpreter}"
    )
