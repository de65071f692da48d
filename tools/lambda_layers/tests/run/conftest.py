"""Fixtures for the function harness: small real layer zips, a host awslambdaric, Docker gates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from lambda_layers.builder.workspace import find_root
from lambda_layers.platform.host import uv_binary

ZipFactory = Callable[..., Path]
AWSLAMBDARIC = "awslambdaric==4.2.2"


@pytest.fixture(scope="session")
def repository() -> Path:
    return find_root(Path(__file__).parent)


@pytest.fixture
def make_zip(tmp_path: Path) -> ZipFactory:
    """`make_zip("name", {"python/x.py": b"...", ...})`: a real layer zip in tmp_path."""

    def make(name: str, files: Mapping[str, bytes | str], *, directory: Path | None = None) -> Path:
        path = (directory or tmp_path) / f"{name}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for member, content in files.items():
                data = content.encode() if isinstance(content, str) else content
                archive.writestr(member, data)
        return path

    return make


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
