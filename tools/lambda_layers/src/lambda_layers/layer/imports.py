"""Whether a module is importable from a set of files: a layer, a stack, or a function's code."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath


class Files:
    """Paths (relative, `/`-separated) and the directories they imply."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = frozenset(paths)
        self.directories = frozenset(
            str(parent) for path in self.paths for parent in PurePosixPath(path).parents
        )

    def provides(self, module: str, *, base: str = "") -> bool:
        """`module` below `base`: a package, a module, its bytecode, an extension module of the
        same name, or a directory (a namespace package)."""
        stem = "/".join(module.split("."))
        prefix = f"{base}/{stem}" if base else stem
        candidates = ("/__init__.py", "/__init__.pyc", ".py", ".pyc")
        if prefix in self.directories or any(prefix + end in self.paths for end in candidates):
            return True
        extension = prefix + "."
        return any(
            path.startswith(extension)
            and path.endswith(".so")
            and "/" not in path[len(extension) :]
            for path in self.paths
        )
