"""Layer specs: the shipped ones are complete, and a bad one is refused naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.builder.targets import plan_targets
from lambda_layers.layer.spec import load_spec, load_specs

ROOT = Path(__file__).resolve().parents[4]

GOOD = """
name = "tiny"
requirements = ["six==1.17.0"]
runtimes = ["python3.12"]
architectures = ["arm64"]
"""


def _write(directory: Path, text: str, name: str = "tiny") -> Path:
    path = directory / f"{name}.toml"
    path.write_text(text)
    return path


def test_the_three_shipped_layers_cover_every_runtime_and_architecture() -> None:
    specs = {spec.name: spec for spec in load_specs(ROOT / "layers")}
    assert set(specs) == {"receipt-label", "receipt-chroma", "receipt-chroma-full"}
    targets = plan_targets(list(specs.values()))
    assert len(targets) == 18
    # arm64 first: it is what the project deploys on
    assert [t.architecture.value for t in targets[:9]] == ["arm64"] * 9
    assert specs["receipt-chroma-full"].max_unzipped_mb <= 200
    assert "chromadb" in specs["receipt-chroma"].forbid  # the thin layer never holds the full one


def test_a_good_spec_loads(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, GOOD))
    assert spec.requirement_names() == ["six"]
    assert "boto3" in spec.left_out()  # the runtime provides it


@pytest.mark.parametrize(
    ("change", "field", "hint"),
    [
        ('runtimes = ["python3.8"]', "runtimes", "unknown runtimes"),
        ('architectures = ["aarch64"]', "architectures", "arm64"),
        ('requirements = ["six=="]', "requirements", "PEP 508"),
        ("max_unzipped_mb = 400", "max_unzipped_mb", "250"),
        ('colour = "blue"', "colour", "Extra inputs are not permitted"),
    ],
)
def test_a_bad_field_is_named(tmp_path: Path, change: str, field: str, hint: str) -> None:
    key = change.split(" ", maxsplit=1)[0]
    lines = [line for line in GOOD.splitlines() if not line.startswith(key + " ")]
    path = _write(tmp_path, "\n".join([*lines, change]) + "\n")
    with pytest.raises(ConfigurationError) as raised:
        load_spec(path)
    message = str(raised.value)
    assert str(path) in message
    assert f"field {field}" in message
    assert hint in message
    assert "layers/README.md" in message


def test_the_name_must_match_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD, name="other")
    with pytest.raises(ConfigurationError, match=r"must match the file name \('other'"):
        load_spec(path)


def test_unreadable_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "name = [unclosed\n")
    with pytest.raises(ConfigurationError, match="cannot read the layer spec"):
        load_spec(path)


def test_unknown_layer_option_lists_the_known_ones() -> None:
    with pytest.raises(ConfigurationError, match="receipt-chroma-full"):
        plan_targets(load_specs(ROOT / "layers"), layers=["nope"])
