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
from receipt_chroma.storage.delta import Delta, DeltaLimits, decode, encode, make_delta, sha256
from receipt_chroma.storage.delta_checks import check_delta
from receipt_chroma.storage.layout import StorageConfig, parse_delta_key
from receipt_chroma.storage.objects import ObjectStore, PreconditionFailed, StoredObject
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

    Everything a merge or Chroma would refuse is refused here first (`check_delta`), and so is a
    delta beyond the compactor's `limits`. The embedding dimension is checked against the
    current snapshot's (read once from the pointer) unless given. The object is named by its
    content, so retrying a write is harmless.
    """

    def __init__(
        self, *, config: StorageConfig, s3: Any, producer: str = "", dimension: int | None = None,
        limits: DeltaLimits | None = None,
    ) -> None:  # fmt: skip
        self._store = ObjectStore(config=config, s3=s3)
        self._producer = producer
        self._dimension = dimension
        self._limits = limits or DeltaLimits()

    def _expected_dimension(self) -> int | None:
        if self._dimension is None:
            pointer = read_pointer(self._store)
            self._dimension = pointer.dimension if pointer else None
        return self._dimension

    def _refuse(self, problem: str) -> DeltaError:
        config = self._store.config
        return DeltaError(f"delta for {config.url(config.root)}: {problem}; nothing was written")

    def write(
        self,
        *,
        upserts: Sequence[RecordLike] = (),
        deletes: Sequence[str] = (),
        created_ms: int | None = None,
        sequence: int = 0,
    ) -> WrittenDelta:
        """Check and upload one delta.

        Per record ID the greatest (`created_ms`, `sequence`, producer) wins, whenever it
        arrives. Pass the event's time as `created_ms` (and, for events of the same
        millisecond, the source's order as `sequence`): a retried invocation then produces the
        very same object, and a late, older event never overwrites a newer one.
        """
        config = self._store.config
        delta = make_delta(
            collection=config.collection,
            upserts=upserts,
            deletes=deletes,
            created_ms=int(time.time() * 1000) if created_ms is None else created_ms,
            sequence=sequence,
            producer=self._producer,
        )
        expected = self._expected_dimension()
        if delta.upserts and expected is not None and delta.dimension != expected:
            raise self._refuse(f"embeddings have {delta.dimension} dimensions, the collection "
                               f"holds {expected}: embed with the collection's model")  # fmt: skip
        data = encode(delta)
        if len(data) > self._limits.max_object_bytes:
            raise self._refuse(f"{len(data)} bytes, over the compactor's limit of "
                               f"{self._limits.max_object_bytes}: split it")  # fmt: skip
        key = config.delta_key(created_ms=delta.created_ms, sha256=sha256(data))
        written = WrittenDelta(
            key=key, upserts=len(delta.upserts), deletes=len(delta.deletes), already_stored=True
        )
        if self._store.head(config.consumed_key(key)) is not None:
            return written
        try:
            # named by its content: an object there already holds these bytes
            self._store.put(key, data, if_absent=True, same_bytes_are_ours=False)
        except PreconditionFailed:
            return written
        return replace(written, already_stored=False)


def scan_deltas(store: ObjectStore) -> tuple[list[StoredObject], list[StoredObject]]:
    """(pending deltas oldest first, foreign objects) under deltas/: a pending delta is named
    `<13-digit created ms>-<sha256>.delta`; anything else there is foreign."""
    pending: list[StoredObject] = []
    foreign: list[StoredObject] = []
    for item in store.list(store.config.deltas_prefix):
        (foreign if parse_delta_key(item.key) is None else pending).append(item)
    return sorted(pending, key=lambda item: item.key), foreign


def list_pending(store: ObjectStore) -> list[str]:
    """Keys of pending deltas, oldest first (foreign objects under deltas/ left out)."""
    return [item.key for item in scan_deltas(store)[0]]


def load_delta(
    store: ObjectStore, item: StoredObject, *, dimension: int | None, limits: DeltaLimits
) -> Delta:
    """Download, check its checksum, decode and check one delta against the collection.

    DeltaError (its message: why no merge can apply it) for a delta to quarantine;
    ObjectMissingError when it was removed since it was listed."""
    config, key = store.config, item.key
    url = config.url(key)

    def refuse(problem: str) -> DeltaError:
        return DeltaError(f"delta {url} {problem}", key=key)

    if item.size > limits.max_object_bytes:
        raise refuse(f"is {item.size} bytes, over the limit of {limits.max_object_bytes} "
                     "(DeltaLimits.max_object_bytes); split it")  # fmt: skip
    data, _ = store.get(key, what="delta", fix="it was removed while listed; run again")
    parsed = parse_delta_key(key)
    if parsed is None or sha256(data) != parsed[1]:
        raise refuse("is corrupt: its SHA-256 does not match its name")
    delta = decode(data, where=url, limits=limits)
    if delta.collection != config.collection:
        elsewhere = config.url(replace(config, collection=delta.collection).deltas_prefix)
        raise refuse(f"is for collection {delta.collection!r}, not {config.collection!r}: "
                     f"it belongs under {elsewhere}")  # fmt: skip
    if delta.upserts and dimension is not None and delta.dimension != dimension:
        raise refuse(
            f"holds {delta.dimension}-dimensional embeddings, the collection "
            f"{dimension}-dimensional ones: embed with the collection's model"
        )
    if delta.created_ms != parsed[0]:
        raise refuse(f"says it was created at {delta.created_ms} ms, its name {parsed[0]}")
    check_delta(delta, where=url, fix="have the producer write it again")
    return delta


def is_consumed(store: ObjectStore, key: str) -> bool:
    return store.head(store.config.consumed_key(key)) is not None


def mark_consumed(store: ObjectStore, key: str, *, version: int, manifest_key: str) -> None:
    """Record that `key` is merged into `version`, then remove it from the pending deltas."""
    marker = json.dumps({"version": version, "manifest": manifest_key}).encode()
    with contextlib.suppress(PreconditionFailed):  # already marked by an interrupted run
        store.put(store.config.consumed_key(key), marker, if_absent=True)
    store.delete(key)
