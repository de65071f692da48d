"""A small delta that inflates to a huge body (a decompression bomb) cannot exhaust the
compactor's memory: bodies are inflated with a limit, parsed as a stream, unknown keys refused."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import Scenario, Storage

from live_services import MotoEndpoint
from receipt_chroma.errors import DeltaError
from receipt_chroma.storage import Outcome, list_pending, list_quarantined
from receipt_chroma.storage.delta import DeltaLimits, decode, sha256

pytestmark = pytest.mark.moto

GIB = 1 << 30


def _first_format_delta(body: bytes, *, dimension: int = 16) -> bytes:
    """A delta in the first format (one JSON object as its body), built byte by byte."""
    header = json.dumps({
        "collection": "words", "dimension": dimension, "created_ms": 2_500, "producer": "x",
        "upserts": 0, "deletes": 0, "body_bytes": len(body), "embedding_bytes": 0,
    }, sort_keys=True).encode()  # fmt: skip
    return struct.pack("<8sII", b"RCDELTA\n", 1, len(header)) + header + body


def _bomb(inflated: int) -> bytes:
    """An empty delta whose body carries `inflated` bytes under a key no reader knows."""
    packer = zlib.compressobj(1)
    parts = [packer.compress(b'{"deletes":[],"documents":[],"ids":[],"metadatas":[],"x":"')]
    chunk = b"A" * (16 << 20)
    parts += [packer.compress(chunk) for _ in range(inflated // len(chunk))]
    parts += [packer.compress(b'"}'), packer.flush()]
    return _first_format_delta(b"".join(parts))


def test_an_unknown_key_in_a_body_is_refused() -> None:
    body = zlib.compress(b'{"deletes":[],"documents":[],"ids":[],"metadatas":[],"extra":1}')
    with pytest.raises(DeltaError, match="unknown"):
        decode(_first_format_delta(body), where="s3://b/k")


def test_a_body_beyond_the_limit_is_refused_before_it_is_inflated_whole() -> None:
    data = _bomb(64 << 20)
    with pytest.raises(DeltaError, match="inflates beyond 1048576 bytes"):
        decode(data, where="s3://b/k", limits=DeltaLimits(max_body_bytes=1 << 20))


CHILD = """
import json, resource, sys, boto3
from receipt_chroma.storage import Compactor, StorageConfig
settings = json.loads(sys.argv[1])
config = StorageConfig(bucket=settings["bucket"], collection="words", prefix=settings["prefix"])
result = Compactor(config=config, s3=boto3.client("s3", **settings["client"]),
                   work_dir=settings["work"]).run()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"result": result.to_dict(), "peak": peak}))
"""


def _compact_in_a_child(storage: Storage, moto: MotoEndpoint, work_dir: Path) -> dict[str, Any]:
    settings = {"client": moto.client_settings(), "bucket": storage.config.bucket,
                "prefix": storage.config.prefix, "work": str(work_dir)}  # fmt: skip
    child = subprocess.run([sys.executable, "-c", CHILD, json.dumps(settings)],
                           capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert child.returncode == 0, child.stderr[-3000:]
    answer: dict[str, Any] = json.loads(child.stdout.splitlines()[-1])
    return answer


@pytest.mark.slow
@pytest.mark.embedded
def test_a_decompression_bomb_is_quarantined_within_bounded_memory(
    storage: Storage, scenario: Scenario, work_dir: Path, moto_endpoint: MotoEndpoint
) -> None:
    # GIVEN version 1, a pending good delta, and a few-MB delta that inflates to 1 GiB
    scenario.publish_first(storage, work_dir)
    baseline = _compact_in_a_child(storage, moto_endpoint, work_dir)  # the good deltas
    assert baseline["result"]["outcome"] == "published"
    data = _bomb(GIB)
    assert len(data) < 8 << 20
    key = storage.config.delta_key(created_ms=2_500, sha256=sha256(data))
    storage.store.put(key, data)
    # WHEN a compaction meets it
    answer = _compact_in_a_child(storage, moto_endpoint, work_dir)
    # THEN its memory stayed near a normal run's, and the bomb was moved aside with its reason
    assert answer["peak"] < baseline["peak"] + (256 << 20), (answer["peak"], baseline["peak"])
    assert answer["result"]["outcome"] == Outcome.NOTHING_TO_DO.value
    assert [q["delta_key"] for q in answer["result"]["quarantined"]] == [key]
    assert "inflates beyond" in answer["result"]["quarantined"][0]["reason"]
    assert list_pending(storage.store) == []
    assert [q.delta_key for q in list_quarantined(storage.store)] == [key]
    assert storage.pointer().version == 2
