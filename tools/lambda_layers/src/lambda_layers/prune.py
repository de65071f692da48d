"""Prune a staging tree: tests, caches, stubs, sources and docs a Lambda function never reads."""

from __future__ import annotations

import fnmatch
import shutil
from dataclasses import dataclass
from pathlib import Path

# Directories below a package that only tests or builds use.
_DIRECTORIES = {"tests", "test", "testing_data", "__pycache__", "benchmarks", "docs", "doc",
                "examples"}  # fmt: skip
# Files no import reads: type stubs, C sources and headers, Cython sources, build leftovers.
_FILES = ("*.pyi", "*.pyx", "*.pxd", "*.pxi", "*.c", "*.cc", "*.cpp", "*.h", "*.hpp", "*.pyc",
          "*.pyo", "*.a", "*.lib")  # fmt: skip
# Never remove these, even when a rule matches (Python reads them).
_KEEP = ("*.dist-info/*",)


@dataclass(frozen=True, slots=True)
class PruneReport:
    files: int
    bytes: int


def _keep(relative: str) -> bool:
    return any(fnmatch.fnmatch(relative, pattern) for pattern in _KEEP)


def prune(site: Path, *, extra_patterns: tuple[str, ...] = ()) -> PruneReport:
    """Remove what no import needs below `site` (the layer's `python/`); return what went."""
    removed_files = 0
    removed_bytes = 0
    for directory in sorted(site.rglob("*"), key=lambda p: len(p.parts)):
        if not directory.is_dir() or not directory.exists():
            continue
        relative = directory.relative_to(site)
        nested = len(relative.parts) > 1  # a top-level package called `test` stays
        if nested and directory.name in _DIRECTORIES and not _keep(relative.as_posix() + "/"):
            for path in directory.rglob("*"):
                if path.is_file():
                    removed_files += 1
                    removed_bytes += path.stat().st_size
            shutil.rmtree(directory)
    patterns = _FILES + tuple(extra_patterns)
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        posix = path.relative_to(site).as_posix()
        if _keep(posix):
            continue
        if any(fnmatch.fnmatch(path.name, p) or fnmatch.fnmatch(posix, p) for p in patterns):
            removed_files += 1
            removed_bytes += path.stat().st_size
            path.unlink()
    for directory in sorted(site.rglob("*"), key=lambda p: -len(p.parts)):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    return PruneReport(files=removed_files, bytes=removed_bytes)
