"""The spec's `imports` are imported only where the host can run the target's architecture."""

from __future__ import annotations

import platform
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build

RepositoryFactory = Callable[[str], Path]  # the `scratch_repository` fixture (../conftest.py)

SPEC = """
name = "hosted"
requirements = ["six==1.17.0"]
runtimes = ["python3.12"]
architectures = ["arm64", "x86_64"]
imports = ["six"]
"""


@pytest.mark.parametrize(
    ("machine", "native", "foreign"),
    [("aarch64", "arm64", "x86_64"), ("x86_64", "x86_64", "arm64")],
)
def test_a_host_imports_only_the_layers_its_cpu_runs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    scratch_repository: RepositoryFactory,
    machine: str,
    native: str,
    foreign: str,
) -> None:
    # GIVEN a host whose CPU says it is `machine`
    monkeypatch.setattr(platform, "machine", lambda: machine)
    # WHEN a layer is built for both architectures
    manifest = run_build(
        layers=[], runtimes=[], architectures=[], builder=BuilderName.LOCAL, image=None,
        force=False, output=tmp_path / "out", root=scratch_repository(SPEC),
    )  # fmt: skip
    checked = {entry.architecture: entry.imports_checked for entry in manifest.layers.values()}
    # THEN the native zip's imports were really imported, the other one's only found as files
    assert checked[native].startswith("imported with"), checked
    assert checked[foreign].startswith("files present"), checked
