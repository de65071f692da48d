"""Files written whole or not at all (a reader never sees half of one), and their SHA-256."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A scratch path beside `path` (file or directory) that replaces it if the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    _remove(partial)
    try:
        yield partial
        partial.replace(path)
    finally:
        _remove(partial)


def write_atomically(path: Path, content: str | bytes) -> Path:
    """Write `content` to `path` through a scratch file and a rename."""
    with replacing(path) as partial:
        if isinstance(content, str):
            partial.write_text(content, encoding="utf-8")
        else:
            partial.write_bytes(content)
    return path


def sha256_of(path: Path) -> str:
    """The hex SHA-256 of a file's bytes, read in blocks."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
