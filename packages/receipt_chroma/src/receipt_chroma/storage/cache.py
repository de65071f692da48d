"""Readers' local copies of snapshots, shared safely by readers, threads and processes.

    <cache_dir>/<collection>-<16 hex of sha256(bucket, prefix, collection)>/
        .lock                               held while a copy is unpacked or old ones removed
        v<version:012>-<16 hex of the archive's sha256>/        a verified, unpacked snapshot
        v<version:012>-<16 hex of the archive's sha256>.lock    held (shared) by its readers

Keyed by bucket, prefix and collection, so two tenants' `words` never share a directory, and
by version and checksum, so a copy is only ever the snapshot it is named after. A copy is
unpacked into a unique temporary directory and renamed into place once verified; one process
at a time does so while the others wait and then use it. A version's copy is removed once a
reader moved past it and no reader holds its lock.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from receipt_chroma.storage.layout import StorageConfig
from receipt_chroma.storage.locks import FileLock
from receipt_chroma.storage.pointer import Pointer

LOCK_SUFFIX = ".lock"


def cache_key(config: StorageConfig) -> str:
    scope = "\0".join((config.bucket, config.prefix, config.collection)).encode()
    return f"{config.collection}-{hashlib.sha256(scope).hexdigest()[:16]}"


class SnapshotCache:
    """The copies of one collection (bucket, prefix, collection) under `root`."""

    def __init__(self, root: Path, config: StorageConfig) -> None:
        self.directory = Path(root) / cache_key(config)

    def copy_path(self, pointer: Pointer) -> Path:
        return self.directory / f"v{pointer.version:012d}-{pointer.sha256[:16]}"

    def acquire(self, pointer: Pointer, *, unpack: Callable[[Path], None]) -> FileLock:
        """Make sure the copy for `pointer` exists (`unpack(path)` verifies and writes it) and
        return a shared lock on it: hold it while the copy is open, close it after."""
        self.directory.mkdir(parents=True, exist_ok=True)
        copy = self.copy_path(pointer)
        with closing(FileLock(self.directory / LOCK_SUFFIX)):
            if not copy.is_dir():
                unpack(copy)
            in_use = FileLock(copy.with_name(copy.name + LOCK_SUFFIX), shared=True)
            self._remove_unused(keep=copy)
        return in_use

    def _remove_unused(self, *, keep: Path) -> None:
        """Other versions' copies no reader holds, and partial unpacks of killed processes
        (none can be in progress: the caller holds the directory's lock)."""
        for path in self.directory.iterdir():
            if path == keep or not path.is_dir():
                continue
            if ".partial" in path.name:
                shutil.rmtree(path, ignore_errors=True)
                continue
            lock = path.with_name(path.name + LOCK_SUFFIX)
            unused = FileLock.attempt(lock)
            if unused is not None:
                with closing(unused):
                    shutil.rmtree(path, ignore_errors=True)
                    lock.unlink(missing_ok=True)
