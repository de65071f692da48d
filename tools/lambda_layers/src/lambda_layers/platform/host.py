"""This host: the Lambda architecture its CPU runs, its CPythons (PATH, pyenv), and uv."""

from __future__ import annotations

import functools
import platform
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import uv

from lambda_layers.base.console import run_command
from lambda_layers.base.errors import CommandError
from lambda_layers.base.settings import Settings
from lambda_layers.platform.facts import Architecture, architecture_facts, facts


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
def _interpreter(python_version: str, pyenv_root: Path) -> Path | None:
    candidates: list[Path] = []
    on_path = shutil.which(f"python{python_version}")
    if on_path:
        candidates.append(Path(on_path))
    candidates += sorted(pyenv_root.glob(f"versions/{python_version}.*/bin/python{python_version}"))
    return next((path for path in candidates if _version_of(path) == python_version), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Host:
    """The machine the tool runs on: which Lambda architecture (if any) it runs natively."""

    architecture: Architecture | None
    pyenv_root: Path = field(default_factory=lambda: Settings().pyenv_root)

    @classmethod
    def detect(cls, settings: Settings | None = None) -> Host:
        """This machine: its CPU as `platform.machine()` names it, its pyenv as settings say."""
        machine, settings = platform.machine(), settings or Settings.from_environment()
        native = [a for a in Architecture if architecture_facts(a).machine == machine]
        return cls(architecture=next(iter(native), None), pyenv_root=settings.pyenv_root)

    def emulates(self, architecture: Architecture) -> bool:
        """Whether code for `architecture` runs here only under emulation."""
        return architecture is not self.architecture

    def timeout_factor(self, architecture: Architecture) -> float:
        """How many times Lambda's timeout a run for `architecture` gets here (emulation is
        slower; platforms.toml [emulation])."""
        return facts().emulation.timeout_factor if self.emulates(architecture) else 1.0

    def interpreter_for(
        self, python_version: str, architecture: Architecture | None = None
    ) -> Path | None:
        """A CPython of exactly `python_version` here (PATH, then pyenv), or None; given an
        architecture, only if this host runs code built for it."""
        if architecture is not None and architecture is not self.architecture:
            return None
        return _interpreter(python_version, self.pyenv_root)

    def pyenv_tree(self, python_version: str) -> Path | None:
        """The newest pyenv CPython tree (its prefix) of `python_version`, or None."""
        trees = [
            tree
            for tree in (self.pyenv_root / "versions").glob(f"{python_version}.*")
            if (tree / "bin" / f"python{python_version}").is_file()
            and re.fullmatch(r"\d+\.\d+\.\d+", tree.name)
        ]
        return max(trees, key=lambda t: tuple(int(p) for p in t.name.split(".")), default=None)
