"""compact: run one compaction of a collection's pending deltas into its next S3 snapshot
(receipt-chroma-full layer; S3).

Event `{"compact": {}}`: take the lease, merge the pending deltas into the snapshot the pointer
names, publish the new version by a conditional pointer write, mark the deltas consumed; the
response is the compaction result (`outcome`: published, nothing-to-do, lease-held, fenced,
lease-lost). Event `{"write_delta": {"upserts": [...], "deletes": [...]}}` writes one delta as
a producer function would, so a smoke run has something to merge; a delta that does not fit the
collection (schema, dimension) fails with `DeltaError` and writes nothing.
Environment: RECEIPT_CHROMA_BUCKET, RECEIPT_CHROMA_COLLECTION (and RECEIPT_CHROMA_PREFIX).
"""

from __future__ import annotations

from typing import Any

import boto3

from receipt_chroma import Record
from receipt_chroma.storage import Compactor, DeltaWriter, StorageConfig

CONFIG = StorageConfig.from_environment()
S3 = boto3.client("s3")


def _record(item: dict[str, Any]) -> Record:
    return Record(
        id=item["id"],
        embedding=tuple(float(value) for value in item["embedding"]),
        document=item.get("document"),
        metadata=item.get("metadata", {}),
    )


def _write_delta(request: dict[str, Any], context: Any) -> dict[str, Any]:
    writer = DeltaWriter(config=CONFIG, s3=S3, producer=context.function_name)
    written = writer.write(
        upserts=[_record(item) for item in request.get("upserts", [])],
        deletes=list(request.get("deletes", [])),
    )
    return {
        "delta": {
            "key": written.key,
            "upserts": written.upserts,
            "deletes": written.deletes,
            "already_stored": written.already_stored,
        }
    }


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if "write_delta" in event:
        return _write_delta(event["write_delta"], context)
    compactor = Compactor(config=CONFIG, s3=S3, owner=context.aws_request_id)
    return compactor.run().to_dict()
