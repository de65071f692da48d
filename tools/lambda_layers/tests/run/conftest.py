"""Fixtures for the function harness: the real awslambdaric, installed for the host."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lambda_layers.platform.host import uv_binary

ZipFactory = Callable[..., Path]
AWSLAMBDARIC = "awslambdaric==4.2.2"


@pytest.fixture(scope="session")
def host_awslambdaric(
    tmp_path_factory: pytest.TempPathFactory, skip_or_fail: Callable[[str], None]
) -> Iterator[Path]:
    """The real runtime interface client, installed for this host's Python into a directory."""
    target = tmp_path_factory.mktemp("awslambdaric")
    done = subprocess.run(
        [
            str(uv_binary()),
            "pip",
            "install",
            "--quiet",
            "--no-build",
            "--python",
            sys.executable,
            "--target",
            str(target),
            AWSLAMBDARIC,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        skip_or_fail(f"cannot install {AWSLAMBDARIC} for the host: {done.stderr.strip()[-500:]}")
    yield target
