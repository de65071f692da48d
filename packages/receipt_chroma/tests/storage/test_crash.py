"""A compaction crashed at every step boundary (raised, or SIGKILLed) and SIGKILLed after
every mutating S3 call, then run again.

After the crash the pointer names a complete, checksum-valid snapshot (the old or the new one);
after the rerun every record of every delta is present exactly once and one version was added.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Scenario, Storage

from live_services import MotoEndpoint
from receipt_chroma.storage import Compactor, Outcome, Step, list_pending, list_quarantined

pytestmark = [pytest.mark.moto, pytest.mark.embedded]

CHILD = Path(__file__).with_name("crash_child.py")


class SimulatedCrashError(Exception):
    pass


def _after_lease_expiry() -> float:
    return time.time() + 3_600  # a killed holder's lease has expired by then


def _check_after_crash_and_rerun(
    storage: Storage, scenario: Scenario, work_dir: Path, holds_exactly: Any, rest: list[str]
) -> None:
    # the pointer names a complete, checksum-valid snapshot: the old version or the new one
    crashed = storage.snapshot()
    expected = {1: scenario.expected_after_first(), 2: scenario.expected_after_all()}
    holds_exactly(crashed, expected[crashed.version])
    # WHEN run again (a new compactor, after the crashed one's lease expired; a killed run's
    # work directory is stale by then)
    for left in work_dir.glob("compact-*"):
        os.utime(left, (time.time() - 3_600,) * 2)
    rerun = Compactor(
        config=storage.config, s3=storage.s3, work_dir=work_dir, clock=_after_lease_expiry
    ).run()
    assert rerun.outcome in {Outcome.PUBLISHED, Outcome.NOTHING_TO_DO}, rerun.message
    # THEN exactly one new version, every write in it once, every delta consumed once
    final = storage.snapshot()
    assert final.version == 2
    holds_exactly(final, scenario.expected_after_all())
    assert list_pending(storage.store) == []
    consumed = storage.keys(storage.config.consumed_prefix)
    assert consumed == sorted(storage.config.consumed_key(key) for key in consumed_all(storage))
    assert all(storage.config.consumed_key(key) in consumed for key in rest)
    assert list(work_dir.glob("compact-*")) == [], "a killed run's work directory was left"


def consumed_all(storage: Storage) -> list[str]:
    """The delta keys that consumed markers stand for."""
    prefix = storage.config.consumed_prefix
    return [
        storage.config.deltas_prefix + key.removeprefix(prefix).removesuffix(".json")
        for key in storage.keys(prefix)
    ]


@pytest.mark.parametrize("step", list(Step), ids=str)
def test_a_compaction_that_raises_at_any_step_loses_and_duplicates_nothing(
    storage: Storage, scenario: Scenario, work_dir: Path, holds_exactly: Any, step: Step
) -> None:
    rest = scenario.publish_first(storage, work_dir)

    def crash_at(reached: Step) -> None:
        if reached is step:
            raise SimulatedCrashError(step)

    with pytest.raises(SimulatedCrashError):
        Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir, on_step=crash_at).run()
    _check_after_crash_and_rerun(storage, scenario, work_dir, holds_exactly, rest)


def _kill_child(
    moto: MotoEndpoint, storage: Storage, work_dir: Path, **when: object
) -> subprocess.CompletedProcess[str]:
    """Run crash_child.py: one compaction killed at `step=` or after mutating `call=` N."""
    settings = {
        "client": moto.client_settings(),
        "bucket": storage.config.bucket,
        "prefix": storage.config.prefix,
        "collection": storage.config.collection,
        "work": str(work_dir),
        **when,
    }
    return subprocess.run(
        [sys.executable, str(CHILD), json.dumps(settings)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("step", list(Step), ids=str)
def test_a_compaction_killed_at_any_step_loses_and_duplicates_nothing(
    storage: Storage,
    scenario: Scenario,
    work_dir: Path,
    holds_exactly: Any,
    moto_endpoint: MotoEndpoint,
    step: Step,
) -> None:
    rest = scenario.publish_first(storage, work_dir)
    child = _kill_child(moto_endpoint, storage, work_dir, step=step.value)
    assert child.returncode == -signal.SIGKILL, child.stderr
    _check_after_crash_and_rerun(storage, scenario, work_dir, holds_exactly, rest)


@pytest.mark.slow
def test_a_compaction_killed_after_any_mutating_s3_call_loses_and_duplicates_nothing(
    storage: Storage,
    scenario: Scenario,
    work_dir: Path,
    holds_exactly: Any,
    moto_endpoint: MotoEndpoint,
) -> None:
    # GIVEN, afresh for each kill point, version 1, two pending deltas and a stray object to
    # quarantine: every kind of write a compaction makes is among its calls
    call = 0
    while True:
        call += 1
        run = storage.fresh()
        rest = scenario.publish_first(run, work_dir)
        stray = run.config.deltas_prefix + "stray.txt"
        run.store.put(stray, b"not a delta")
        # WHEN the compaction is SIGKILLed right after its N-th put, copy or delete returned
        child = _kill_child(moto_endpoint, run, work_dir, call=call)
        if child.returncode == 2:  # it finished: every mutating call was a kill point
            assert call > json.loads(child.stdout)["mutating_calls"] >= 15, child.stdout
            break
        assert child.returncode == -signal.SIGKILL, f"call {call}: {child.stderr}"
        # THEN a rerun ends as if nothing had happened, and the stray object is quarantined
        _check_after_crash_and_rerun(run, scenario, work_dir, holds_exactly, rest)
        assert [q.delta_key for q in list_quarantined(run.store)] == [stray], f"call {call}"
