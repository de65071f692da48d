"""The readers' local cache: keyed by bucket, prefix, collection, version and checksum, so two
tenants never share a copy, and concurrent cold starts on one cache directory all succeed."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory, Storage

from live_services import MotoEndpoint
from receipt_chroma.storage import Compactor, SnapshotReader

pytestmark = [pytest.mark.moto, pytest.mark.embedded]


def _publish(storage: Storage, records: RecordFactory, work_dir: Path, merchant: str) -> None:
    upserts = [records.word(line, 0, merchant=merchant) for line in range(1, 6)]
    storage.write(upserts=upserts, created_ms=1_000)
    assert Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run().version == 1


def _merchants(reader: SnapshotReader) -> set[object]:
    return {record.metadata["merchant_name"] for record in reader.collection().all_records()}


def test_two_tenants_in_one_process_each_read_their_own_snapshot(
    storage: Storage, records: RecordFactory, work_dir: Path, tmp_path: Path
) -> None:
    # GIVEN `words` version 1 under two prefixes (two tenants), with different records
    other = storage.fresh()
    _publish(storage, records, work_dir, "TARGET")
    _publish(other, records, work_dir, "COSTCO")
    # WHEN one process reads both through the default-style shared cache directory
    first = SnapshotReader(config=storage.config, s3=storage.s3, cache_dir=tmp_path)
    second = SnapshotReader(config=other.config, s3=other.s3, cache_dir=tmp_path)
    assert _merchants(first) == {"TARGET"}
    assert _merchants(second) == {"COSTCO"}
    # THEN each keeps its own copy: the first still reads its records after the second opened
    assert _merchants(first) == {"TARGET"}
    copies = sorted(path.relative_to(tmp_path) for path in tmp_path.glob("*/v*") if path.is_dir())
    assert len(copies) == 2 and all(path.parts[0].startswith("words-") for path in copies)
    pointer = storage.pointer()
    assert any(p.name == f"v{pointer.version:012d}-{pointer.sha256[:16]}" for p in copies)
    first.close()
    second.close()


COLD_START = """
import json, sys, time, boto3
from receipt_chroma.storage import SnapshotReader, StorageConfig
settings = json.loads(sys.argv[1])
config = StorageConfig(bucket=settings["bucket"], collection="words", prefix=settings["prefix"])
reader = SnapshotReader(config=config, s3=boto3.client("s3", **settings["client"]),
                        cache_dir=settings["cache"])
time.sleep(max(0.0, settings["start_at"] - time.time()))  # all at once
print(json.dumps([match.id for match in reader.query(settings["query"], n_results=1)]))
"""


@pytest.mark.slow
def test_concurrent_cold_starts_on_one_cache_directory_all_succeed(
    storage: Storage, records: RecordFactory, work_dir: Path, tmp_path: Path,
    moto_endpoint: MotoEndpoint,
) -> None:  # fmt: skip
    _publish(storage, records, work_dir, "TARGET")
    target = records.word(3, 0, merchant="TARGET")
    settings = {
        "client": moto_endpoint.client_settings(), "bucket": storage.config.bucket,
        "prefix": storage.config.prefix, "cache": str(tmp_path), "query": target.embedding,
        "start_at": time.time() + 8,
    }  # fmt: skip
    children = [
        subprocess.Popen([sys.executable, "-c", COLD_START, json.dumps(settings)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err[-2000:]
        assert json.loads(out) == [target.id]
