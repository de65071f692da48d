"""External tools the build uses, found once: uv, interpreters, and what this host can run."""

from __future__ import annotations

import functools
import os
import platform
import shutil
from dataclasses import dataclass
from pathlib import Path

import uv

from lambda_layers.base.console import run_command
from lambda_layers.base.errors import CommandError
from lambda_layers.platforms import Architecture, architecture_facts


@functools.cache
def uv_binary() -> Path:
    return Path(uv.find_uv_bin())


def _version_of(executable: Path) -> str | None:
    try:
        result = run_command(
            [executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            timeout=30, quiet=True,
        )  # fmt: skip
    except CommandError:
        return None
    return result.stdout.strip()


@functools.cache
def interpreter_for(python_version: str) -> Path | None:
    """A CPython of exactly `python_version` on this machine (PATH, then pyenv), or None."""
    candidates: list[Path] = []
    on_path = shutil.which(f"python{python_version}")
    if on_path:
        candidates.append(Path(on_path))
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(pyenv_root.glob(f"versions/{python_version}.*/bin/python{python_version}"))
    for candidate in candidates:
        if _version_of(candidate) == python_version:
            return candidate
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Host:
    """The machine the tool runs on: which Lambda architecture (if any) its CPU runs natively."""

    architecture: Architecture | None

    @classmethod
    def detect(cls) -> Host:
        machine = platform.machine()
        native = [a for a in Architecture if architecture_facts(a).machine == machine]
        return cls(architecture=native[0] if native else None)

    def interpreter_for(self, python_version: str, architecture: Architecture) -> Path | None:
        """A CPython of `python_version` that runs code built for `architecture`, or None."""
        return interpreter_for(python_version) if architecture is self.architecture else None
