"""Bad stored input (archive, manifest, pointer): an error naming the object and the fix, and
nothing already stored changes. A bad delta is quarantined instead: see test_quarantine.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory, Scenario, Storage

from receipt_chroma.errors import (
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
    repoint,
)

pytestmark = [pytest.mark.moto, pytest.mark.embedded]

Damage = Callable[["Storage", "RecordFactory"], str]
"""Breaks something stored; returns the key the error must name."""


def _archive_key(storage: Storage) -> str:
    pointer = storage.pointer()
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
    pointer = storage.pointer()
    storage.store.delete(pointer.manifest_key)
    return pointer.manifest_key


def unreadable_pointer(storage: Storage, records: RecordFactory) -> str:
    storage.store.put(storage.config.pointer_key, b'{"version": 1, "archi')
    return storage.config.pointer_key


def _pointer_with(field: str, value: object) -> Damage:
    """A pointer whose `field` holds a value of the wrong type or range."""

    def damage(storage: Storage, records: RecordFactory) -> str:
        raw = json.loads(storage.store.get(storage.config.pointer_key)[0])
        storage.store.put(storage.config.pointer_key, json.dumps({**raw, field: value}).encode())
        return storage.config.pointer_key

    damage.__name__ = f"pointer_{field}_{type(value).__name__}"
    return damage


POINTER_FIELDS = [
    _pointer_with("archive_key", ["a", "b"]),
    _pointer_with("dimension", "16"),
    _pointer_with("sha256", None),
    _pointer_with("version", True),
    _pointer_with("version", -1),
    _pointer_with("size", 1.5),
    _pointer_with("extra", "unknown key"),
]


CASES: list[tuple[Damage, type[StorageError], str]] = [
    (corrupt_archive, SnapshotCorruptError, "repoint"),
    (missing_archive, ObjectMissingError, "repoint"),
    (missing_manifest, ObjectMissingError, "repoint"),
    (unreadable_pointer, PointerError, "repoint"),
    *[(damage, PointerError, "repoint") for damage in POINTER_FIELDS],
]


@pytest.mark.parametrize(("damage", "error", "fix"), CASES, ids=[c[0].__name__ for c in CASES])
def test_bad_input_is_named_with_its_fix_and_changes_nothing(
    storage: Storage,
    scenario: Scenario,
    records: RecordFactory,
    work_dir: Path,
    damage: Damage,
    error: type[StorageError],
    fix: str,
) -> None:
    # GIVEN a published version and pending deltas, then one damaged object
    scenario.publish_first(storage, work_dir)
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
    scenario.publish_first(storage, work_dir, rest=False)
    key = damage(storage, records)
    reader = SnapshotReader(config=storage.config, s3=storage.s3, cache_dir=tmp_path)
    with pytest.raises(error) as caught:
        reader.collection()
    assert storage.config.url(key) in str(caught.value)
    assert not list(tmp_path.rglob("v0*")), "a partial or unverified copy was left"


def test_repoint_repairs_an_unreadable_pointer(
    storage: Storage, scenario: Scenario, records: RecordFactory, work_dir: Path
) -> None:
    scenario.publish_first(storage, work_dir, rest=False)
    pointer = storage.pointer()
    unreadable_pointer(storage, records)
    repoint(storage.store, manifest_key=pointer.manifest_key)
    scenario.write_rest(storage)
    result = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    assert (result.outcome, result.version) == (Outcome.PUBLISHED, 2)


@pytest.mark.parametrize("damage", POINTER_FIELDS, ids=[d.__name__ for d in POINTER_FIELDS])
def test_a_mistyped_pointer_field_is_named_by_readers_and_writers(
    storage: Storage,
    scenario: Scenario,
    records: RecordFactory,
    work_dir: Path,
    tmp_path: Path,
    damage: Damage,
) -> None:
    # GIVEN a pointer with one field of the wrong type or range
    scenario.publish_first(storage, work_dir, rest=False)
    damage(storage, records)
    field = damage.__name__.split("_", 1)[1].rsplit("_", 1)[0]
    # WHEN a producer writes or a reader opens THEN the error names the pointer and the field
    writer = DeltaWriter(config=storage.config, s3=storage.s3)
    reader = SnapshotReader(config=storage.config, s3=storage.s3, cache_dir=tmp_path)
    for action in (lambda: writer.write(upserts=[records.word(9, 9)], created_ms=9),
                   reader.collection):  # fmt: skip
        with pytest.raises(PointerError) as caught:
            action()
        message = str(caught.value)
        assert storage.config.url(storage.config.pointer_key) in message
        assert repr(field) in message, message
