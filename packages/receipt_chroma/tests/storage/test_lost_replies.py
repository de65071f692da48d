"""A reply lost after S3 applied a conditional write (connection reset, botocore retries, the
retry gets 412): the compactor recognises its own write instead of calling it someone else's.

Caused for real: a proxy on 127.0.0.1 in front of moto forwards the write, lets the server apply
it, then closes the connection without the reply.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ReplyDroppingProxy, Scenario, Storage

from live_services import MotoEndpoint
from receipt_chroma.storage import (
    Compactor,
    Outcome,
    list_pending,
    list_snapshots,
    read_manifest,
)

pytestmark = [pytest.mark.moto, pytest.mark.embedded]


def _is_pointer(path: str) -> bool:
    return path.endswith("/pointer.json")


def _is_manifest(path: str) -> bool:
    return "/snapshots/" in path and path.endswith(".json")


def _is_lease(path: str) -> bool:
    return path.endswith("/lease.json")


def _assert_version_2_is_whole(storage: Storage, scenario: Scenario, holds_exactly: Any) -> None:
    pointer = storage.pointer()
    assert pointer.version == 2
    assert storage.store.head(pointer.archive_key) is not None, "the published archive is gone"
    assert storage.store.head(pointer.manifest_key) is not None, "the published manifest is gone"
    holds_exactly(storage.snapshot(), scenario.expected_after_all())
    assert list_pending(storage.store) == []


@pytest.mark.parametrize(
    ("what", "matches", "times"),
    [
        pytest.param("pointer", _is_pointer, 1, id="pointer"),
        pytest.param("manifest", _is_manifest, 1, id="manifest"),
        pytest.param("lease", _is_lease, 1, id="lease-acquire"),
        pytest.param("lease", _is_lease, 2, id="lease-renew"),  # take, then a heartbeat
    ],
)
def test_a_lost_reply_to_a_conditional_write_is_recognised_as_our_own(
    storage: Storage,
    scenario: Scenario,
    work_dir: Path,
    holds_exactly: Any,
    lossy: ReplyDroppingProxy,
    moto_endpoint: MotoEndpoint,
    what: str,
    matches: Any,
    times: int,
) -> None:
    # GIVEN version 1 and pending deltas, and a network that loses the reply to the write
    scenario.publish_first(storage, work_dir)
    rule = lossy.drop_reply(key=matches, times=times)
    # WHEN a compaction runs through it
    result = Compactor(config=storage.config, s3=lossy.client(moto_endpoint), work_dir=work_dir,
                       owner="lossy").run()  # fmt: skip
    # THEN the reply really was lost, and the run still published version 2, whole
    assert rule.dropped, f"no {what} write went through the proxy"
    assert (result.outcome, result.version) == (Outcome.PUBLISHED, 2), result.message
    _assert_version_2_is_whole(storage, scenario, holds_exactly)
    # AND its lease is free: the next compaction is not kept out for a TTL
    again = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
    assert again.outcome is Outcome.NOTHING_TO_DO, again.message


def test_a_pointer_write_superseded_before_the_retry_keeps_its_snapshot(
    storage: Storage,
    scenario: Scenario,
    records: Any,
    work_dir: Path,
    lossy: ReplyDroppingProxy,
    moto_endpoint: MotoEndpoint,
) -> None:
    # GIVEN version 1 and pending deltas
    scenario.publish_first(storage, work_dir)
    late = records.word(40, 0)

    def another_compactor_publishes_version_3() -> None:
        # while the reply is lost, another compactor reads our version 2 and builds on it
        storage.write(upserts=[late], created_ms=4_000)
        other = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir,
                          use_lease=False, owner="other").run()  # fmt: skip
        assert (other.outcome, other.version) == (Outcome.PUBLISHED, 3), other.message

    lossy.drop_reply(key=_is_pointer, then=another_compactor_publishes_version_3)
    result = Compactor(config=storage.config, s3=lossy.client(moto_endpoint), work_dir=work_dir,
                       owner="lossy").run()  # fmt: skip
    # THEN our version 2 counts as published (it was), and nothing on the lineage was deleted
    assert result.outcome is Outcome.PUBLISHED, result.message
    pointer = storage.pointer()
    assert pointer.version == 3
    parent = read_manifest(storage.store, pointer.manifest_key).parent
    assert parent is not None
    assert storage.store.head(read_manifest(storage.store, parent).archive_key) is not None
    assert [(e.version, e.published) for e in list_snapshots(storage.store)] == [
        (1, True),
        (2, True),
        (3, True),
    ]
