"""This host: its architecture comes from its CPU, and it runs only code built for that."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import pytest

from lambda_layers.base.settings import Settings
from lambda_layers.platform.facts import Architecture
from lambda_layers.platform.host import Host


@pytest.mark.parametrize(
    ("machine", "expected"),
    [("x86_64", Architecture.X86_64), ("aarch64", Architecture.ARM64), ("riscv64", None)],
)
def test_the_architecture_is_what_the_cpu_says(
    monkeypatch: pytest.MonkeyPatch, machine: str, expected: Architecture | None
) -> None:
    monkeypatch.setattr(platform, "machine", lambda: machine)
    host = Host.detect(Settings(pyenv_root=Path("/nowhere")))
    assert host.architecture is expected
    assert host.pyenv_root == Path("/nowhere")


def test_an_interpreter_is_offered_only_for_code_this_host_can_run() -> None:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    host = Host(architecture=Architecture.X86_64)
    assert host.interpreter_for(version) is not None  # this test's own Python is on PATH
    assert host.interpreter_for(version, Architecture.X86_64) == host.interpreter_for(version)
    assert host.interpreter_for(version, Architecture.ARM64) is None
    assert Host(architecture=None).interpreter_for(version, Architecture.X86_64) is None
    assert host.interpreter_for("1.0") is None


def test_pyenv_trees_are_found_newest_first(tmp_path: Path) -> None:
    for name in ("3.12.1", "3.12.10", "3.12.3", "3.12-dev"):
        python = tmp_path / "versions" / name / "bin" / "python3.12"
        python.parent.mkdir(parents=True)
        python.write_text("")
    host = Host(architecture=Architecture.X86_64, pyenv_root=tmp_path)
    assert host.pyenv_tree("3.12") == tmp_path / "versions" / "3.12.10"
    assert host.pyenv_tree("3.13") is None
