"""Bad input: an error naming the object and the fix, and nothing already stored changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory, Scenario, Storage

from receipt_chroma.errors import (
    DeltaError,
    ObjectMissingError,
    PointerError,
    SnapshotCorruptError,
    StorageError,
)
from receipt_chroma.storage import (
    Compactor,
    DeltaWriter,
    Outcome,
    SnapshotReader,
    read_pointer,
    repoint,
)

pytestmark = [pytest.mark.moto, pytest.mark.embedded]

Damage = Callable[["Storage", "RecordFactory"], str]
"""Breaks something stored; returns the key the error must name."""


def _archive_key(storage: Storage) -> str:
    pointer = read_pointer(storage.store)
    assert pointer is not None
    return pointer.archive_key


def corrupt_archive(storage: Storage, records: RecordFactory) -> str:
    key = _archive_key(storage)
    data, _ = storage.store.get(key)
    middle = len(data) // 2
    flipped = bytes(byte ^ 0xFF for byte in data[middle : middle + 64])
    storage.store.put(key, data[:middle] + flipped + data[middle + 64 :])  # same size
    return key


def missing_archive(storage: Storage, records: RecordFactory) -> str:
    key = _archive_key(storage)
    storage.store.delete(key)
    return key


def missing_manifest(storage: Storage, records: RecordFactory) -> str:
    pointer = read_pointer(storage.store)
    assert pointer is not None
    storage.store.delete(pointer.manifest_key)
    return pointer.manifest_key


def unreadable_pointer(storage: Storage, records: RecordFactory) -> str:
    storage.store.put(storage.config.pointer_key, b'{"version": 1, "archi')
    return storage.config.pointer_key


def wrong_collection_delta(storage: Storage, records: RecordFactory) -> str:
    lines = DeltaWriter(config=storage.for_collection("lines"), s3=storage.s3)
    written = lines.write(upserts=[records.line(1)], created_ms=5_000)
    key = storage.config.deltas_prefix + written.key.rsplit("/", 1)[-1]
    storage.store.put(key, storage.store.get(written.key)[0])
    storage.store.delete(written.key)
    return key


def wrong_dimension_delta(storage: Storage, records: RecordFactory) -> str:
    writer = DeltaWriter(config=storage.config, s3=storage.s3, dimension=8)  # a stale producer
    return writer.write(upserts=[records.word(30, 0, dimension=8)], created_ms=5_000).key


def corrupt_delta(storage: Storage, records: RecordFactory) -> str:
    key = storage.write(upserts=[records.word(30, 0)], created_ms=5_000)
    data, _ = storage.store.get(key)
    storage.store.put(key, data[:-4] + b"\x00\x00\x80\x7f")
    return key


CASES: list[tuple[Damage, type[StorageError], str]] = [
    (corrupt_archive, SnapshotCorruptError, "repoint"),
    (missing_archive, ObjectMissingError, "repoint"),
    (missing_manifest, ObjectMissingError, "repoint"),
    (unreadable_pointer, PointerError, "repoint"),
    (wrong_collection_delta, DeltaError, "is for collection 'lines'"),
    (wrong_dimension_delta, DeltaError, "8-dimensional embeddings, the collection 16"),
    (corrupt_delta, DeltaError, "SHA-256 does not match"),
]


@pytest.mark.parametrize(("damage", "error", "fix"), CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_input_is_named_with_its_fix_and_changes_nothing(
    storage: Storage,
    scenario: Scenario,
    records: RecordFactory,
    work_dir: Path,
    tmp_path: Path,
    damage: Damage,
    error: type[StorageError],
    fix: str,
) -> None:
    # GIVEN a published version and pending deltas, then one damaged object
    scenario.write_first(storage)
    Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    scenario.write_rest(storage)
    key = damage(storage, records)
    before = storage.objects()
    # WHEN compacting THEN the error names the object and the fix
    with pytest.raises(error, match=fix) as caught:
        Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    assert storage.config.url(key) in str(caught.value) and caught.value.key in {
        key,
        storage.config.url(key),
    }
    # AND nothing stored changed (pointer, snapshots, deltas, markers)
    assert storage.objects() == before
    assert list(work_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("damage", "error"),
    [
        (corrupt_archive, SnapshotCorruptError),
        (missing_archive, ObjectMissingError),
        (unreadable_pointer, PointerError),
    ],
    ids=["corrupt_archive", "missing_archive", "unreadable_pointer"],
)
def test_a_reader_refuses_a_bad_snapshot_and_leaves_no_copy(
    storage: Storage,
    scenario: Scenario,
    records: RecordFactory,
    work_dir: Path,
    tmp_path: Path,
    damage: Damage,
    error: type[StorageError],
) -> None:
    scenario.write_first(storage)
    Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    key = damage(storage, records)
    reader = SnapshotReader(config=storage.config, s3=storage.s3, cache_dir=tmp_path)
    with pytest.raises(error) as caught:
        reader.collection()
    assert storage.config.url(key) in str(caught.value)
    assert not list(tmp_path.rglob("v0*")), "a partial or unverified copy was left"


def test_repoint_repairs_an_unreadable_pointer(
    storage: Storage, scenario: Scenario, records: RecordFactory, work_dir: Path
) -> None:
    scenario.write_first(storage)
    Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    pointer = read_pointer(storage.store)
    assert pointer is not None
    unreadable_pointer(storage, records)
    repoint(storage.store, manifest_key=pointer.manifest_key)
    scenario.write_rest(storage)
    result = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    assert (result.outcome, result.version) == (Outcome.PUBLISHED, 2)
