"""Start a server process, wait until its health URL answers, always stop it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

LOOPBACK = "127.0.0.1"


class ServiceStartError(RuntimeError):
    """A test server did not come up; the message carries the command and its log."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(200 <= response.status < 500)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def running_server(
    *,
    name: str,
    command: Sequence[str],
    health_url: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    start_timeout: float = 90.0,
) -> Iterator[None]:
    """Run `command` for the block; raise ServiceStartError with its log if it never answers."""
    merged_env = {**os.environ, **(env or {})}
    with tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log", delete=False) as log:
        log_path = Path(log.name)
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            list(command), stdout=log_file, stderr=subprocess.STDOUT, env=merged_env, cwd=cwd
        )
    try:
        deadline = time.monotonic() + start_timeout
        while not _answers(health_url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise ServiceStartError(
                    f"{name} did not answer at {health_url} within {start_timeout:.0f}s "
                    f"(exit code {process.poll()}).\ncommand: {' '.join(command)}\n"
                    f"log {log_path}:\n{tail}"
                )
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_path.unlink(missing_ok=True)
