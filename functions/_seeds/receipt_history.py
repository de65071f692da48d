"""Host-side seed for functions that read reviewed receipts from Chroma (validate-labels).

Stores the 21 history receipts of tests/fixtures/receipts/history (words and lines, embedded
with receipt_label's HashingEmbedder) in the harness's Chroma server, through receipt_chroma:
the same data and the same code path as tests/test_label_with_chroma.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from receipt_chroma import ChromaClient
from receipt_label import HashingEmbedder, load_receipt
from receipt_label.records import line_records, word_records


def seed(*, services: dict[str, Any], root: Path) -> None:
    endpoint = services["chroma"]
    embedder = HashingEmbedder()
    history = sorted((root / "tests" / "fixtures" / "receipts" / "history").glob("*.json"))
    with ChromaClient.http(endpoint.host, endpoint.port) as client:
        for name in ("words", "lines"):
            client.drop(name)
        words, lines = client.words(create=True), client.lines(create=True)
        for path in history:
            receipt = load_receipt(path)
            words.upsert(word_records(receipt, embedder))
            lines.upsert(line_records(receipt, embedder))
