"""Apply deltas to an open collection and check the result before anything is published."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from receipt_chroma.collections import ReceiptCollection
from receipt_chroma.errors import VerificationError
from receipt_chroma.records import Record
from receipt_chroma.schema import to_chroma_metadata
from receipt_chroma.storage.delta import Delta

BATCH_SIZE = 2000
SPOT_CHECKS = 25
_TOLERANCE = 1e-5


@dataclass(frozen=True, slots=True, kw_only=True)
class MergePlan:
    """The net effect of deltas applied in order: the last write to an ID wins."""

    upserts: dict[str, Record]
    deletes: frozenset[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class MergeResult:
    upserted: int
    deleted: int
    count_before: int
    count_after: int


def plan_merge(deltas: Sequence[Delta]) -> MergePlan:
    """Fold deltas (oldest first) into one set of upserts and one of deletes."""
    upserts: dict[str, Record] = {}
    deletes: set[str] = set()
    for delta in deltas:
        for record in delta.upserts:
            deletes.discard(record.id)
            upserts[record.id] = record
        for key in delta.deletes:
            upserts.pop(key, None)
            deletes.add(key)
    return MergePlan(upserts=upserts, deletes=frozenset(deletes))


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
