"""S3-backed snapshots, deltas and compaction for receipt_chroma collections.

Producers (`[lambda]` extra): `DeltaWriter(config=..., s3=...).write(upserts=..., deletes=...)`.
Compactor (`[full]`): `Compactor(config=..., s3=...).run()`.
Readers (`[full]`): `SnapshotReader(config=..., s3=...).query(embedding, n_results=5)`.
Importing this package imports nothing from `chromadb`.
"""

from receipt_chroma.storage.catalog import (
    SnapshotEntry,
    collect_garbage,
    lineage,
    list_snapshots,
    repoint,
)
from receipt_chroma.storage.compactor import CompactionResult, Compactor, Outcome, Step
from receipt_chroma.storage.delta import Delta, DeltaLimits, decode, encode, make_delta
from receipt_chroma.storage.delta_store import DeltaWriter, WrittenDelta, list_pending
from receipt_chroma.storage.layout import StorageConfig
from receipt_chroma.storage.lease import Lease
from receipt_chroma.storage.objects import ObjectStore
from receipt_chroma.storage.pointer import Manifest, Pointer, read_manifest, read_pointer
from receipt_chroma.storage.progress import Reporter, SilentReporter, TextReporter
from receipt_chroma.storage.quarantine import QuarantinedDelta, list_quarantined
from receipt_chroma.storage.reader import SnapshotReader

__all__ = [
    "CompactionResult",
    "Compactor",
    "Delta",
    "DeltaLimits",
    "DeltaWriter",
    "Lease",
    "Manifest",
    "ObjectStore",
    "Outcome",
    "Pointer",
    "QuarantinedDelta",
    "Reporter",
    "SilentReporter",
    "SnapshotEntry",
    "SnapshotReader",
    "Step",
    "StorageConfig",
    "TextReporter",
    "WrittenDelta",
    "collect_garbage",
    "decode",
    "encode",
    "lineage",
    "list_pending",
    "list_quarantined",
    "list_snapshots",
    "make_delta",
    "read_manifest",
    "read_pointer",
    "repoint",
]
