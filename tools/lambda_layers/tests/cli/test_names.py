"""Bad names on the command line: the invalid value, the valid ones and the right spelling, from
every command; and one broken spec in layers/ stops only a build that asks for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.cli.app import app

RUNTIMES = "Lambda's Python runtimes are python3.11, python3.12, python3.13, python3.14"
AARCH64 = "unknown architecture 'aarch64' (did you mean 'arm64'?): Lambda's are arm64, x86_64"
AMD64 = "unknown architecture 'amd64' (did you mean 'x86_64'?): Lambda's are arm64, x86_64"


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["build", "--arch", "aarch64"], AARCH64),
        (["build", "--arch", "amd64"], AMD64),
        (["build", "--runtime", "python3.15"], f"unknown Lambda runtime 'python3.15': {RUNTIMES}"),
        (["build", "--runtime", "3.14"], "'3.14' (did you mean 'python3.14'?)"),
        (["build", "--runtime", "python3.10"], "python3.10 was deprecated on 2026-10-31"),
        (["lock", "--arch", "aarch64"], AARCH64),
        (["benchmark", "--arch", "aarch64"], AARCH64),
        (["functions", "test", "--no-build", "--arch", "aarch64"], AARCH64),
        (["functions", "test", "--no-build", "--runtime", "python3.15"], RUNTIMES),
        (["images", "build", "--arch", "amd64"], AMD64),
        (["publish", "--dry-run", "--arch", "aarch64"], AARCH64),
        (["verify", "--runtime", "python3.12", "--arch", "aarch64", "x.zip"], AARCH64),
    ],
)  # fmt: skip
def test_a_bad_name_is_named_with_the_valid_ones(
    repository: Path, tmp_path: Path, arguments: list[str], expected: str
) -> None:
    # WHEN a command is given a name Lambda does not use
    result = CliRunner().invoke(app, arguments, env={"COLUMNS": "200"})
    # THEN it stops before any work with the value, the valid ones and (for another spelling)
    # the right one; no "nothing to build", no traceback
    assert result.exit_code == ConfigurationError.exit_code, result.output
    assert expected in result.output
    assert "nothing to build" not in result.output
    assert "Traceback" not in result.output


GOOD = """name = "tiny"
requirements = ["six==1.17.0"]
runtimes = ["python3.12"]
architectures = ["x86_64"]
"""
BROKEN = """name = "broken"
requirements = ["six==1.17.0"]
runtimes = ["python3.15"]
architectures = ["aarch64"]
"""


@pytest.fixture
def root_with_a_broken_spec(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "layers").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[tool.uv.workspace]\nmembers = []\n")
    (root / "layers" / "tiny.toml").write_text(GOOD)
    (root / "layers" / "broken.toml").write_text(BROKEN)
    return root


def test_a_broken_spec_does_not_stop_building_another_layer(
    root_with_a_broken_spec: Path, tmp_path: Path
) -> None:
    root, output = root_with_a_broken_spec, tmp_path / "out"
    common = ["--root", str(root), "--output", str(output), "--builder", "local"]
    # WHEN the good layer is asked for
    result = CliRunner().invoke(app, ["build", "--layer", "tiny", *common])
    # THEN it is built, and the broken spec is reported with what is wrong in it
    assert result.exit_code == 0, result.output
    assert (output / "tiny-python3.12-x86_64.zip").is_file()
    assert "layer broken is not built (its spec is invalid)" in result.output
    assert "python3.15" in result.output and "aarch64" in result.output
    # WHEN every layer (or the broken one) is asked for THEN the build stops naming the spec
    for selection in ([], ["--layer", "broken"]):
        failed = CliRunner().invoke(app, ["build", *selection, *common, "--force"])
        assert failed.exit_code == ConfigurationError.exit_code, failed.output
        assert f"{root / 'layers' / 'broken.toml'}: the layer spec is invalid" in failed.output
    manifest = json.loads((output / "manifest.json").read_text())
    assert list(manifest["layers"]) == ["tiny-python3.12-x86_64.zip"]
