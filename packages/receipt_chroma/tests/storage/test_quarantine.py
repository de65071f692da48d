"""Deltas that would stop every compaction: the writer refuses them; the compactor, meeting one
written by anything else, moves it to quarantine/ with its reason and applies the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory, Scenario, Storage

from receipt_chroma import Record
from receipt_chroma.errors import DeltaError
from receipt_chroma.storage import (
    Compactor,
    DeltaWriter,
    Outcome,
    list_pending,
    list_quarantined,
)
from receipt_chroma.storage.delta import Delta, encode, sha256

pytestmark = pytest.mark.moto

NAN, INF = float("nan"), float("inf")


def _word(records: RecordFactory, **changes: Any) -> Record:
    return records.word(30, 0)._replace(**changes)


def _vector(records: RecordFactory, value: float) -> tuple[float, ...]:
    return (value, *records.vector(1)[1:])


def _free(metadata: dict[str, Any]) -> Record:
    """A record for a collection with no schema (only what Chroma itself refuses applies)."""
    return Record(id="r1", embedding=(0.1, 0.2, 0.3), document="d", metadata=metadata)


Refused = tuple[str, Callable[["RecordFactory"], dict[str, Any]], str]
WRITES: list[Refused] = [
    ("words", lambda r: {"created_ms": 1_700_000_000_000_000}, "microseconds"),
    ("words", lambda r: {"created_ms": -1}, "created_ms"),
    ("words", lambda r: {"created_ms": True}, "created_ms"),
    ("words", lambda r: {"upserts": [_word(r, document=None)]}, "document"),
    ("words", lambda r: {"upserts": [_word(r, embedding=_vector(r, NAN))]}, "embedding"),
    ("words", lambda r: {"upserts": [_word(r, embedding=_vector(r, INF))]}, "embedding"),
    ("words", lambda r: {"upserts": [_word(r, embedding=_vector(r, 1e39))]}, "float32"),
    ("words", lambda r: {"deletes": [""]}, "empty"),
    ("notes", lambda r: {"upserts": [_free({"k": {"nested": 1}})]}, "field 'k'"),
    ("notes", lambda r: {"upserts": [_free({"k": None})]}, "field 'k'"),
    ("notes", lambda r: {"upserts": [_free({"k": NAN})]}, "field 'k'"),
    ("notes", lambda r: {"upserts": [_free({"k": [1, "a"]})]}, "field 'k'"),
    ("notes", lambda r: {"upserts": [_free({"k": 2**70})]}, "field 'k'"),
    ("notes", lambda r: {"upserts": [_free({"#k": 1})]}, "'#k'"),
    ("notes", lambda r: {"upserts": [_free({"k": 1})._replace(id="")]}, "empty"),
    ("notes", lambda r: {"upserts": [_free({"k": 1})._replace(id="a\ud800")]}, "UTF-8"),
]


@pytest.mark.parametrize(
    ("collection", "arguments", "named"),
    WRITES,
    ids=[f"{c}-{n}-{i}" for i, (c, _, n) in enumerate(WRITES)],
)
def test_the_writer_refuses_what_no_compaction_could_apply(
    storage: Storage,
    records: RecordFactory,
    collection: str,
    arguments: Callable[[RecordFactory], dict[str, Any]],
    named: str,
) -> None:
    config = storage.for_collection(collection)
    writer = DeltaWriter(config=config, s3=storage.s3)
    call = {"upserts": [], "created_ms": 1_000, **arguments(records)}
    with pytest.raises(DeltaError, match="nothing was written") as refused:
        writer.write(**call)
    assert named in str(refused.value)
    assert storage.keys(config.root) == []


def _put_raw(storage: Storage, delta: Delta) -> str:
    """Store a delta as another producer might have (no checks), named by its checksum."""
    data = encode(delta)
    key = storage.config.delta_key(created_ms=delta.created_ms, sha256=sha256(data))
    storage.store.put(key, data)
    return key


def _unchecked(records: RecordFactory, *upserts: Record) -> Delta:
    return Delta(collection="words", dimension=records.dimension, created_ms=2_500,
                 producer="old", upserts=upserts)  # fmt: skip


def document_none(storage: Storage, records: RecordFactory) -> str:
    return _put_raw(storage, _unchecked(records, _word(records, document=None)))


def nan_embedding(storage: Storage, records: RecordFactory) -> str:
    return _put_raw(storage, _unchecked(records, _word(records, embedding=_vector(records, NAN))))


def schema_breach(storage: Storage, records: RecordFactory) -> str:
    return _put_raw(storage, _unchecked(records, records.word(30, 0, x=7.5)))


def microsecond_name(storage: Storage, records: RecordFactory) -> str:
    key = storage.config.deltas_prefix + f"{1_700_000_000_000_000}-{'0' * 64}.delta"
    storage.store.put(key, b"from a producer that wrote microseconds")
    return key


def wrong_collection(storage: Storage, records: RecordFactory) -> str:
    return _put_raw(storage, replace(_unchecked(records, records.word(30, 0)), collection="lines"))


def wrong_dimension(storage: Storage, records: RecordFactory) -> str:
    eight = records.word(30, 0, dimension=8)
    return _put_raw(storage, replace(_unchecked(records, eight), dimension=8))


def corrupt(storage: Storage, records: RecordFactory) -> str:
    key = _put_raw(storage, _unchecked(records, records.word(30, 0)))
    data, _ = storage.store.get(key)
    storage.store.put(key, data[:-4] + b"\x00\x00\x80\x7f")
    return key


BAD = [document_none, nan_embedding, schema_breach, microsecond_name, wrong_collection,
       wrong_dimension, corrupt]  # fmt: skip
REASONS = {
    "document_none": "document",
    "nan_embedding": "embedding",
    "schema_breach": "field 'x'",
    "microsecond_name": "not named like a delta",
    "wrong_collection": "collection 'lines'",
    "wrong_dimension": "8-dimensional",
    "corrupt": "SHA-256",
}


@pytest.mark.embedded
@pytest.mark.parametrize("bad", BAD, ids=[b.__name__ for b in BAD])
def test_a_delta_no_compaction_can_apply_is_quarantined_and_the_rest_are_applied(
    storage: Storage,
    scenario: Scenario,
    records: RecordFactory,
    work_dir: Path,
    holds_exactly: Any,
    bad: Callable[[Storage, RecordFactory], str],
) -> None:
    # GIVEN version 1, good deltas pending on both sides of one no compaction can apply
    rest = scenario.publish_first(storage, work_dir)
    key = bad(storage, records)
    data, _ = storage.store.get(key)
    # WHEN compacted
    result = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    # THEN the good deltas are published, and the bad one is reported and moved aside
    assert (result.outcome, result.deltas_applied) == (Outcome.PUBLISHED, len(rest)), result
    holds_exactly(storage.snapshot(), scenario.expected_after_all())
    assert [q.delta_key for q in result.quarantined] == [key]
    assert REASONS[bad.__name__] in result.quarantined[0].reason
    assert list_pending(storage.store) == []
    stored = list_quarantined(storage.store)
    assert [(q.delta_key, q.reason) for q in stored] == [
        (q.delta_key, q.reason) for q in result.quarantined
    ]
    assert storage.store.get(stored[0].key)[0] == data  # kept as it was, for a post-mortem
    # AND the next compaction is not stopped by it
    again = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    assert again.outcome is Outcome.NOTHING_TO_DO and again.quarantined == ()
