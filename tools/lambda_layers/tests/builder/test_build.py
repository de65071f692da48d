"""The build end to end with the local builder: real locks, real wheels, real zips."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError, LayerToolError
from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build
from lambda_layers.builder.locks import parse_lock
from lambda_layers.layer.checks import verify_zip
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.platform.facts import Architecture, runtime

ROOT = Path(__file__).resolve().parents[4]
RepositoryFactory = Callable[[str], Path]  # the `scratch_repository` fixture (../conftest.py)


def _build(output: Path, *, layer: str, runtime_name: str, arch: str, root: Path = ROOT,
           force: bool = False) -> dict[str, object]:  # fmt: skip
    manifest = run_build(
        layers=[layer], runtimes=[runtime_name], architectures=[arch],
        builder=BuilderName.LOCAL, image=None, force=force, output=output, root=root,
    )  # fmt: skip
    return {name: entry.model_dump() for name, entry in manifest.layers.items()}


@pytest.fixture(scope="module")
def chroma_arm64_311(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("chroma-311-arm64")
    _build(output, layer="receipt-chroma", runtime_name="python3.11", arch="arm64")
    return output


def test_same_inputs_give_byte_identical_zips(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for output in (first, second):
        _build(output, layer="receipt-chroma", runtime_name="python3.12", arch="arm64")
    name = "receipt-chroma-python3.12-arm64.zip"
    assert (first / name).read_bytes() == (second / name).read_bytes()
    with zipfile.ZipFile(first / name) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} <= {0o100644, 0o100755}
    assert all(name.startswith("python/") for name in names)
    # bytecode for the layer's own Python, so a read-only /opt still starts fast
    assert any(name.endswith(".cpython-312.pyc") for name in names)
    assert not any(".cpython-311." in name and name.endswith(".pyc") for name in names)


def test_unchanged_inputs_skip_the_build_and_force_rebuilds(tmp_path: Path) -> None:
    layer = {"layer": "receipt-label", "runtime_name": "python3.13", "arch": "x86_64"}
    first = _build(tmp_path, **layer)  # type: ignore[arg-type]
    zip_path = tmp_path / "receipt-label-python3.13-x86_64.zip"
    stamp = zip_path.stat().st_mtime_ns
    assert _build(tmp_path, **layer) == first  # type: ignore[arg-type]
    assert zip_path.stat().st_mtime_ns == stamp, "an unchanged layer was written again"
    _build(tmp_path, force=True, **layer)  # type: ignore[arg-type]
    assert zip_path.stat().st_mtime_ns != stamp


def test_python311_arm64_gets_the_newest_numpy_amazon_linux_2_can_load(
    chroma_arm64_311: Path,
) -> None:
    locks = ROOT / "layers" / "locks" / "receipt-chroma"
    old = parse_lock(locks / "python3.11-arm64.txt").versions()["numpy"]
    new = parse_lock(locks / "python3.12-arm64.txt").versions()["numpy"]
    assert old.startswith("2.2."), "numpy 2.3+ ships manylinux_2_28 wheels only (glibc 2.28)"
    assert not new.startswith("2.2.")
    manifest = json.loads((chroma_arm64_311 / "manifest.json").read_text())
    entry = manifest["layers"]["receipt-chroma-python3.11-arm64.zip"]
    assert entry["distributions"]["numpy"] == old
    # the note says why, naming the newer wheel's tag and Amazon Linux 2's glibc
    (note,) = [note for note in entry["version_notes"] if note.startswith(f"numpy {old} here")]
    assert "manylinux_2_27_aarch64 (glibc 2.27), above python3.11's glibc 2.26" in note, note
    # and the zip passes the same glibc/architecture checks when read back
    policy = LayerPolicy(
        layer="receipt-chroma", runtime=runtime("python3.11"), architecture=Architecture.ARM64,
        forbid=frozenset({"chromadb", "onnxruntime", "pillow"}),
    )  # fmt: skip
    result = verify_zip(chroma_arm64_311 / "receipt-chroma-python3.11-arm64.zip", policy)
    assert result.passed, [finding.render() for finding in result.errors]


def test_the_manifest_says_what_each_zip_holds(chroma_arm64_311: Path) -> None:
    entry = json.loads((chroma_arm64_311 / "manifest.json").read_text())["layers"][
        "receipt-chroma-python3.11-arm64.zip"
    ]
    assert entry["builder"] == "local" and entry["locked"] is True
    assert entry["bytecode"] is True
    assert {"receipt-chroma", "chromadb-client", "numpy"} <= set(entry["distributions"])
    assert not {"boto3", "botocore", "onnxruntime", "pillow"} & set(entry["distributions"])
    left_out = entry["left_out"]
    assert any(item.startswith("boto3 (provided by the Lambda runtime") for item in left_out)
    assert len(entry["sha256"]) == 64 and len(entry["input_hash"]) == 64
    report = (chroma_arm64_311 / "receipt-chroma-python3.11-arm64.sizes.md").read_text()
    assert "| numpy |" in report and "Headroom" in report
    assert "<rect" in (chroma_arm64_311 / "receipt-chroma-python3.11-arm64.sizes.svg").read_text()


SPEC = """
name = "scratch"
requirements = ["six==1.17.0"]
runtimes = ["python3.12"]
architectures = ["x86_64"]
imports = ["six"]
"""


def test_any_pypi_requirement_builds_into_a_layer(
    tmp_path: Path, scratch_repository: RepositoryFactory
) -> None:
    root = scratch_repository(SPEC)
    output = tmp_path / "out"
    layers = _build(output, layer="scratch", runtime_name="python3.12", arch="x86_64", root=root)
    entry = layers["scratch-python3.12-x86_64.zip"]
    assert entry["distributions"] == {"six": "1.17.0"}  # type: ignore[index]
    assert (root / "layers" / "locks" / "scratch" / "python3.12-x86_64.txt").is_file()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('forbid = ["six"]', "six 1.17.0 is forbidden"),
        ("max_unzipped_mb = 0.001", "over the spec's max_unzipped_mb"),
        ('imports = ["not_a_module_here"]', "not_a_module_here"),
    ],
)
def test_a_layer_that_fails_a_check_is_not_written(
    tmp_path: Path, scratch_repository: RepositoryFactory, extra: str, expected: str
) -> None:
    key = extra.split(" ", maxsplit=1)[0]
    spec = "\n".join(line for line in SPEC.splitlines() if not line.startswith(key + " "))
    root = scratch_repository(spec + "\n" + extra + "\n")
    output = tmp_path / "out"
    with pytest.raises(LayerToolError) as raised:
        _build(output, layer="scratch", runtime_name="python3.12", arch="x86_64", root=root)
    assert expected in str(raised.value)
    assert "scratch-python3.12-x86_64" in str(raised.value)
    assert not list(output.glob("*.zip")) and not list(output.glob("*.partial"))
    assert json.loads((output / "manifest.json").read_text())["layers"] == {}


def test_a_lock_made_for_other_requirements_is_refused(
    tmp_path: Path, scratch_repository: RepositoryFactory
) -> None:
    root = scratch_repository(SPEC)
    _build(tmp_path / "out", layer="scratch", runtime_name="python3.12", arch="x86_64", root=root)
    spec = root / "layers" / "scratch.toml"
    spec.write_text(spec.read_text().replace("six==1.17.0", "six==1.16.0"))
    with pytest.raises(ConfigurationError, match="nox -s lock_layers -- --layer scratch"):
        _build(tmp_path / "out", layer="scratch", runtime_name="python3.12", arch="x86_64",
               root=root)  # fmt: skip
