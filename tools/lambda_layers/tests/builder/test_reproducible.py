"""Two checkouts, two build machines' Pythons: the same spec gives the same zip, byte for byte."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build
from lambda_layers.platform.host import uv_binary

# python-dotenv ships a console script (`dotenv`), which an installer writes with a shebang naming
# the Python it ran with: the build machine's virtualenv.
SPEC = """
name = "dotenv"
requirements = ["python-dotenv==1.2.1"]
runtimes = ["python3.12"]
architectures = ["x86_64"]
imports = ["dotenv"]
"""


def _checkout(base: Path) -> Path:
    root = base / "checkout"
    (root / "layers").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.uv.workspace]\nmembers = []\n")
    (root / "layers" / "dotenv.toml").write_text(SPEC)
    return root


def test_zips_do_not_depend_on_the_checkout_or_the_build_machines_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zips = []
    for place in ("first-machine", "second"):
        # GIVEN a checkout in its own directory, built from its own virtualenv
        root = _checkout(tmp_path / place)
        venv = tmp_path / place / ".venv"
        subprocess.run([str(uv_binary()), "venv", "--quiet", str(venv)], check=True)
        monkeypatch.setenv("VIRTUAL_ENV", str(venv))
        # WHEN the layer is built there
        run_build(
            layers=["dotenv"], runtimes=[], architectures=[], builder=BuilderName.LOCAL,
            image=None, force=False, output=root / "dist", root=root,
        )  # fmt: skip
        zips.append((root / "dist" / "dotenv-python3.12-x86_64.zip", venv, root))
    # THEN the zips are the same bytes
    (first, first_venv, first_root), (second, _, _) = zips
    assert first.read_bytes() == second.read_bytes()
    # AND hold no console script and no path of the machine that built them
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        contents = b"".join(archive.read(name) for name in names)
    assert "python/dotenv/__init__.py" in names
    assert not [name for name in names if name.startswith("python/bin/")]
    assert str(first_venv).encode() not in contents
    assert str(first_root).encode() not in contents
    record = next(name for name in names if name.endswith(".dist-info/RECORD"))
    assert b"bin/" not in zipfile.ZipFile(first).read(record)
