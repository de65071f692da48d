"""Deltas in S3: writing them (producers, thin client), listing, loading and consuming them."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from receipt_chroma.errors import DeltaError
from receipt_chroma.records import RecordLike
from receipt_chroma.storage.delta import Delta, check_delta, decode, encode, make_delta, sha256
from receipt_chroma.storage.layout import StorageConfig, parse_delta_key
from receipt_chroma.storage.objects import ObjectStore, PreconditionFailed
from receipt_chroma.storage.pointer import read_pointer


@dataclass(frozen=True, slots=True, kw_only=True)
class WrittenDelta:
    key: str
    upserts: int
    deletes: int
    already_stored: bool
    """True when the same delta was already pending or merged (a retried upload)."""


class DeltaWriter:
    """Writes deltas for one collection (needs only the `[lambda]` extra: no embedded Chroma).

    The embedding dimension is checked against the current snapshot's (read once from the
    pointer) unless given. The object is named by its content, so retrying a write is harmless.
    """

    def __init__(
        self, *, config: StorageConfig, s3: Any, producer: str = "", dimension: int | None = None
    ) -> None:
        self._store = ObjectStore(config=config, s3=s3)
        self._producer = producer
        self._dimension = dimension

    def _expected_dimension(self) -> int | None:
        if self._dimension is None:
            pointer = read_pointer(self._store)
            self._dimension = pointer.dimension if pointer else None
        return self._dimension

    def write(
        self,
        *,
        upserts: Sequence[RecordLike] = (),
        deletes: Sequence[str] = (),
        created_ms: int | None = None,
    ) -> WrittenDelta:
        """Check and upload one delta. Pass `created_ms` (e.g. the event's time) to make a
        retried invocation produce the very same object."""
        config = self._store.config
        delta = make_delta(
            collection=config.collection,
            upserts=upserts,
            deletes=deletes,
            created_ms=int(time.time() * 1000) if created_ms is None else created_ms,
            producer=self._producer,
        )
        expected = self._expected_dimension()
        if delta.upserts and expected is not None and delta.dimension != expected:
            raise DeltaError(
                f"delta for {config.url(config.root)}: embeddings have {delta.dimension} "
                f"dimensions, the collection holds {expected}: embed with the collection's model; "
                "nothing was written"
            )
        data = encode(delta)
        key = config.delta_key(created_ms=delta.created_ms, sha256=sha256(data))
        written = WrittenDelta(
            key=key, upserts=len(delta.upserts), deletes=len(delta.deletes), already_stored=True
        )
        if self._store.head(config.consumed_key(key)) is not None:
            return written
        try:
            self._store.put(key, data, if_absent=True)
        except PreconditionFailed:
            return written
        return WrittenDelta(key=key, upserts=written.upserts, deletes=written.deletes,
                            already_stored=False)  # fmt: skip


def list_pending(store: ObjectStore) -> list[str]:
    """Keys of pending deltas, oldest first (named `<created ms>-<sha256>.delta`)."""
    keys = []
    for item in store.list(store.config.deltas_prefix):
        if parse_delta_key(item.key) is None:
            raise DeltaError(
                f"{store.config.url(item.key)} is not named like a delta "
                "(<13-digit ms>-<sha256>.delta): move it out of deltas/; nothing was changed",
                key=item.key,
            )
        keys.append(item.key)
    return sorted(keys)


def load_delta(store: ObjectStore, key: str, *, dimension: int | None) -> Delta:
    """Download, check its checksum, decode and check one delta against the collection."""
    config = store.config
    url = config.url(key)
    fix = f"delete it (`aws s3 rm {url}`) and have the producer write it again"
    data, _ = store.get(key, what="delta", fix="it was removed while listed; run again")
    parsed = parse_delta_key(key)
    if parsed is None or sha256(data) != parsed[1]:
        raise DeltaError(f"delta {url} is corrupt: its SHA-256 does not match its name; {fix}; "
                         "nothing was changed", key=key)  # fmt: skip
    delta = decode(data, where=url)
    if delta.collection != config.collection:
        raise DeltaError(
            f"delta {url} is for collection {delta.collection!r}, not {config.collection!r}: "
            f"move it under {config.url(replace(config, collection=delta.collection).root)}"
            "deltas/ or delete it; nothing was changed",
            key=key,
        )
    if delta.upserts and dimension is not None and delta.dimension != dimension:
        raise DeltaError(
            f"delta {url} holds {delta.dimension}-dimensional embeddings, the collection "
            f"{dimension}-dimensional ones: {fix} with the collection's embedding model; "
            "nothing was changed",
            key=key,
        )
    check_delta(delta, where=url)
    return delta


def is_consumed(store: ObjectStore, key: str) -> bool:
    return store.head(store.config.consumed_key(key)) is not None


def mark_consumed(store: ObjectStore, key: str, *, version: int, manifest_key: str) -> None:
    """Record that `key` is merged into `version`, then remove it from the pending deltas."""
    marker = json.dumps({"version": version, "manifest": manifest_key}).encode()
    with contextlib.suppress(PreconditionFailed):  # already marked by an interrupted run
        store.put(store.config.consumed_key(key), marker, if_absent=True)
    store.delete(key)
