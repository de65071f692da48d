"""Progress for people: step lines and byte counts on long transfers (silent by default)."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from receipt_chroma.storage.objects import Progress


class Reporter(Protocol):
    def step(self, message: str) -> None: ...

    def transfer(self, label: str, total: int) -> Progress: ...


class SilentReporter:
    def step(self, message: str) -> None:
        pass

    def transfer(self, label: str, total: int) -> Progress:
        return lambda moved: None


class TextReporter:
    """Plain lines on a stream (stderr by default): no terminal control, fine in CloudWatch."""

    def __init__(self, stream: TextIO | None = None, *, every_seconds: float = 1.0) -> None:
        self._stream = stream or sys.stderr
        self._every = every_seconds

    def step(self, message: str) -> None:
        print(f"• {message}", file=self._stream, flush=True)

    def transfer(self, label: str, total: int) -> Progress:
        moved = 0
        last = 0.0
        started = time.monotonic()

        def update(count: int) -> None:
            nonlocal moved, last
            moved += count
            now = time.monotonic()
            if now - last >= self._every or moved >= total:
                last = now
                percent = 100.0 * moved / total if total else 100.0
                rate = moved / max(now - started, 1e-6) / 1e6
                print(f"  {label}: {moved / 1e6:.1f}/{total / 1e6:.1f} MB ({percent:.0f}%, "
                      f"{rate:.1f} MB/s)", file=self._stream, flush=True)  # fmt: skip

        return update
