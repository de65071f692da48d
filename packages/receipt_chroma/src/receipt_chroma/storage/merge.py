"""Apply deltas to an open collection and check the result before anything is published.

The ordering rule lives here: per record ID the operation with the greatest `Stamp` wins,
across compactions too (each snapshot keeps the winning stamps, see `stamps.StampBook`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from receipt_chroma.collections import ReceiptCollection
from receipt_chroma.errors import VerificationError
from receipt_chroma.records import Record
from receipt_chroma.schema import to_chroma_metadata
from receipt_chroma.storage.delta import Delta

BATCH_SIZE = 2000
SPOT_CHECKS = 25
_TOLERANCE = 1e-5


@dataclass(frozen=True, slots=True, order=True)
class Stamp:
    """Orders the operations on one record ID: the greatest wins, whenever it arrives.

    `created_ms`, then `sequence` (both the producer's), then the producer's name, then the
    delta's SHA-256 (arbitrary, but the same in every compaction; equal only within one delta).
    """

    created_ms: int
    sequence: int
    producer: str
    delta: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MergePlan:
    """What to change: the winning upserts and deletes, each newer than the snapshot's stamp."""

    upserts: dict[str, Record]
    deletes: frozenset[str]
    stamps: dict[str, Stamp]
    """The winning stamp of every ID the plan changes (deletes included: tombstones)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeResult:
    upserted: int
    deleted: int
    count_before: int
    count_after: int


def touched_ids(deltas: Sequence[Delta]) -> set[str]:
    return {key for delta in deltas for key in (*(r.id for r in delta.upserts), *delta.deletes)}


def plan_merge(deltas: Sequence[tuple[Delta, str]], *, stored: Mapping[str, Stamp]) -> MergePlan:
    """Per ID the operation with the greatest stamp among `deltas` (each with its SHA-256),
    kept only if newer than the stamp `stored` for that ID (none stored: any is newer)."""
    winners: dict[str, tuple[Stamp, Record | None]] = {}
    for delta, digest in deltas:
        stamp = Stamp(delta.created_ms, delta.sequence, delta.producer, digest)
        operations: list[tuple[str, Record | None]] = [(r.id, r) for r in delta.upserts]
        operations += [(key, None) for key in delta.deletes]
        for key, record in operations:
            if key not in winners or winners[key][0] < stamp:
                winners[key] = (stamp, record)
    fresh = {key: won for key, won in winners.items() if key not in stored or stored[key] < won[0]}
    return MergePlan(
        upserts={key: record for key, (_, record) in fresh.items() if record is not None},
        deletes=frozenset(key for key, (_, record) in fresh.items() if record is None),
        stamps={key: stamp for key, (stamp, _) in fresh.items()},
    )


def _batches(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(collection: ReceiptCollection, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for batch in _batches(ids, BATCH_SIZE):
        found.update(record.id for record in collection.get(batch))
    return found


def apply_plan(collection: ReceiptCollection, plan: MergePlan) -> MergeResult:
    """Upsert and delete in batches; the expected count is computed before anything changes."""
    count_before = collection.count()
    touched = sorted(plan.upserts.keys() | plan.deletes)
    existing = _existing(collection, touched)
    added = len(plan.upserts.keys() - existing)
    removed = len(plan.deletes & existing)
    records = list(plan.upserts.values())
    for start in range(0, len(records), BATCH_SIZE):
        collection.upsert(records[start : start + BATCH_SIZE])
    for batch in _batches(sorted(plan.deletes), BATCH_SIZE):
        collection.delete(batch)
    return MergeResult(
        upserted=len(records),
        deleted=removed,
        count_before=count_before,
        count_after=count_before + added - removed,
    )


def _same(stored: Record, wanted: Record) -> str | None:
    if stored.document != wanted.document:
        return f"document {stored.document!r} != {wanted.document!r}"
    if to_chroma_metadata(stored.metadata) != to_chroma_metadata(wanted.metadata):
        return f"metadata {dict(stored.metadata)} != {dict(wanted.metadata)}"
    have, want = stored.embedding or (), wanted.embedding or ()
    if len(have) != len(want) or any(
        not math.isclose(a, b, abs_tol=_TOLERANCE) for a, b in zip(have, want, strict=True)
    ):
        return "embedding differs"
    return None


def verify(
    collection: ReceiptCollection, plan: MergePlan, result: MergeResult, *, seed: int
) -> None:
    """Count, then spot-check sampled upserts (equal) and deletes (gone): VerificationError."""
    where = f"merged collection {collection.name!r}"
    found = collection.count()
    if found != result.count_after:
        raise VerificationError(f"{where} holds {found} records, expected {result.count_after} "
                                f"({result.count_before} before the deltas)")  # fmt: skip
    rng = random.Random(seed)
    wanted = rng.sample(sorted(plan.upserts), min(SPOT_CHECKS, len(plan.upserts)))
    stored = {record.id: record for record in collection.get(wanted, with_embeddings=True)}
    for key in wanted:
        problem = "missing" if key not in stored else _same(stored[key], plan.upserts[key])
        if problem:
            raise VerificationError(f"{where}: record {key!r} after merging: {problem}")
    gone = rng.sample(sorted(plan.deletes), min(SPOT_CHECKS, len(plan.deletes)))
    left = [record.id for record in collection.get(gone)]
    if left:
        raise VerificationError(f"{where}: deleted records {left[:3]} are still present")
