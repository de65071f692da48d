"""The delta format: round trip, determinism, and clear refusals (no S3, no embedded Chroma)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory

from receipt_chroma.errors import DeltaError
from receipt_chroma.storage.delta import decode, encode, make_delta


def test_a_delta_round_trips_exactly_and_encodes_deterministically(records: RecordFactory) -> None:
    # GIVEN upserts with label lists, floats and text, and deletes
    upserts = [records.word(1, 0, valid=["DATE"]), records.word(1, 1, invalid=["TAX"])]
    delta = make_delta(collection="words", upserts=upserts, deletes=["gone-1"], created_ms=7)
    # WHEN encoded twice and decoded
    data = encode(delta)
    back = decode(data, where="s3://b/k")
    # THEN the bytes are stable and everything survives (embeddings as float32)
    assert encode(delta) == data
    assert back.collection == "words" and back.dimension == records.dimension
    assert back.deletes == ("gone-1",) and back.created_ms == 7
    assert [r.id for r in back.upserts] == [r.id for r in upserts]
    assert back.upserts[0].metadata == upserts[0].metadata
    assert back.upserts[1].document == upserts[1].document
    for got, want in zip(back.upserts[0].embedding or (), upserts[0].embedding or (), strict=True):
        assert got == pytest.approx(want, abs=1e-6)


def test_a_delta_is_compact(records: RecordFactory) -> None:
    upserts = [records.word(line, word) for line in range(20) for word in range(10)]
    data = encode(make_delta(collection="words", upserts=upserts, created_ms=1))
    # 200 records x 16 float32 = 12.8 kB of vectors; metadata compressed well below JSON size
    assert len(data) < 200 * 16 * 4 + 200 * 150


@pytest.mark.parametrize(
    ("mangle", "expected"),
    [
        (lambda data: data[:10], "only 10 bytes"),
        (lambda data: data[:20], "unreadable header"),
        (lambda data: b"NOTADELT" + data[8:], "starts with"),
        (lambda data: data[:8] + b"\x09" + data[9:], "format version 9"),
        (lambda data: data + b"x", "announces"),
    ],
)
def test_a_damaged_delta_is_refused_naming_the_object(
    records: RecordFactory, mangle: object, expected: str
) -> None:
    data = encode(make_delta(collection="words", upserts=[records.word(1, 0)], created_ms=1))
    with pytest.raises(DeltaError, match=expected) as caught:
        decode(mangle(data), where="s3://bucket/p/words/deltas/x.delta")  # type: ignore[operator]
    assert "s3://bucket/p/words/deltas/x.delta" in str(caught.value)


def test_schema_dimension_and_conflicts_are_checked_before_anything_is_written(
    records: RecordFactory,
) -> None:
    with pytest.raises(DeltaError, match="field 'x'"):
        make_delta(collection="words", upserts=[records.word(1, 0, x=1.5)], created_ms=1)
    mixed = [records.word(1, 0), records.word(1, 1, dimension=8)]
    with pytest.raises(DeltaError, match="8-dimensional embedding, the delta declares 16"):
        make_delta(collection="words", upserts=mixed, created_ms=1)
    with pytest.raises(DeltaError, match="upserted twice"):
        make_delta(collection="words", upserts=[records.word(1, 0)] * 2, created_ms=1)
    word = records.word(1, 0)
    with pytest.raises(DeltaError, match="both upserted and deleted"):
        make_delta(collection="words", upserts=[word], deletes=[word.id], created_ms=1)
