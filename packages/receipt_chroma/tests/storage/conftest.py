"""Fixtures for the S3 storage tests: a bucket on a real moto server, a fresh prefix per test."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from live_services import MotoEndpoint
from receipt_chroma import ChromaClient, Record
from receipt_chroma.storage import DeltaWriter, ObjectStore, StorageConfig, read_pointer
from receipt_chroma.storage.archive import extract_verified

BUCKET = "receipt-chroma-storage-tests"


@pytest.fixture(scope="session")
def s3(moto_endpoint: MotoEndpoint) -> Any:
    client = boto3.client("s3", **moto_endpoint.client_settings())
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def config(s3: Any) -> StorageConfig:
    return StorageConfig(bucket=BUCKET, collection="words", prefix=f"t-{uuid.uuid4().hex[:10]}")


@dataclass(frozen=True, slots=True)
class SnapshotState:
    version: int
    records: dict[str, Record]
    ids: list[str]
    """Every ID in the snapshot, as listed (to see duplicates)."""


class Storage:
    """Helpers over one test's prefix (a fixture: test modules cannot import each other)."""

    def __init__(self, *, config: StorageConfig, s3: Any) -> None:
        self.config = config
        self.s3 = s3
        self.store = ObjectStore(config=config, s3=s3)

    def for_collection(self, collection: str) -> StorageConfig:
        return StorageConfig(
            bucket=self.config.bucket, collection=collection, prefix=self.config.prefix
        )

    def write(
        self, *, upserts: Sequence[Record] = (), deletes: Sequence[str] = (), created_ms: int
    ) -> str:
        writer = DeltaWriter(config=self.config, s3=self.s3, producer="test")
        return writer.write(upserts=upserts, deletes=deletes, created_ms=created_ms).key

    def objects(self) -> dict[str, str]:
        """Every object under the test's prefix but the lease: key -> ETag."""
        listed = self.store.list(self.config.root)
        return {item.key: item.etag for item in listed if item.key != self.config.lease_key}

    def keys(self, prefix: str) -> list[str]:
        return [item.key for item in self.store.list(prefix)]

    def snapshot(self) -> SnapshotState:
        """The snapshot the pointer names, downloaded, checksum-verified and read back."""
        pointer = read_pointer(self.store)
        assert pointer is not None, "the pointer names no snapshot"
        with tempfile.TemporaryDirectory() as scratch:
            archive = Path(scratch) / "a.tar"
            self.store.download(pointer.archive_key, archive)
            extract_verified(
                archive,
                sha256=pointer.sha256,
                destination=Path(scratch) / "db",
                name=pointer.archive_key,
            )
            with ChromaClient.persistent(Path(scratch) / "db", read_only=True) as client:
                listed = list(client.collection(self.config.collection).all_records())
        return SnapshotState(
            version=pointer.version,
            records={record.id: record for record in listed},
            ids=[record.id for record in listed],
        )


@pytest.fixture
def storage(config: StorageConfig, s3: Any) -> Storage:
    return Storage(config=config, s3=s3)


@pytest.fixture
def work_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="receipt-chroma-test-") as directory:
        yield Path(directory)


class Scenario:
    """A first delta (published as version 1), then two deltas that overwrite, delete, re-add."""

    def __init__(self, records: Any) -> None:
        self.first = [records.word(line, 0) for line in range(1, 11)]
        changed = records.word(1, 0, seed=999, text="CHANGED")
        self.second = [changed, *[records.word(line, 0) for line in range(11, 16)]]
        self.second_deletes = [records.word(2, 0).id]
        self.third = [records.word(2, 0, seed=555), records.word(16, 0)]
        self.third_deletes = [records.word(3, 0).id]

    def expected_after_first(self) -> dict[str, Record]:
        return {record.id: record for record in self.first}

    def expected_after_all(self) -> dict[str, Record]:
        model = self.expected_after_first()
        for upserts, deletes in (
            (self.second, self.second_deletes),
            (self.third, self.third_deletes),
        ):
            model.update({record.id: record for record in upserts})
            for key in deletes:
                model.pop(key, None)
        return model

    def write_first(self, storage: Storage) -> list[str]:
        return [storage.write(upserts=self.first, created_ms=1_000)]

    def write_rest(self, storage: Storage) -> list[str]:
        return [
            storage.write(upserts=self.second, deletes=self.second_deletes, created_ms=2_000),
            storage.write(upserts=self.third, deletes=self.third_deletes, created_ms=3_000),
        ]


def assert_holds_exactly(state: SnapshotState, expected: dict[str, Record]) -> None:
    """Every expected record once, with its latest document and embedding; nothing else."""
    assert len(state.ids) == len(set(state.ids)), "a record is stored twice"
    assert set(state.ids) == set(expected)
    for key, want in expected.items():
        got = state.records[key]
        assert got.document == want.document
        assert got.embedding == pytest.approx(want.embedding, abs=1e-5)


@pytest.fixture
def scenario(records: Any) -> Scenario:
    return Scenario(records)


@pytest.fixture
def holds_exactly() -> Any:
    return assert_holds_exactly
