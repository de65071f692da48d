"""Bytecode for a runtime whose Python this host lacks (python3.14): compiled by the stand-in's
Python when an engine and the image are here, else the zip ships sources and says so, once;
reproducible either way. And a runtime near its deprecation date warns when built."""

from __future__ import annotations

import datetime
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build
from lambda_layers.platform.facts import Architecture
from lambda_layers.platform.host import Host

RepositoryFactory = Callable[[str], Path]  # the `scratch_repository` fixture (../conftest.py)
StandinFactory = Callable[[str, Architecture], str]  # the `standin` fixture (../conftest.py)

SPEC = """
name = "scratch"
requirements = ["six==1.17.0"]
runtimes = ["{runtime}"]
architectures = ["arm64", "x86_64"]
imports = ["six"]
"""
ZIPS = ("scratch-python3.14-arm64.zip", "scratch-python3.14-x86_64.zip")


def _build(root: Path, output: Path, **options: object) -> dict[str, dict[str, object]]:
    manifest = run_build(
        layers=[], runtimes=[], architectures=[], builder=BuilderName.LOCAL, image=None,
        force=True, output=output, root=root, **options,  # type: ignore[arg-type]
    )  # fmt: skip
    return {name: entry.model_dump() for name, entry in manifest.layers.items()}


def _pyc(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.endswith(".pyc")}


@pytest.fixture
def no_python314_here() -> None:
    if Host.detect().interpreter_for("3.14") is not None:
        pytest.skip("this host has a CPython 3.14, which compiles the .pyc itself")


@pytest.mark.usefixtures("no_python314_here")
def test_without_an_engine_the_zip_ships_sources_says_so_once_and_is_reproducible(
    scratch_repository: RepositoryFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN no CPython 3.14 here and no Docker engine answering
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    root = scratch_repository(SPEC.format(runtime="python3.14"))
    # WHEN both python3.14 targets are built, twice
    first = _build(root, tmp_path / "first")
    second = _build(root, tmp_path / "second")
    # THEN each zip is written, verified, without .pyc, and the manifest says why and what to do
    for name in ZIPS:
        entry = first[name]
        assert entry["bytecode"] is False and entry["verification"] == "passed"
        note = str(entry["bytecode_note"])
        assert note.startswith("shipped without .pyc: no CPython 3.14 on this machine")
        assert "nox -s runtime_images -- --runtime python3.14" in note
        assert "--builder docker" in note
        assert note in entry["warnings"]  # type: ignore[operator]
        assert not _pyc(tmp_path / "first" / name)
        # AND the same inputs give the same bytes
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
        assert entry["sha256"] == second[name]["sha256"]
    # AND the build said it once for both zips, with the fix
    err = capsys.readouterr().err
    assert err.count("shipped without .pyc") == 2  # once per build, not once per zip
    assert "2 zips shipped without .pyc" in err


@pytest.mark.docker
@pytest.mark.usefixtures("no_python314_here")
def test_the_stand_ins_python_compiles_python314_bytecode_reproducibly(
    standin: StandinFactory, scratch_repository: RepositoryFactory, tmp_path: Path
) -> None:
    # GIVEN the python3.14 stand-in of this host's architecture (a .pyc does not depend on the CPU)
    host = Host.detect()
    assert host.architecture is not None
    image = standin("python3.14", host.architecture)
    root = scratch_repository(SPEC.format(runtime="python3.14"))
    # WHEN both targets are built, twice
    first = _build(root, tmp_path / "first")
    _build(root, tmp_path / "second")
    compiled = {name: _pyc(tmp_path / "first" / name) for name in ZIPS}
    for name in ZIPS:
        # THEN the zip holds .pyc for CPython 3.14, compiled in that image, and says so
        entry = first[name]
        assert entry["bytecode"] is True and entry["image"] == image
        assert image in str(entry["bytecode_note"])
        assert "python/__pycache__/six.cpython-314.pyc" in compiled[name]
        pyc = compiled[name]["python/__pycache__/six.cpython-314.pyc"]
        assert pyc[4:8] == b"\x01\x00\x00\x00"  # unchecked-hash (PEP 552): no mtime inside
        assert b"/opt/python/six.py" in pyc
        # AND the same inputs give the same bytes
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
    # AND arm64 and x86_64 hold the very same bytecode
    assert compiled[ZIPS[0]] == compiled[ZIPS[1]]


def test_a_runtime_near_its_deprecation_date_warns_when_built(
    scratch_repository: RepositoryFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = scratch_repository(SPEC.format(runtime="python3.11").replace('"arm64", ', ""))
    # WHEN built seven months before python3.11's date THEN nothing is said
    _build(root, tmp_path / "out", today=datetime.date(2026, 11, 30))
    assert "deprecated" not in capsys.readouterr().err
    # WHEN built within six months of it THEN the build warns once, naming the date
    layers = _build(root, tmp_path / "out", today=datetime.date(2027, 3, 1))
    err = capsys.readouterr().err
    assert err.count("python3.11 is deprecated on 2027-06-30 (in 121 days)") == 1
    assert layers["scratch-python3.11-x86_64.zip"]["verification"] == "passed"
    # AND from the date on the spec is refused
    with pytest.raises(ConfigurationError, match=r"python3\.11 was deprecated on 2027-06-30"):
        _build(root, tmp_path / "out", today=datetime.date(2027, 6, 30))
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["layers"]
