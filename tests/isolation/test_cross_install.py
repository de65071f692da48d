"""The README's recipe for installing `[full]` for arm64 Lambda from an x86_64 machine works, and
pip's usual recipe fails for the reason the README gives (markers judged on the build machine).
"""

from __future__ import annotations

import platform
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Built, PipEnvironment

REPO = Path(__file__).resolve().parents[2]
README = REPO / "packages" / "receipt_chroma" / "README.md"
AARCH64 = 183  # ELF e_machine of arm64
REQUIREMENT = "'receipt-chroma[full]'"


def documented_commands() -> list[str]:
    """Every `uv pip install ... --python-platform ...` line of the README's ```sh blocks."""
    blocks = re.findall(r"^```sh\n(.*?)^```", README.read_text(), re.DOTALL | re.MULTILINE)
    return [
        line
        for block in blocks
        for line in block.splitlines()
        if line.startswith("uv pip install") and "--python-platform" in line
    ]


def _machine(shared_object: Path) -> int:
    header = shared_object.read_bytes()[:20]
    assert header[:4] == b"\x7fELF", shared_object
    return int.from_bytes(header[18:20], "little")


def test_the_readme_documents_a_recipe_per_lambda_glibc() -> None:
    commands = documented_commands()
    platforms = [shlex.split(c)[shlex.split(c).index("--python-platform") + 1] for c in commands]
    assert platforms == ["aarch64-manylinux_2_34", "aarch64-manylinux_2_17"]
    assert all(REQUIREMENT in command for command in commands)


@pytest.mark.slow
@pytest.mark.parametrize("command", documented_commands())
def test_the_documented_recipe_cross_installs_full_for_arm64(
    command: str, built: Built, uv: str, tmp_path: Path
) -> None:
    # the command as written, with this checkout's wheel for the requirement and a fresh target
    arguments = shlex.split(command.replace(REQUIREMENT, "REQUIREMENT"))
    arguments[arguments.index("--target") + 1] = str(tmp_path / "python")
    arguments[arguments.index("REQUIREMENT")] = (
        f"receipt-chroma[full] @ {built.wheel('receipt_chroma')}"
    )
    result = subprocess.run([uv, *arguments[1:]], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "python"
    (bindings,) = (target / "chromadb_rust_bindings").glob("*.so")
    assert _machine(bindings) == AARCH64
    assert (target / "receipt_chroma" / "__init__.py").is_file()
    assert not list(target.glob("pysqlite3*"))  # x86_64-only: rightly left out for arm64


@pytest.mark.slow
def test_pips_usual_recipe_fails_on_the_marker_as_the_readme_says(
    built: Built, pip_environment: PipEnvironment, tmp_path: Path
) -> None:
    result = subprocess.run(
        [pip_environment.python, "-m", "pip", "install", "--disable-pip-version-check",
         "--target", str(tmp_path / "python"), "--platform", "manylinux2014_aarch64",
         "--python-version", "3.12", "--only-binary=:all:",
         f"{built.wheel('receipt_chroma')}[full]"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    # pip judges the marker on this machine, not the target: it fails where the marker matches
    marker_matches_here = platform.machine() == "x86_64" and sys.version_info < (3, 12)
    assert (result.returncode != 0) is marker_matches_here, result.stderr
    if marker_matches_here:
        assert "pysqlite3-binary" in result.stderr
