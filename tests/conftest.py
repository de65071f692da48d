"""Cross-package fixtures: the receipt fixture set (from receipt_fixtures) in real Chroma stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from live_services import ChromaEndpoint
from receipt_chroma import ChromaClient
from receipt_label import HashingEmbedder, Receipt
from receipt_label.records import line_records, word_records


def fill(client: ChromaClient, history: list[Receipt], embedder: HashingEmbedder) -> None:
    """Store every history receipt's words and lines (schema-checked by receipt_chroma)."""
    for name in ("words", "lines"):
        client.drop(name)
    words, lines = client.words(create=True), client.lines(create=True)
    for receipt in history:
        words.upsert(word_records(receipt, embedder))  # receipt_label's records are RecordLike
        lines.upsert(line_records(receipt, embedder))


@pytest.fixture(
    params=[
        pytest.param("http"),
        pytest.param("persistent", marks=pytest.mark.embedded),
    ]
)
def store(
    request: pytest.FixtureRequest,
    chroma_endpoint: ChromaEndpoint,
    tmp_path: Path,
    history: list[Receipt],
    embedder: HashingEmbedder,
) -> Iterator[ChromaClient]:
    if request.param == "http":
        client = ChromaClient.http(chroma_endpoint.host, chroma_endpoint.port)
    else:
        client = ChromaClient.persistent(tmp_path / "chroma")
    with client:
        fill(client, history, embedder)
        yield client
