"""Shared fixtures: the receipt fixture set at tests/fixtures/receipts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from receipt_label import HashingEmbedder, InMemoryVectorIndex, Receipt, load_receipt
from receipt_label.records import line_records, word_records

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "receipts"


@pytest.fixture(scope="session")
def history() -> list[Receipt]:
    return [load_receipt(path) for path in sorted((FIXTURES / "history").glob("*.json"))]


@pytest.fixture(scope="session")
def queries() -> dict[str, Receipt]:
    return {path.stem: load_receipt(path) for path in sorted((FIXTURES / "queries").glob("*.json"))}


@pytest.fixture(scope="session")
def expectations() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "expectations.json").read_text())
    return data


@pytest.fixture(scope="session")
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture(scope="session")
def word_index(history: list[Receipt], embedder: HashingEmbedder) -> InMemoryVectorIndex:
    return InMemoryVectorIndex(r for receipt in history for r in word_records(receipt, embedder))


@pytest.fixture(scope="session")
def line_index(history: list[Receipt], embedder: HashingEmbedder) -> InMemoryVectorIndex:
    return InMemoryVectorIndex(r for receipt in history for r in line_records(receipt, embedder))
