"""Benchmark S3 storage: compaction and reader cold start, as ratios to a floor in the same run.

- compaction: N records (128-d, schema-valid `words`) written as deltas, then one compaction
  (lease, download, merge, verify, archive, upload, publish), against the floor of upserting the
  same records straight into a fresh PersistentClient.
- reader cold start: pointer read + download + checksum + unpack + open + first query, against
  opening a local copy of the same snapshot + first query.

S3 is a moto server on 127.0.0.1 (started here), so transfer times are loopback times.
Run: python packages/receipt_chroma/benchmarks/storage_benchmark.py [--sizes 2000,10000]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import numpy as np

from live_services.moto import moto_server
from receipt_chroma import ChromaClient, Record
from receipt_chroma._chromadb import chromadb, settings
from receipt_chroma.identity import creation_arguments
from receipt_chroma.storage import (
    Compactor,
    DeltaWriter,
    ObjectStore,
    SnapshotReader,
    StorageConfig,
    read_pointer,
)
from receipt_chroma.storage.cache import SnapshotCache

IMAGE = str(uuid.UUID(int=42))
BUCKET = "receipt-chroma-benchmark"


def _records(count: int, dimension: int, seed: int) -> list[Record]:
    vectors = np.random.default_rng(seed).standard_normal((count, dimension)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    records = []
    for index in range(count):
        line, word = divmod(index, 100)
        metadata: dict[str, Any] = {
            "receipt_id": f"IMAGE#{IMAGE}#RECEIPT#00001", "image_id": IMAGE,
            "receipt_number": 1, "line_number": line, "word_number": word,
            "merchant_name": "TARGET", "text": f"W{index}", "x": 0.1, "y": 0.2, "width": 0.1,
            "height": 0.02, "confidence": 0.9, "label_status": "unlabeled", "proposed_label": "",
        }  # fmt: skip
        records.append(
            Record(
                id=f"IMAGE#{IMAGE}#RECEIPT#00001#LINE#{line:05d}#WORD#{word:05d}",
                embedding=tuple(vectors[index].tolist()),
                document=f"W{index}",
                metadata=metadata,
            )
        )
    return records


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def _chunks(records: list[Record], size: int) -> Iterator[list[Record]]:
    for start in range(0, len(records), size):
        yield records[start : start + size]


def _floor_upsert(records: list[Record], directory: Path) -> None:
    """The floor: the same records straight into a PersistentClient, raw chromadb, batched."""
    client = chromadb().PersistentClient(path=str(directory), settings=settings())
    collection = client.create_collection(**creation_arguments("words"))
    batch = min(client.get_max_batch_size(), 5000)
    for chunk in _chunks(records, batch):
        collection.upsert(
            ids=[r.id for r in chunk],
            embeddings=np.asarray([r.embedding for r in chunk], dtype=np.float32),
            documents=[r.document or "" for r in chunk],
            metadatas=[dict(r.metadata) for r in chunk],
        )
    client.close()


def _local_open_and_query(directory: Path, query: tuple[float, ...]) -> ChromaClient:
    """Open a local copy and query it once (left open, like the reader's copy)."""
    client = ChromaClient.persistent(directory, read_only=True)
    client.collection("words", create=False).query(query, n_results=5)
    return client


def _one_size(s3: Any, size: int, dimension: int, delta_size: int, scratch: Path) -> list[str]:
    records = _records(size, dimension, seed=size)
    config = StorageConfig(bucket=BUCKET, collection="words", prefix=f"bench-{uuid.uuid4().hex}")
    floor, _ = _timed(lambda: _floor_upsert(records, scratch / f"floor-{size}"))
    writer = DeltaWriter(config=config, s3=s3, producer="benchmark")
    produce, _ = _timed(
        lambda: [writer.write(upserts=chunk, created_ms=index)
                 for index, chunk in enumerate(_chunks(records, delta_size))]
    )  # fmt: skip
    work = scratch / f"work-{size}"
    work.mkdir()
    compact, result = _timed(Compactor(config=config, s3=s3, work_dir=work).run)
    assert result.record_count == size, result
    query = records[size // 2].embedding or ()
    reader = SnapshotReader(config=config, s3=s3, cache_dir=scratch / f"reader-{size}")
    cold, matches = _timed(lambda: reader.query(query, n_results=5))
    assert matches[0].id == records[size // 2].id
    warm, _ = _timed(lambda: reader.query(query, n_results=5))
    reader.close()  # closed before its files are copied for the floor
    pointer = read_pointer(ObjectStore(config=config, s3=s3))
    assert pointer is not None
    copy = scratch / f"copy-{size}"
    cached = SnapshotCache(scratch / f"reader-{size}", config).copy_path(pointer)
    shutil.copytree(cached, copy)
    local, opened = _timed(lambda: _local_open_and_query(copy, query))
    opened.close()
    megabytes = pointer.size / 1e6
    return [
        f"{size:>8}  compaction {compact:7.2f} s   floor (PersistentClient upsert) {floor:7.2f} s"
        f"   ratio {compact / floor:5.2f}x   (deltas written in {produce:.2f} s, "
        f"{-(-size // delta_size)} deltas, snapshot {megabytes:.1f} MB)",
        f"{size:>8}  reader cold start {cold:7.2f} s   floor (open local copy + query) "
        f"{local:7.2f} s   ratio {cold / local:5.2f}x   (warm query {warm * 1000:.1f} ms)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated record counts")
    parser.add_argument("--dimension", type=int, default=128)
    parser.add_argument("--delta-size", type=int, default=1000, help="records per delta")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    lines = []
    with moto_server() as endpoint, tempfile.TemporaryDirectory() as scratch:
        s3 = boto3.client("s3", **endpoint.client_settings())
        s3.create_bucket(Bucket=BUCKET)
        chromadb()  # imported before any timing
        for size in sizes:
            print(f"… {size} records", flush=True)
            lines += _one_size(s3, size, arguments.dimension, arguments.delta_size, Path(scratch))
    print("\nS3 storage benchmark (moto on 127.0.0.1; ratios measured in this run)")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
