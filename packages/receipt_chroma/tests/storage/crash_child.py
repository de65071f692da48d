"""Run one compaction and SIGKILL this process at a given step, or right after its N-th
mutating S3 call returned (the server applied it), for test_crash.py.

Usage: python crash_child.py '<json: client settings, bucket, prefix, collection, work, and
"step": <Step value> or "call": N>'. Exits 2 if nothing killed it, printing how many mutating
calls the compaction made.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

import boto3

from receipt_chroma.storage import Compactor, Step, StorageConfig

MUTATING = {
    "PutObject", "DeleteObject", "CopyObject", "CreateMultipartUpload", "UploadPart",
    "CompleteMultipartUpload", "AbortMultipartUpload", "DeleteObjects",
}  # fmt: skip


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    settings = json.loads(sys.argv[1])
    config = StorageConfig(
        bucket=settings["bucket"], collection=settings["collection"], prefix=settings["prefix"]
    )
    s3 = boto3.client("s3", **settings["client"])
    calls = 0

    def after_call(model: Any, **_: Any) -> None:
        nonlocal calls
        if model.name in MUTATING:
            calls += 1
            if calls == settings.get("call"):
                _die()

    def at_step(step: Step) -> None:
        if step.value == settings.get("step"):
            _die()

    s3.meta.events.register("after-call.s3", after_call)
    Compactor(config=config, s3=s3, work_dir=Path(settings["work"]), on_step=at_step).run()
    print(json.dumps({"mutating_calls": calls}))
    raise SystemExit(2)


if __name__ == "__main__":
    main()
