"""The input hash names the image each target is really built in, so changing it rebuilds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lambda_layers.builder.builders import Assembly, BuilderName
from lambda_layers.builder.bytecode import BytecodeReport
from lambda_layers.builder.manifest import read_manifest
from lambda_layers.builder.pipeline import BuildRequest, build
from lambda_layers.builder.targets import BuildTarget, plan_targets
from lambda_layers.layer.spec import load_specs

RepositoryFactory = Callable[[str], Path]  # the `scratch_repository` fixture (../conftest.py)

SPEC = """
name = "imaged"
requirements = ["six==1.17.0"]
runtimes = ["python3.12", "python3.13"]
architectures = ["x86_64"]
"""


class ImageBuilder:
    """Builds in the image it is given per runtime (as `docker` resolves one per target)."""

    name = BuilderName.DOCKER

    def __init__(self, images: dict[str, str]) -> None:
        self.images = images

    def image_for(self, target: BuildTarget) -> str:
        return self.images[target.runtime.name]

    def install(self, assembly: Assembly) -> None:
        assembly.site.mkdir(parents=True, exist_ok=True)
        (assembly.site / "imaged.py").write_text(f"IMAGE = {assembly.image!r}\n")

    def compile(self, assembly: Assembly) -> BytecodeReport:
        return BytecodeReport(compiled=False, interpreter=None, reason="not compiled")


def _build(root: Path, output: Path, images: dict[str, str], runtimes: list[str]) -> dict[str, int]:
    """Build with a fresh builder (as every `lambda-layers build` run has); each zip's mtime."""
    targets = plan_targets(load_specs(root / "layers"), runtimes=runtimes)
    build(BuildRequest(root=root, output=output, targets=targets, builder=ImageBuilder(images)))
    return {path.name: path.stat().st_mtime_ns for path in output.glob("*.zip")}


def test_another_image_for_a_target_rebuilds_it(
    tmp_path: Path, scratch_repository: RepositoryFactory
) -> None:
    # GIVEN a layer built in a stand-in image
    root, output = scratch_repository(SPEC), tmp_path / "out"
    first = _build(root, output, {"python3.13": "standin:3.13"}, ["python3.13"])
    # WHEN the next build would use the official image instead
    second = _build(root, output, {"python3.13": "official:3.13"}, ["python3.13"])
    # THEN the zip is rebuilt, and the manifest names the image it was built in
    name = "imaged-python3.13-x86_64.zip"
    assert second[name] != first[name], "a zip built in another image was skipped as unchanged"
    assert read_manifest(output).layers[name].image == "official:3.13"


def test_each_target_hashes_its_own_image(
    tmp_path: Path, scratch_repository: RepositoryFactory
) -> None:
    # GIVEN two targets built in one run, each in its own image
    root, output = scratch_repository(SPEC), tmp_path / "out"
    images = {"python3.12": "official:3.12", "python3.13": "standin:3.13"}
    first = _build(root, output, images, ["python3.12", "python3.13"])
    manifest = read_manifest(output)
    assert {entry.image for entry in manifest.layers.values()} == set(images.values())
    # WHEN nothing changes THEN nothing is rebuilt (no target hashed its neighbour's image)
    assert _build(root, output, images, ["python3.12", "python3.13"]) == first
