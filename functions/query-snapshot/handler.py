"""query-snapshot: answer a nearest-neighbour query from the current S3 snapshot, embedded
(receipt-chroma-full layer; S3).

The reader is made once per execution environment: the first invocation pulls the snapshot the
pointer names into /tmp, verifies its checksum and opens it read-only; warm invocations reuse it
until the pointer moves.

Event: `{"embedding": [floats], "n_results": 3, "where": {...}}` (the caller embeds its text;
`where` is optional). Environment: RECEIPT_CHROMA_BUCKET, RECEIPT_CHROMA_COLLECTION (and
optionally RECEIPT_CHROMA_PREFIX). Response: the version served, whether this invocation pulled
it, and the matches nearest first. An embedding of the wrong size fails with `BadQueryError`.
"""

from __future__ import annotations

from typing import Any

import boto3

from receipt_chroma.storage import SnapshotReader, StorageConfig

READER = SnapshotReader(config=StorageConfig.from_environment(), s3=boto3.client("s3"))


class BadQueryError(ValueError):
    """The event cannot be answered as it stands (the message says what to send instead)."""


def _embedding(event: dict[str, Any], dimension: int | None) -> list[float]:
    embedding = event.get("embedding")
    if not isinstance(embedding, list) or not embedding:
        raise BadQueryError("event.embedding: send the query's embedding as a list of floats")
    if dimension is not None and len(embedding) != dimension:
        raise BadQueryError(
            f"event.embedding has {len(embedding)} dimensions; the snapshot holds "
            f"{dimension}-dimensional ones: embed the text with the collection's embedder"
        )
    return [float(value) for value in embedding]


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    before = READER.version
    collection = READER.collection()  # pulls (or swaps to) the current snapshot when needed
    matches = collection.query(
        _embedding(event, collection.dimension()),
        n_results=int(event.get("n_results", 3)),
        where=event.get("where"),
    )
    found = [
        {
            "id": match.id,
            "text": match.document,
            "merchant_name": match.metadata.get("merchant_name", ""),
            "distance": max(0.0, round(match.distance, 6)),  # no -0.0 from float error
        }
        for match in matches
    ]
    return {
        "collection": READER.config.collection,
        "version": READER.version,
        "pulled": READER.version != before,
        "top": found[0] if found else None,
        "matches": found,
    }
