"""Host-side seed for functions that read or compact S3 snapshots (query-snapshot, compact).

Creates the bucket the functions' environment names and publishes the first snapshot of the
`lines` collection: the lines of the 21 history receipts of tests/fixtures/receipts/history,
embedded with receipt_label's HashingEmbedder, written as deltas and compacted, through the same
receipt_chroma code the functions run (so the host needs receipt-chroma[full]).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3

from receipt_chroma import Record
from receipt_chroma.storage import Compactor, DeltaWriter, Outcome, StorageConfig
from receipt_label import HashingEmbedder, load_receipt
from receipt_label.records import line_records

BUCKET = "receipt-functions"  # the functions' RECEIPT_CHROMA_BUCKET (functions.toml)
COLLECTION = "lines"
FIRST_DELTA_MS = 1_711_929_600_000  # fixed times: the same seed writes the same deltas


def seed(*, services: dict[str, Any], root: Path) -> None:
    s3 = boto3.client("s3", **services["s3"].client_settings())
    s3.create_bucket(Bucket=BUCKET)
    config = StorageConfig(bucket=BUCKET, collection=COLLECTION)
    writer = DeltaWriter(config=config, s3=s3, producer="seed")
    embedder = HashingEmbedder()
    history = sorted((root / "tests" / "fixtures" / "receipts" / "history").glob("*.json"))
    for index, path in enumerate(history):
        records = line_records(load_receipt(path), embedder)
        writer.write(
            upserts=[
                Record(id=r.id, embedding=r.embedding, document=r.document, metadata=r.metadata)
                for r in records
            ],
            created_ms=FIRST_DELTA_MS + index,
        )
    result = Compactor(config=config, s3=s3, owner="seed").run()
    if result.outcome is not Outcome.PUBLISHED:
        raise RuntimeError(f"seeding {config.url(config.root)} did not publish: {result}")
