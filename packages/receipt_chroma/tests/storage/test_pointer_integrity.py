"""The pointer's fence survives a rollback (no ETag ABA), and lineages cannot loop."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Scenario, Storage

from receipt_chroma.errors import PointerError
from receipt_chroma.storage import (
    CompactionResult,
    Compactor,
    Outcome,
    Step,
    collect_garbage,
    list_snapshots,
    repoint,
)

pytestmark = [pytest.mark.moto, pytest.mark.embedded]


def test_a_rollback_while_a_compactor_works_still_fences_it(
    storage: Storage, scenario: Scenario, work_dir: Path
) -> None:
    # GIVEN version 1 and pending deltas
    scenario.publish_first(storage, work_dir)
    first = storage.pointer()
    others: list[CompactionResult] = []

    def meanwhile(step: Step) -> None:
        # a slow compactor has read version 1; another publishes version 2, and an operator
        # rolls back to version 1: the pointer names exactly what the slow one read
        if step is Step.DELTAS_LOADED and not others:
            others.append(Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir,
                                    use_lease=False, owner="other").run())  # fmt: skip
            repoint(storage.store, manifest_key=first.manifest_key)

    slow = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir, use_lease=False,
                     owner="slow", on_step=meanwhile).run()  # fmt: skip
    # THEN the slow compactor is fenced: the rollback stands, and one version 2 exists
    assert others[0].outcome is Outcome.PUBLISHED and others[0].version == 2
    assert slow.outcome is Outcome.FENCED, slow.message
    pointer = storage.pointer()
    assert pointer.manifest_key == first.manifest_key
    assert [e.version for e in list_snapshots(storage.store)] == [1, 2]


def test_every_pointer_write_is_unique_and_a_repoint_is_a_new_generation(
    storage: Storage, scenario: Scenario, work_dir: Path
) -> None:
    scenario.publish_first(storage, work_dir)
    before = storage.pointer()
    after = repoint(storage.store, manifest_key=before.manifest_key)  # to the same snapshot
    stored = storage.pointer()
    assert stored.etag != before.etag
    assert stored.generation == after.generation == before.generation + 1
    assert stored.nonce != before.nonce


def _manifest_at(storage: Storage, key: str, **changes: Any) -> str:
    """Copy the current manifest to `key` with `changes` (a hand-made manifest)."""
    pointer = storage.pointer()
    raw = json.loads(storage.store.get(pointer.manifest_key)[0])
    storage.store.put(key, json.dumps({**raw, **changes}).encode())
    return key


def _looping(storage: Storage) -> str:
    """A version-3 manifest whose parent is itself."""
    key = storage.config.manifest_key(version=3, run="100e")
    return _manifest_at(storage, key, version=3, parent=key)


def _two_cycle(storage: Storage) -> str:
    """Version 3 names version 2 as parent, and that one names version 3."""
    three = storage.config.manifest_key(version=3, run="300e")
    two = storage.config.manifest_key(version=2, run="200e")
    _manifest_at(storage, two, version=2, parent=three)
    return _manifest_at(storage, three, version=3, parent=two)


@pytest.mark.parametrize("make", [_looping, _two_cycle], ids=["self-parent", "two-cycle"])
def test_repoint_refuses_a_manifest_whose_lineage_loops(
    storage: Storage, scenario: Scenario, work_dir: Path, make: Callable[[Storage], str]
) -> None:
    scenario.publish_first(storage, work_dir)
    key = make(storage)
    before = storage.objects()
    with pytest.raises(PointerError, match="parent") as refused:
        repoint(storage.store, manifest_key=key)
    assert "repoint" in str(refused.value)
    assert storage.objects() == before


def _finishes(action: Callable[[], object], seconds: float = 30.0) -> BaseException | None:
    """Run `action` in a thread; fail if it is still running after `seconds` (a hang)."""
    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            action()
            outcome.append(None)
        except BaseException as error:  # handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still running after {seconds} s: the lineage walk loops"
    return outcome[0]


@pytest.mark.parametrize("make", [_looping, _two_cycle], ids=["self-parent", "two-cycle"])
def test_snapshots_and_gc_refuse_a_looping_lineage_instead_of_hanging(
    storage: Storage, scenario: Scenario, work_dir: Path, make: Callable[[Storage], str]
) -> None:
    # GIVEN a pointer written by hand (not through repoint) naming a looping manifest
    scenario.publish_first(storage, work_dir)
    key = make(storage)
    pointer = json.loads(storage.store.get(storage.config.pointer_key)[0])
    pointer.update(manifest_key=key, version=3)
    storage.store.put(storage.config.pointer_key, json.dumps(pointer).encode())
    before = storage.objects()
    # WHEN listing or collecting THEN each ends with an error naming the manifest at fault
    for action in (lambda: list_snapshots(storage.store), lambda: collect_garbage(storage.store)):
        error = _finishes(action)
        assert isinstance(error, PointerError), error
        assert "parent" in str(error)
    assert storage.objects() == before
