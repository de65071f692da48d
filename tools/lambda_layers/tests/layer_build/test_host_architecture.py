"""The spec's `imports` are imported only where the host can run the target's architecture."""

from __future__ import annotations

import platform
from pathlib import Path

import pytest

from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build

SPEC = """
name = "hosted"
requirements = ["six==1.17.0"]
runtimes = ["python3.12"]
architectures = ["arm64", "x86_64"]
imports = ["six"]
"""


def _imports_checked(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "repo"
    (root / "layers").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.uv.workspace]\nmembers = []\n")
    (root / "layers" / "hosted.toml").write_text(SPEC)
    manifest = run_build(
        layers=[], runtimes=[], architectures=[], builder=BuilderName.LOCAL, image=None,
        force=False, output=tmp_path / "out", root=root,
    )  # fmt: skip
    return {entry.architecture: entry.imports_checked for entry in manifest.layers.values()}


def test_an_arm64_host_imports_arm64_layers_and_not_x86_64_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a host that says it is an aarch64 machine
    monkeypatch.setattr(platform, "machine", lambda: "aarch64")
    # WHEN a layer is built for both architectures
    checked = _imports_checked(tmp_path)
    # THEN the arm64 zip's imports were really imported, the x86_64 one's only found as files
    assert checked["arm64"].startswith("imported with"), checked
    assert checked["x86_64"].startswith("files present"), checked


def test_an_x86_64_host_imports_x86_64_layers_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    checked = _imports_checked(tmp_path)
    assert checked["x86_64"].startswith("imported with"), checked
    assert checked["arm64"].startswith("files present"), checked
