"""Readers: the current snapshot pulled into local disk, verified, opened embedded, reused.

Made for AWS Lambda: build one `SnapshotReader` at module level; each invocation calls
`collection()` (or `query()`), which costs one small GET of the pointer while it has not moved,
and when it has: the new archive streamed from S3 and unpacked on the fly (no tar on disk), kept
only if its SHA-256 matches, then opened; the old copy is removed once no reader uses it. The
copies live in a `SnapshotCache` (see receipt_chroma.storage.cache for the layout).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from receipt_chroma.client import ChromaClient
from receipt_chroma.collections import ReceiptCollection
from receipt_chroma.errors import ObjectMissingError, PointerError
from receipt_chroma.install import require_full
from receipt_chroma.records import Match
from receipt_chroma.storage.archive import pull_snapshot
from receipt_chroma.storage.cache import SnapshotCache
from receipt_chroma.storage.layout import StorageConfig
from receipt_chroma.storage.locks import FileLock
from receipt_chroma.storage.objects import ObjectStore
from receipt_chroma.storage.pointer import Pointer, read_pointer
from receipt_chroma.storage.progress import Reporter, SilentReporter

DEFAULT_CACHE = Path("/tmp/receipt-chroma")


class SnapshotReader:
    """Serves queries from the snapshot the pointer names (needs the `[full]` extra).

    `recheck_seconds`: how long a warm copy is trusted before the pointer is read again
    (0 = every call). The local copies live under `cache_dir`, which readers of any bucket,
    prefix and collection, in one process or several, may share.
    """

    def __init__(
        self,
        *,
        config: StorageConfig,
        s3: Any,
        cache_dir: Path | str = DEFAULT_CACHE,
        recheck_seconds: float = 0.0,
        reporter: Reporter | None = None,
    ) -> None:
        require_full("SnapshotReader (it opens snapshots embedded)")
        self.config = config
        self._store = ObjectStore(config=config, s3=s3)
        self._cache = SnapshotCache(Path(cache_dir), config)
        self._recheck = recheck_seconds
        self._reporter = reporter or SilentReporter()
        self._pointer: Pointer | None = None
        self._client: ChromaClient | None = None
        self._collection: ReceiptCollection | None = None
        self._in_use: FileLock | None = None
        self._checked_at = float("-inf")

    @property
    def version(self) -> int | None:
        """The version currently open (None before the first call)."""
        return self._pointer.version if self._pointer else None

    def collection(self) -> ReceiptCollection:
        """The open collection, swapped for the new version first if the pointer moved."""
        now = time.monotonic()
        if self._collection is not None and now - self._checked_at < self._recheck:
            return self._collection
        pointer = read_pointer(self._store)
        if pointer is None:
            raise PointerError(
                f"collection {self.config.url(self.config.root)} has no snapshot yet (no "
                f"{self.config.pointer_key}): run a compaction first (`receipt-chroma compact`)",
                key=self.config.pointer_key,
            )
        self._checked_at = now
        if (
            self._collection is None
            or self._pointer is None
            or not _same_snapshot(pointer, self._pointer)
        ):
            try:
                self._open(pointer)
            except ObjectMissingError:
                # the pointer moved and the old archive was collected while we looked: once more
                newer = read_pointer(self._store)
                if newer is None or newer == pointer:
                    raise
                self._open(newer)
        assert self._collection is not None
        return self._collection

    def query(
        self, embedding: Sequence[float], *, n_results: int = 5,
        where: Mapping[str, object] | None = None,
    ) -> list[Match]:  # fmt: skip
        return self.collection().query(embedding, n_results=n_results, where=where)

    def _open(self, pointer: Pointer) -> None:
        self.close()

        def unpack(destination: Path) -> None:
            pull_snapshot(
                self._store, archive_key=pointer.archive_key, sha256=pointer.sha256,
                destination=destination,
                progress=self._reporter.transfer("download snapshot", pointer.size),
            )  # fmt: skip

        self._in_use = self._cache.acquire(pointer, unpack=unpack)
        # The copy is writable (Chroma writes to SQLite even to read); our client refuses writes.
        path = self._cache.copy_path(pointer)
        self._client = ChromaClient.persistent(path, read_only=True)
        self._collection = self._client.collection(self.config.collection, create=False)
        self._pointer = pointer

    def close(self) -> None:
        """Close the open copy (its files stay until a reader moves past its version)."""
        if self._client is not None:
            self._client.close()
        if self._in_use is not None:
            self._in_use.close()
        self._client = None
        self._collection = None
        self._pointer = None
        self._in_use = None


def _same_snapshot(one: Pointer, other: Pointer) -> bool:
    """The same archive (a repoint to the snapshot already open changes only the generation)."""
    return (one.archive_key, one.sha256) == (other.archive_key, other.sha256)
