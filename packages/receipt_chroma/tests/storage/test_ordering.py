"""The ordering rule: per record ID, the operation with the greatest stamp (created_ms, then
sequence, then producer, then the delta's SHA-256) wins, however late it arrives and however
many compactions come between. Any interleaving of producers, retries and compactions ends in the
state of applying every operation sorted by stamp."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import RecordFactory, Storage

from receipt_chroma import Record
from receipt_chroma.storage import Compactor, Outcome, list_pending
from receipt_chroma.storage.delta import make_delta
from receipt_chroma.storage.merge import Stamp, plan_merge

pytestmark = pytest.mark.moto

LINES = (1, 2, 3)


def _compact(storage: Storage, work_dir: Path, **options: Any) -> None:
    result = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir, **options).run()
    assert result.outcome in {Outcome.PUBLISHED, Outcome.NOTHING_TO_DO}, result.message


def _documents(storage: Storage) -> dict[str, str | None]:
    return {key: record.document for key, record in storage.snapshot().records.items()}


@pytest.mark.embedded
def test_a_late_older_delta_does_not_overwrite_delete_or_resurrect(
    storage: Storage, records: RecordFactory, work_dir: Path
) -> None:
    kept, gone, both = (records.word(line, 0, text=f"NEW{line}") for line in LINES)
    storage.write(upserts=[kept, both, records.word(9, 0)], created_ms=2_000)
    storage.write(deletes=[gone.id], created_ms=2_000, producer="other")
    _compact(storage, work_dir)
    # WHEN older operations arrive after that compaction (event time passed as created_ms)
    storage.write(upserts=[records.word(1, 0, text="OLD"), records.word(2, 0, text="OLD")],
                  created_ms=1_000)  # fmt: skip
    storage.write(deletes=[both.id], created_ms=1_500)
    _compact(storage, work_dir)
    # THEN the newer value stays, the newer delete stays, the newer upsert is not deleted
    assert _documents(storage) == {kept.id: "NEW1", both.id: "NEW3", records.word(9, 0).id: "W9-0"}


@pytest.mark.embedded
def test_the_producers_sequence_orders_deltas_of_the_same_millisecond(
    storage: Storage, records: RecordFactory, work_dir: Path
) -> None:
    word = records.word(1, 0)
    storage.write(upserts=[records.word(1, 0, text="SECOND")], created_ms=5_000, sequence=2)
    _compact(storage, work_dir)
    storage.write(upserts=[records.word(1, 0, text="FIRST")], created_ms=5_000, sequence=1)
    _compact(storage, work_dir)
    assert _documents(storage) == {word.id: "SECOND"}


# ------------------------------------------------------------------ the property


@dataclass(frozen=True)
class Operation:
    line: int
    value: int | None
    """The version of the record written (a document 'V<n>'), or None for a delete."""


@dataclass(frozen=True)
class Write:
    created_ms: int
    sequence: int
    producer: str
    operations: tuple[Operation, ...]


_operation_sets = st.dictionaries(
    st.sampled_from(LINES), st.one_of(st.none(), st.integers(0, 9)), min_size=1
).map(lambda chosen: tuple(Operation(line, value) for line, value in sorted(chosen.items())))
writes = st.builds(
    Write,
    created_ms=st.integers(1, 4),
    sequence=st.integers(0, 1),
    producer=st.sampled_from(["a", "b"]),
    operations=_operation_sets,
)
Event = tuple[str, int]
"""("write", i): delta i arrives (again, if it already did: a retry); ("compact", n): a run
merging at most n pending deltas (0: all)."""


@st.composite
def histories(draw: st.DrawFn, max_writes: int) -> tuple[list[Write], list[Event]]:
    made = draw(st.lists(writes, min_size=1, max_size=max_writes))
    events: list[Event] = [("write", index) for index in range(len(made))]
    events = draw(st.permutations(events))
    extra = st.one_of(
        st.tuples(st.just("write"), st.integers(0, len(made) - 1)),
        st.tuples(st.just("compact"), st.integers(0, 2)),
    )
    for _ in range(draw(st.integers(0, 4))):
        events.insert(draw(st.integers(0, len(events))), draw(extra))
    return made, events


def _record(records: RecordFactory, operation: Operation) -> Record:
    assert operation.value is not None
    return records.word(operation.line, 0, seed=operation.value, text=f"V{operation.value}")


def _delta(records: RecordFactory, write: Write) -> Any:
    return make_delta(
        collection="words",
        upserts=[_record(records, op) for op in write.operations if op.value is not None],
        deletes=[records.word(op.line, 0).id for op in write.operations if op.value is None],
        created_ms=write.created_ms,
        sequence=write.sequence,
        producer=write.producer,
    )


def _expected(records: RecordFactory, made: list[Write], digests: list[str]) -> dict[str, str]:
    """Every operation applied in stamp order, from nothing."""
    stamped = sorted(
        ((Stamp(w.created_ms, w.sequence, w.producer, digest), op)
         for w, digest in zip(made, digests, strict=True) for op in w.operations),
        key=lambda pair: pair[0],
    )  # fmt: skip
    state: dict[str, str] = {}
    for _, op in stamped:
        key = records.word(op.line, 0).id
        if op.value is None:
            state.pop(key, None)
        else:
            state[key] = f"V{op.value}"
    return state


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(history=histories(max_writes=6))
def test_any_interleaving_of_merges_ends_in_stamp_order(
    records: RecordFactory, history: tuple[list[Write], list[Event]]
) -> None:
    """The merge rule alone, over a model snapshot (records and stamps in dictionaries)."""
    from receipt_chroma.storage.delta import encode, sha256

    made, events = history
    deltas = [_delta(records, write) for write in made]
    digests = [sha256(encode(delta)) for delta in deltas]
    snapshot: dict[str, str | None] = {}
    stamps: dict[str, Stamp] = {}
    pending: dict[int, None] = {}
    merged: set[int] = set()
    for kind, number in [*events, ("compact", 0)]:
        if kind == "write":
            if number not in merged:
                pending.setdefault(number)
            continue
        batch = sorted(pending, key=lambda i: (made[i].created_ms, digests[i]))
        batch = batch[: number or None]
        plan = plan_merge([(deltas[i], digests[i]) for i in batch], stored=stamps)
        snapshot.update({key: record.document for key, record in plan.upserts.items()})
        for key in plan.deletes:
            snapshot.pop(key, None)
        stamps.update(plan.stamps)
        for i in batch:
            pending.pop(i)
            merged.add(i)
    assert snapshot == _expected(records, made, digests)


@pytest.mark.slow
@pytest.mark.embedded
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(history=histories(max_writes=4))
def test_any_interleaving_of_producers_retries_and_compactions_ends_in_stamp_order(
    storage: Storage,
    records: RecordFactory,
    work_dir: Path,
    history: tuple[list[Write], list[Event]],
) -> None:
    """End to end: real deltas in S3, real compactions, stamps kept in each snapshot."""
    made, events = history
    storage = storage.fresh()
    keys: dict[int, str] = {}
    for kind, number in [*events, ("compact", 0)]:
        if kind == "write":
            write = made[number]
            delta = _delta(records, write)
            keys[number] = storage.write(
                upserts=delta.upserts, deletes=delta.deletes, created_ms=write.created_ms,
                sequence=write.sequence, producer=write.producer,
            )  # fmt: skip
        else:
            _compact(storage, work_dir, max_deltas=number or None)
    assert list_pending(storage.store) == []
    digests = [keys[i].rsplit("-", 1)[-1].removesuffix(".delta") for i in range(len(made))]
    assert _documents(storage) == _expected(records, made, digests)
