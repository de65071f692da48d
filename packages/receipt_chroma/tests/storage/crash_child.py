"""Run one compaction and SIGKILL this process at a given step (used by test_crash.py).

Usage: python crash_child.py '<json: endpoint settings, bucket, prefix, collection, step, work>'
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import boto3

from receipt_chroma.storage import Compactor, Step, StorageConfig


def main() -> None:
    settings = json.loads(sys.argv[1])
    target = Step(settings["step"])

    def kill_at(step: Step) -> None:
        if step is target:
            os.kill(os.getpid(), signal.SIGKILL)

    config = StorageConfig(
        bucket=settings["bucket"], collection=settings["collection"], prefix=settings["prefix"]
    )
    s3 = boto3.client("s3", **settings["client"])
    Compactor(config=config, s3=s3, work_dir=Path(settings["work"]), on_step=kill_at).run()
    print("no step killed the compaction", file=sys.stderr)
    raise SystemExit(2)


if __name__ == "__main__":
    main()
