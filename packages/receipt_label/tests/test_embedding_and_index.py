"""The default embedder, the record builders and the in-memory index."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from receipt_label import HashingEmbedder, InMemoryVectorIndex, Receipt, VectorIndex
from receipt_label.embedding import cosine_distance
from receipt_label.memory_index import UnsupportedFilterError, matches
from receipt_label.records import LINE_KEYS, WORD_KEYS, line_records, word_records


@given(st.text(max_size=60))
def test_vectors_are_unit_length_and_deterministic(text: str) -> None:
    embedder = HashingEmbedder(dimension=64)
    vector = embedder.embed_one(text)
    assert len(vector) == 64
    assert vector == HashingEmbedder(dimension=64).embed_one(text)
    norm = math.sqrt(sum(value * value for value in vector))
    assert norm == pytest.approx(1.0) or norm == 0.0


def test_the_same_vector_in_another_process() -> None:
    code = "from receipt_label import HashingEmbedder; print(HashingEmbedder().embed_one('TOTAL'))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == str(HashingEmbedder().embed_one("TOTAL"))


def test_similar_texts_are_closer_than_dissimilar_ones() -> None:
    embedder = HashingEmbedder()
    costco, costco_noisy, target = embedder.embed(
        ["COSTCO WHOLESALE #0423", "COSTC0 WHOLESALE #0432", "TARGET EXPECT MORE"]
    )
    assert cosine_distance(costco, costco_noisy) < cosine_distance(costco, target)


def test_context_separates_the_same_amount_on_different_lines() -> None:
    embedder = HashingEmbedder()
    tax, tax_again, total = embedder.embed(
        ["3.21 || TAX 3.21 || POSRIGHT", "4.85 || TAX 4.85 || POSRIGHT", "3.21 || TOTAL 3.21"]
    )
    assert cosine_distance(tax, tax_again) < cosine_distance(tax, total)


def test_a_tiny_dimension_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        HashingEmbedder(dimension=4)


def test_records_follow_the_schema(history: list[Receipt], embedder: HashingEmbedder) -> None:
    receipt = history[0]
    words, lines = word_records(receipt, embedder), line_records(receipt, embedder)
    assert len(words) == sum(1 for _ in receipt.words())
    assert all(set(record.metadata) == WORD_KEYS for record in words)
    assert all(set(record.metadata) == LINE_KEYS for record in lines)
    assert all(len(record.embedding) == embedder.dimension for record in words + lines)
    phones = [r.metadata["normalized_phone"] for r in lines if r.metadata["normalized_phone"]]
    assert phones and all(len(str(phone)) == 10 for phone in phones)
    assert {r.metadata["merchant_name"] for r in words} == {receipt.merchant_name}


def test_the_in_memory_index_is_a_vector_index(word_index: InMemoryVectorIndex) -> None:
    assert isinstance(word_index, VectorIndex)


def test_query_filters_and_orders(
    word_index: InMemoryVectorIndex, embedder: HashingEmbedder
) -> None:
    probe = embedder.embed_one("TOTAL || TOTAL 10.00")
    found = word_index.query(
        probe, n_results=5, where={"valid_labels": {"$contains": "GRAND_TOTAL"}}
    )
    assert len(found) == 5
    assert all("GRAND_TOTAL" in match.metadata["valid_labels"] for match in found)  # type: ignore[operator]
    assert [m.distance for m in found] == sorted(m.distance for m in found)
    got = word_index.get([found[1].id, "IMAGE#missing", found[0].id])
    assert [record.id for record in got] == [found[1].id, found[0].id]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"merchant_name": "TARGET"}, True),
        ({"merchant_name": {"$ne": "TARGET"}}, False),
        ({"$and": [{"line_number": {"$gte": 3}}, {"line_number": {"$lt": 5}}]}, True),
        ({"$or": [{"line_number": 9}, {"valid_labels": {"$contains": "TAX"}}]}, True),
        ({"valid_labels": {"$not_contains": "TAX"}}, False),
        ({"line_number": {"$in": [1, 2]}}, False),
        ({"line_number": {"$nin": [1, 2]}}, True),
    ],
)
def test_where_filters(where: dict[str, object], expected: bool) -> None:
    metadata = {"merchant_name": "TARGET", "line_number": 4, "valid_labels": ["TAX"]}
    assert matches(metadata, where) is expected


def test_an_unknown_operator_is_refused() -> None:
    with pytest.raises(UnsupportedFilterError, match=r"\$regex"):
        matches({"a": "b"}, {"a": {"$regex": "b"}})
