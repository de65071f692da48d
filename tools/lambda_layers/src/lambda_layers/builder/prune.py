"""Prune a staging tree: tests, caches, stubs, sources and docs a Lambda function never reads."""

from __future__ import annotations

import csv
import fnmatch
import posixpath
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

# Directories below a package that only tests or builds use.
_DIRECTORIES = {"tests", "test", "testing_data", "__pycache__", "benchmarks", "docs", "doc",
                "examples"}  # fmt: skip
# ... unless they are a package the code imports (botocore.docs, which boto3 imports).
_CODE_WHEN_PACKAGE = {"docs", "doc", "examples", "benchmarks"}
# Files no import reads: type stubs, C sources and headers, Cython sources, build leftovers.
_FILES = ("*.pyi", "*.pyx", "*.pxd", "*.pxi", "*.c", "*.cc", "*.cpp", "*.h", "*.hpp", "*.pyc",
          "*.pyo", "*.a", "*.lib")  # fmt: skip
# Never remove these, even when a rule matches (Python reads them).
_KEEP = ("*.dist-info/*",)
# Where installers put console scripts, below the `--target` directory.
_SCRIPTS = "bin"


@dataclass(frozen=True, slots=True)
class PruneReport:
    files: int
    bytes: int


def _keep(relative: str) -> bool:
    return any(fnmatch.fnmatch(relative, pattern) for pattern in _KEEP)


def _prunable(directory: Path, relative: Path) -> bool:
    """A tests/docs/... directory below a package (a top-level package called `test` stays, and
    so does an importable `docs` package)."""
    if len(relative.parts) < 2 or directory.name not in _DIRECTORIES:
        return False
    if directory.name in _CODE_WHEN_PACKAGE and (directory / "__init__.py").is_file():
        return False
    return not _keep(relative.as_posix() + "/")


def prune(site: Path, *, extra_patterns: tuple[str, ...] = ()) -> PruneReport:
    """Remove what no import needs below `site` (the layer's `python/`); return what went."""
    removed_files = 0
    removed_bytes = 0
    for directory in sorted(site.rglob("*"), key=lambda p: len(p.parts)):
        if not directory.is_dir() or not directory.exists():
            continue
        if _prunable(directory, directory.relative_to(site)):
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
    installer_lock = site / ".lock"  # uv's lock for `--target`, left behind in the tree
    if installer_lock.is_file():
        removed_files += 1
        installer_lock.unlink()
    scripts, script_bytes = forget_console_scripts(site)
    forgotten = forget_installation(site)
    return PruneReport(
        files=removed_files + scripts + forgotten, bytes=removed_bytes + script_bytes
    )


def _forget_in_records(site: Path, gone: Callable[[str], bool]) -> None:
    """Drop every RECORD row whose path (relative to `site`) `gone` says was removed."""
    for record in sorted(site.glob("*.dist-info/RECORD")):
        lines = record.read_text().splitlines(keepends=True)
        kept = [line for line in lines
                if not gone(posixpath.normpath(line.split(",", 1)[0]))]  # fmt: skip
        if len(kept) != len(lines):
            record.write_text("".join(kept))


# Written by the installer about this one installation (the wheel's temporary path, a cache key):
# they would make two builds of the same inputs differ, and no import reads them.
_INSTALLATION_RECORDS = ("direct_url.json", "uv_cache.json")


def forget_installation(site: Path) -> int:
    """Remove per-installation files from every dist-info, and their rows from RECORD."""
    gone = {path for name in _INSTALLATION_RECORDS for path in site.glob(f"*.dist-info/{name}")}
    for path in gone:
        path.unlink()
    names = {path.relative_to(site).as_posix() for path in gone}
    _forget_in_records(site, names.__contains__)
    return len(gone)


def forget_console_scripts(site: Path) -> tuple[int, int]:
    """Remove `bin/` (console scripts) and its RECORD rows; return how many files and bytes.

    The installer writes each script's shebang as the path of the Python it ran with (a venv of
    the build machine), so the scripts would differ between checkouts; and Lambda never runs
    them (its PATH has /opt/bin, not /opt/python/bin). A package called `bin` stays.
    """
    scripts = site / _SCRIPTS
    if not scripts.is_dir() or (scripts / "__init__.py").is_file():
        return 0, 0
    files = [path for path in scripts.rglob("*") if path.is_file() or path.is_symlink()]
    size = sum(path.lstat().st_size for path in files)
    shutil.rmtree(scripts)
    _forget_in_records(site, lambda path: path.split("/", 1)[0] == _SCRIPTS)
    return len(files), size


def remove_distributions(site: Path, names: frozenset[str]) -> list[str]:
    """Uninstall distributions called `names` from `site` by their RECORD; return what went.

    For trees resolved at install time (no lock to leave them out of): the spec's `exclude` and
    the runtime-provided packages are removed after the fact, files and dist-info alike.
    """
    removed = []
    for dist_info in sorted(site.glob("*.dist-info")):
        name = dist_info.name.removesuffix(".dist-info").rsplit("-", 1)[0]
        if str(canonicalize_name(name)) not in names:
            continue
        record = dist_info / "RECORD"
        if record.is_file():
            for row in csv.reader(record.read_text().splitlines()):
                path = (site / row[0]).resolve() if row else None
                if path is not None and path.is_relative_to(site.resolve()) and path.is_file():
                    path.unlink()
        shutil.rmtree(dist_info, ignore_errors=True)
        removed.append(f"{canonicalize_name(name)} (left out after install)")
    for directory in sorted(site.rglob("*"), key=lambda p: -len(p.parts)):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    return removed
