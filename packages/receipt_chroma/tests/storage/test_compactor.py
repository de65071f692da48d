"""Compaction end to end: moto in server mode and real embedded Chroma."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory, Scenario, Storage

from receipt_chroma.storage import (
    Compactor,
    Outcome,
    SnapshotReader,
    collect_garbage,
    list_pending,
    list_snapshots,
    read_manifest,
)

pytestmark = [pytest.mark.moto, pytest.mark.embedded]


def compactor(storage: Storage, work_dir: Path, **options: Any) -> Compactor:
    return Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir, **options)


def test_compactions_publish_versions_that_hold_every_write_once(
    storage: Storage, scenario: Scenario, work_dir: Path, holds_exactly: Any
) -> None:
    # GIVEN no snapshot and one pending delta
    first_keys = scenario.write_first(storage)
    # WHEN compacted THEN version 1 holds it and the delta is consumed
    first = compactor(storage, work_dir).run()
    assert (first.outcome, first.version, first.record_count) == (Outcome.PUBLISHED, 1, 10)
    assert type(first.to_dict()["outcome"]) is str  # a Lambda handler can return it as is
    holds_exactly(storage.snapshot(), scenario.expected_after_first())
    assert list_pending(storage.store) == []
    assert storage.keys(storage.config.consumed_prefix) == [
        storage.config.consumed_key(key) for key in first_keys
    ]
    # GIVEN overwrites, deletes and re-adds in two more deltas
    rest = scenario.write_rest(storage)
    second = compactor(storage, work_dir).run()
    assert (second.outcome, second.version) == (Outcome.PUBLISHED, 2)
    holds_exactly(storage.snapshot(), scenario.expected_after_all())
    pointer = storage.pointer()
    manifest = read_manifest(storage.store, pointer.manifest_key)
    assert manifest.applied_deltas == tuple(rest) and manifest.record_count == 15
    # AND with nothing pending nothing is published; the scratch space is left empty
    assert compactor(storage, work_dir).run().outcome is Outcome.NOTHING_TO_DO
    assert list(work_dir.iterdir()) == []


def test_the_reader_reuses_its_copy_until_the_pointer_moves(
    storage: Storage, scenario: Scenario, records: RecordFactory, work_dir: Path, tmp_path: Path
) -> None:
    scenario.write_first(storage)
    compactor(storage, work_dir).run()
    reader = SnapshotReader(config=storage.config, s3=storage.s3, cache_dir=tmp_path)
    target = records.word(4, 0)
    assert reader.query(target.embedding or (), n_results=1)[0].id == target.id
    opened = reader.collection()
    assert reader.collection() is opened and reader.version == 1  # warm: same copy
    scenario.write_rest(storage)
    compactor(storage, work_dir).run()
    # WHEN the pointer moved THEN the next call swaps to version 2 and drops version 1's copy
    changed = scenario.second[0]
    assert reader.query(changed.embedding or (), n_results=1)[0].document == "CHANGED"
    assert reader.version == 2 and reader.collection() is not opened
    copies = [path.name for path in tmp_path.glob("words-*/v*") if path.is_dir()]
    assert copies == [f"v000000000002-{storage.pointer().sha256[:16]}"]
    reader.close()


def test_garbage_collection_keeps_the_last_k_and_never_the_current_or_newer(
    storage: Storage, records: RecordFactory, work_dir: Path
) -> None:
    for version in range(1, 5):
        storage.write(upserts=[records.word(version, 0)], created_ms=version)
        compactor(storage, work_dir).run()
    # an orphan newer than the pointer (a compaction still uploading) must survive
    orphan = storage.config.archive_key(version=6, run="abc123")
    storage.store.put(orphan, b"in flight")
    deleted = collect_garbage(storage.store, keep=2)
    assert len(deleted) == 4  # versions 1 and 2: archive + manifest each
    left = list_snapshots(storage.store)
    assert [(e.version, e.current) for e in left] == [(3, False), (4, True), (6, False)]
    assert storage.snapshot().version == 4 and len(storage.snapshot().ids) == 4
    # AND a compactor told to keep 1 collects after publishing
    storage.write(upserts=[records.word(5, 0)], created_ms=5)
    assert compactor(storage, work_dir, keep_snapshots=1).run().version == 5
    left = list_snapshots(storage.store)
    assert [(e.version, e.current) for e in left] == [(5, True), (6, False)]


def test_max_deltas_bounds_a_run_and_keeps_the_order(
    storage: Storage, scenario: Scenario, work_dir: Path, holds_exactly: Any
) -> None:
    # GIVEN three pending deltas and runs allowed one delta each (a Lambda's time budget)
    scenario.write_first(storage)
    scenario.write_rest(storage)
    versions = [compactor(storage, work_dir, max_deltas=1).run() for _ in range(4)]
    # THEN three versions, oldest delta first, and the same end state as one big run
    assert [r.outcome for r in versions] == [Outcome.PUBLISHED] * 3 + [Outcome.NOTHING_TO_DO]
    assert [r.deltas_applied for r in versions[:3]] == [1, 1, 1]
    holds_exactly(storage.snapshot(), scenario.expected_after_all())
