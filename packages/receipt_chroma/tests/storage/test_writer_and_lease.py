"""Producers and the lease against moto in server mode: thin-client safe (no embedded Chroma)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory, Storage

from receipt_chroma.errors import DeltaError, LeaseHeldError, LeaseLostError
from receipt_chroma.storage import DeltaWriter, Lease, list_pending
from receipt_chroma.storage.delta import decode
from receipt_chroma.storage.delta_store import mark_consumed

pytestmark = pytest.mark.moto


def test_a_delta_is_named_by_its_content_so_a_retry_stores_nothing_new(
    storage: Storage, records: RecordFactory
) -> None:
    # GIVEN a producer that writes the same delta twice (an at-least-once retry)
    writer = DeltaWriter(config=storage.config, s3=storage.s3, producer="lambda-1")
    first = writer.write(upserts=[records.word(1, 0)], deletes=["old"], created_ms=1_000)
    again = writer.write(upserts=[records.word(1, 0)], deletes=["old"], created_ms=1_000)
    # THEN one object is pending, named <created ms>-<sha256>, decodable as written
    assert not first.already_stored and again.already_stored and first.key == again.key
    assert list_pending(storage.store) == [first.key]
    assert first.key.rsplit("/", 1)[-1].startswith("0000000001000-")
    data, _ = storage.store.get(first.key)
    assert decode(data, where=first.key).upserts[0].id == records.word(1, 0).id
    # AND once consumed, the same retry is not queued again
    mark_consumed(storage.store, first.key, version=1, manifest_key="m")
    late = writer.write(upserts=[records.word(1, 0)], deletes=["old"], created_ms=1_000)
    assert late.already_stored and list_pending(storage.store) == []


def test_the_writer_refuses_a_dimension_the_collection_does_not_hold(
    storage: Storage, records: RecordFactory
) -> None:
    # GIVEN a collection whose current snapshot holds 16-dimensional embeddings (a pointer in
    # the first format, without generation and nonce, which is still read)
    pointer = {
        "collection": "words",
        "version": 1,
        "manifest_key": storage.config.manifest_key(version=1, run="a1"),
        "archive_key": storage.config.archive_key(version=1, run="a1"),
        "sha256": "0" * 64,
        "size": 1,
        "record_count": 1,
        "dimension": 16,
        "format": 1,
    }
    storage.s3.put_object(
        Bucket=storage.config.bucket,
        Key=storage.config.pointer_key,
        Body=json.dumps(pointer).encode(),
    )
    writer = DeltaWriter(config=storage.config, s3=storage.s3)
    # WHEN a producer writes 8-dimensional ones THEN it is refused and nothing is stored
    with pytest.raises(DeltaError, match="8 dimensions, the collection holds 16"):
        writer.write(upserts=[records.word(1, 0, dimension=8)], created_ms=1)
    assert list_pending(storage.store) == []


def _lease(storage: Storage, owner: str, clock: Any = None, ttl: float = 60.0) -> Lease:
    extra = {"clock": clock} if clock else {}
    return Lease(store=storage.store, owner=owner, ttl_seconds=ttl, **extra)


def test_the_lease_is_exclusive_until_it_expires_and_a_taken_over_holder_knows(
    storage: Storage,
) -> None:
    now = [1_000.0]
    first = _lease(storage, "first", clock=lambda: now[0])
    second = _lease(storage, "second", clock=lambda: now[0])
    first.acquire()
    # WHILE it is valid another compactor is refused, naming the holder
    with pytest.raises(LeaseHeldError, match="held by 'first'"):
        second.acquire()
    first.renew()
    # WHEN it expires, another takes it over, and the first one's heartbeat fails
    now[0] += 61
    second.acquire()
    with pytest.raises(LeaseLostError, match="taken over"):
        first.renew()
    first.release()  # harmless: not ours any more
    assert json.loads(storage.store.get(storage.config.lease_key)[0])["owner"] == "second"
    # AND a released lease is free at once
    second.release()
    _lease(storage, "third", clock=lambda: now[0]).acquire()


def test_writing_a_delta_never_imports_chromadb(storage: Storage, moto_endpoint: Any) -> None:
    # a producer Lambda with only the [lambda] extra: the delta path needs no Chroma at all
    script = f"""
import sys, boto3
from receipt_chroma import Record
from receipt_chroma.storage import DeltaWriter, StorageConfig
s3 = boto3.client("s3", **{moto_endpoint.client_settings()!r})
config = StorageConfig(bucket={storage.config.bucket!r}, collection="free-form",
                       prefix={storage.config.prefix!r})
record = Record(id="r1", embedding=(0.1, 0.2, 0.3), document="d", metadata={{"k": 1}})
DeltaWriter(config=config, s3=s3).write(upserts=[record], created_ms=1)
assert "chromadb" not in sys.modules, "writing a delta imported chromadb"
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    pending = storage.keys(storage.for_collection("free-form").deltas_prefix)
    assert len(pending) == 1


def test_the_thin_client_refuses_compaction_and_reading_before_touching_s3(
    storage: Storage, flavour: Any
) -> None:
    from receipt_chroma import ChromaInstallError, Flavour
    from receipt_chroma.storage import Compactor, SnapshotReader

    if flavour is not Flavour.LAMBDA:
        pytest.skip("the full chromadb is installed: compaction is tested in test_compactor.py")
    with pytest.raises(ChromaInstallError, match=r"receipt-chroma\[full\]"):
        Compactor(config=storage.config, s3=storage.s3).run()
    with pytest.raises(ChromaInstallError, match=r"receipt-chroma\[full\]"):
        SnapshotReader(config=storage.config, s3=storage.s3)
    assert storage.keys(storage.config.root) == []  # not even the lease was taken
