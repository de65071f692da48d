"""Compactors racing: exactly one publishes each version; losers see the fence and clean up."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory, Scenario, Storage

from receipt_chroma.storage import (
    CompactionResult,
    Compactor,
    Outcome,
    Step,
    list_pending,
    list_snapshots,
)

pytestmark = [pytest.mark.moto, pytest.mark.embedded]


def _assert_one_publisher_per_version(storage: Storage) -> None:
    entries = list_snapshots(storage.store)
    assert [(e.version, e.published) for e in entries] == [(1, True), (2, True)]
    assert all(e.archive_key and e.manifest_key for e in entries)


@pytest.mark.parametrize("racers", [2, 3])
def test_racing_compactors_publish_once_and_the_losers_are_fenced(
    storage: Storage, scenario: Scenario, work_dir: Path, holds_exactly: Any, racers: int
) -> None:
    # GIVEN compactors without the lease (correctness must not depend on it), all started
    # from version 1 and all holding a finished, uploaded version 2 before any publishes
    scenario.publish_first(storage, work_dir)
    barrier = threading.Barrier(racers, timeout=120)

    def wait_for_all(step: Step) -> None:
        if step is Step.SNAPSHOT_UPLOADED:
            barrier.wait()

    def run(index: int) -> CompactionResult:
        return Compactor(
            config=storage.config,
            s3=storage.s3,
            work_dir=work_dir,
            use_lease=False,
            owner=f"racer-{index}",
            on_step=wait_for_all,
        ).run()

    with ThreadPoolExecutor(racers) as pool:
        results = list(pool.map(run, range(racers)))
    # THEN exactly one published version 2; every other one reports the fence and discarded
    outcomes = sorted(result.outcome for result in results)
    assert outcomes == sorted([Outcome.PUBLISHED] + [Outcome.FENCED] * (racers - 1))
    for loser in (r for r in results if r.outcome is Outcome.FENCED):
        assert "moved since this compactor read it" in loser.message and loser.version == 2
    _assert_one_publisher_per_version(storage)  # the losers' uploads are gone
    holds_exactly(storage.snapshot(), scenario.expected_after_all())
    assert list_pending(storage.store) == []


def test_a_second_compactor_is_kept_out_by_a_live_lease(
    storage: Storage, scenario: Scenario, work_dir: Path
) -> None:
    scenario.publish_first(storage, work_dir)
    second: list[CompactionResult] = []

    def start_another(step: Step) -> None:
        if step is Step.DELTAS_LOADED:
            second.append(
                Compactor(
                    config=storage.config, s3=storage.s3, work_dir=work_dir, owner="second"
                ).run()
            )

    first = Compactor(
        config=storage.config,
        s3=storage.s3,
        work_dir=work_dir,
        owner="first",
        on_step=start_another,
    ).run()
    assert first.outcome is Outcome.PUBLISHED
    assert second[0].outcome is Outcome.LEASE_HELD and "held by 'first'" in second[0].message
    _assert_one_publisher_per_version(storage)


@pytest.mark.parametrize(
    ("stalls_at", "loser_outcome"),
    [
        (Step.DELTAS_APPLIED, Outcome.LEASE_LOST),  # its next heartbeat finds the takeover
        (Step.SNAPSHOT_UPLOADED, Outcome.FENCED),  # past its last heartbeat: the pointer fences
    ],
    ids=["caught-by-heartbeat", "caught-by-fence"],
)
def test_a_compactor_whose_lease_expires_mid_merge_cannot_publish_over_the_newer_version(
    storage: Storage,
    scenario: Scenario,
    records: RecordFactory,
    work_dir: Path,
    holds_exactly: Any,
    stalls_at: Step,
    loser_outcome: Outcome,
) -> None:
    scenario.publish_first(storage, work_dir)
    late = records.word(40, 0)
    taker: list[CompactionResult] = []

    def stall(step: Step) -> None:
        # the slow compactor stalls past its lease; meanwhile a producer writes and another
        # compactor (whose clock says the lease expired) takes over and publishes version 2
        if step is stalls_at:
            storage.write(upserts=[late], created_ms=4_000)
            taker.append(
                Compactor(
                    config=storage.config,
                    s3=storage.s3,
                    work_dir=work_dir,
                    owner="taker",
                    clock=lambda: time.time() + 3_600,
                ).run()
            )

    slow = Compactor(
        config=storage.config,
        s3=storage.s3,
        work_dir=work_dir,
        owner="slow",
        lease_ttl_seconds=60,
        on_step=stall,
    ).run()
    assert taker[0].outcome is Outcome.PUBLISHED and taker[0].version == 2
    assert slow.outcome is loser_outcome and "discarded" in slow.message
    _assert_one_publisher_per_version(storage)
    expected = scenario.expected_after_all() | {late.id: late}
    holds_exactly(storage.snapshot(), expected)
    assert list_pending(storage.store) == []
