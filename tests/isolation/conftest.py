"""Distributions built from this checkout, as a user would get them: wheels and sdists."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("receipt_label", "receipt_chroma")


@pytest.fixture(scope="session")
def uv() -> str:
    """The uv command (the isolation session installs it beside its Python)."""
    found = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    if not Path(found).exists():
        pytest.fail("uv is needed to build distributions and fresh environments: `pip install uv`")
    return found


@dataclass(frozen=True)
class Built:
    """`uv build` of each package into one directory."""

    directory: Path

    def wheel(self, package: str) -> Path:
        (found,) = self.directory.glob(f"{package}-*.whl")
        return found

    def sdist(self, package: str) -> Path:
        (found,) = self.directory.glob(f"{package}-*.tar.gz")
        return found


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, uv: str) -> Built:
    directory = tmp_path_factory.mktemp("dist")
    for package in PACKAGES:
        subprocess.run(
            [uv, "build", "--quiet", "--out-dir", str(directory),
             str(REPO / "packages" / package)],
            check=True, capture_output=True,
        )  # fmt: skip
    return Built(directory)


@dataclass(frozen=True)
class PipEnvironment:
    """A fresh `python -m venv` with the pip it brings: installs as a user's `pip install`."""

    root: Path

    @property
    def python(self) -> str:
        return str(self.root / "bin" / "python")

    def pip(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.python, "-m", "pip", "--disable-pip-version-check", *arguments],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert result.returncode == 0, f"pip {' '.join(arguments)}:\n{result.stdout}{result.stderr}"
        return result

    def run_python(self, code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.python, "-I", "-c", code], capture_output=True, text=True, check=False
        )


@pytest.fixture
def pip_environment(tmp_path: Path) -> PipEnvironment:
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(tmp_path / "venv")], check=True)
    return PipEnvironment(tmp_path / "venv")
