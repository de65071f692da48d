"""Advisory file locks (flock) on scratch directories that processes and threads share.

A lock is held while a directory is in use: a compaction's work directory, a reader's copy of a
snapshot. One that nobody holds marks the directory as stale (its owner was killed), so it may be
removed. flock locks belong to an open file, so two threads of one process exclude each other
too, and the kernel drops them when a process dies (SIGKILL included).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from pathlib import Path

STALE_AFTER_SECONDS = 60.0
"""A directory must also be this old to count as stale (its owner may be creating it)."""


class FileLock:
    """A held flock on `path` (created if missing), until `close()`."""

    def __init__(self, path: Path, *, shared: bool = False, wait: bool = True) -> None:
        self.path = path
        self._fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        flags = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(self._fd, flags)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise

    @classmethod
    def attempt(cls, path: Path) -> FileLock | None:
        """An exclusive lock on `path` if nobody holds one, else None (never waits)."""
        try:
            return cls(path, wait=False)
        except BlockingIOError:
            return None

    def close(self) -> None:
        """Release the lock (closing the file does)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def remove_if_stale(directory: Path, lock: Path) -> bool:
    """Remove `directory` (and `lock`) if no one holds `lock` and it is old enough."""
    try:
        if time.time() - directory.stat().st_mtime < STALE_AFTER_SECONDS:
            return False
    except FileNotFoundError:
        return False
    held = FileLock.attempt(lock)
    if held is None:
        return False
    with contextlib.closing(held):
        shutil.rmtree(directory, ignore_errors=True)
        lock.unlink(missing_ok=True)
    return True
