"""Layer specs: the shipped ones are complete, and a bad one is refused naming file and field."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.builder.targets import plan_targets
from lambda_layers.layer.spec import load_spec, load_specs, read_specs
from lambda_layers.platform.facts import supported_runtimes

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
    assert len(targets) == 24  # 3 layers x 4 runtimes x 2 architectures
    assert {t.runtime.name for t in targets} == set(supported_runtimes())
    # arm64 first: it is what the project deploys on
    assert [t.architecture.value for t in targets[:12]] == ["arm64"] * 12
    assert specs["receipt-chroma-full"].max_unzipped_mb <= 200
    assert "chromadb" in specs["receipt-chroma"].forbid  # the thin layer never holds the full one


def test_a_good_spec_loads(tmp_path: Path) -> None:
    spec = load_spec(_write(tmp_path, GOOD))
    assert spec.requirement_names() == ["six"]
    assert "boto3" in spec.left_out()  # the runtime provides it


@pytest.mark.parametrize(
    ("change", "field", "hint"),
    [
        ('runtimes = ["python3.8"]', "runtimes", "unknown Lambda runtime 'python3.8'"),
        ('runtimes = ["python3.10"]', "runtimes", "python3.10 was deprecated on 2026-10-31"),
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


def test_a_runtime_is_refused_from_its_deprecation_date_on(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("python3.12", "python3.11"))
    assert load_spec(path, today=datetime.date(2027, 6, 29)).runtimes == ["python3.11"]
    with pytest.raises(ConfigurationError, match=r"python3\.11 was deprecated on 2027-06-30"):
        load_spec(path, today=datetime.date(2027, 6, 30))


def test_a_broken_spec_is_set_aside_and_named_only_when_asked_for(tmp_path: Path) -> None:
    # GIVEN a directory with a good spec and one naming an unknown runtime
    _write(tmp_path, GOOD)
    _write(tmp_path, GOOD.replace("tiny", "broken").replace("python3.12", "python3.15"), "broken")
    found = read_specs(tmp_path)
    # THEN the good one is read and the broken one is kept aside with its error
    assert [spec.name for spec in found.specs] == ["tiny"]
    assert set(found.broken) == {"broken"}
    assert found.require_valid(["tiny"]) == found.specs
    with pytest.raises(ConfigurationError, match=r"(?s)broken\.toml.*'python3\.15'"):
        found.require_valid(["broken"])
    with pytest.raises(ConfigurationError, match=r"broken\.toml"):
        found.require_valid()  # all of them asked for
    with pytest.raises(ConfigurationError, match=r"broken\.toml"):
        load_specs(tmp_path)
