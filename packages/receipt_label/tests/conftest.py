"""receipt_label's own fixtures; the receipt fixture set comes from the receipt_fixtures plugin."""

from __future__ import annotations

import pytest

from receipt_label import HashingEmbedder, InMemoryVectorIndex, Receipt
from receipt_label.records import line_records, word_records


@pytest.fixture(scope="session")
def word_index(history: list[Receipt], embedder: HashingEmbedder) -> InMemoryVectorIndex:
    return InMemoryVectorIndex(r for receipt in history for r in word_records(receipt, embedder))


@pytest.fixture(scope="session")
def line_index(history: list[Receipt], embedder: HashingEmbedder) -> InMemoryVectorIndex:
    return InMemoryVectorIndex(r for receipt in history for r in line_records(receipt, embedder))
