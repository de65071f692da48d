"""The docker builder: installs hash-checked pins in the runtime image and agrees with `local`."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.base.errors import ContainerError
from lambda_layers.builder.builders import Assembly, BuilderName
from lambda_layers.builder.commands import run_build
from lambda_layers.builder.docker_builder import DockerBuilder
from lambda_layers.builder.locks import LockedDistribution, read_lock
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.layer.spec import load_specs
from lambda_layers.platform.facts import Architecture, runtime

pytestmark = pytest.mark.docker
StandinFactory = Callable[[str, Architecture], str]  # the `standin` fixture (../conftest.py)

ROOT = Path(__file__).resolve().parents[4]

AGREEMENT = [
    (layer, runtime_name, architecture)
    for layer in ("receipt-label", "receipt-chroma")
    for runtime_name in ("python3.11", "python3.13")
    for architecture in (Architecture.ARM64, Architecture.X86_64)
] + [("receipt-chroma-full", name, Architecture.X86_64) for name in ("python3.11", "python3.13")]


def _target(layer: str, runtime_name: str, architecture: Architecture) -> BuildTarget:
    spec = next(spec for spec in load_specs(ROOT / "layers") if spec.name == layer)
    return BuildTarget(spec=spec, runtime=runtime(runtime_name), architecture=architecture)


def _locked(target: BuildTarget, name: str) -> LockedDistribution:
    lock = read_lock(ROOT, target.spec, target.runtime, target.architecture)
    assert lock is not None
    return next(item for item in lock.distributions if item.name == name)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("layer", "runtime_name", "architecture"),
    AGREEMENT,
    ids=[f"{layer}-{name}-{arch.value}" for layer, name, arch in AGREEMENT],
)
def test_docker_and_local_builders_agree(
    standin: StandinFactory,
    tmp_path: Path,
    layer: str,
    runtime_name: str,
    architecture: Architecture,
) -> None:
    # GIVEN the stand-in image of the target
    tag = standin(runtime_name, architecture)
    builds = {}
    # WHEN the layer is built by each builder
    for builder in (BuilderName.DOCKER, BuilderName.LOCAL):
        manifest = run_build(
            layers=[layer], runtimes=[runtime_name], architectures=[architecture.value],
            builder=builder, image=None, force=True, output=tmp_path / builder.value, root=ROOT,
        )  # fmt: skip
        builds[builder] = manifest.layers[f"{layer}-{runtime_name}-{architecture.value}.zip"]
    docker, local = builds[BuilderName.DOCKER], builds[BuilderName.LOCAL]
    # THEN both zips hold the same distributions at the same versions
    assert docker.distributions == local.distributions
    assert docker.builder == "docker"
    assert docker.image == tag
    assert local.builder == "local"
    # AND the docker zip ships bytecode for the runtime's own Python only
    assert docker.bytecode
    cache_tag = f".cpython-{runtime_name.removeprefix('python').replace('.', '')}.pyc"
    with zipfile.ZipFile(tmp_path / "docker" / docker.zip) as archive:
        compiled = [name for name in archive.namelist() if name.endswith(".pyc")]
    assert compiled
    assert all(name.endswith(cache_tag) for name in compiled), compiled[:5]


def test_install_and_compile_in_the_image(standin: StandinFactory, tmp_path: Path) -> None:
    # GIVEN one locked wheel for python3.11 x86_64
    standin("python3.11", Architecture.X86_64)
    target = _target("receipt-chroma", "python3.11", Architecture.X86_64)
    site = tmp_path / "layer" / "python"
    builder = DockerBuilder(image=None)
    image = builder.image_for(target)
    assembly = Assembly(
        target=target, distributions=[_locked(target, "typing-extensions")], wheels=[], site=site,
        image=image,
    )  # fmt: skip
    # WHEN installed and compiled in the image
    builder.install(assembly)
    report = builder.compile(assembly)
    # THEN the files are there, owned by this user, with hash-based .pyc for /opt/python
    assert (site / "typing_extensions.py").is_file()
    assert all(path.stat().st_uid == os.getuid() for path in site.rglob("*"))
    pyc = site / "__pycache__" / "typing_extensions.cpython-311.pyc"
    assert pyc.read_bytes()[4:8] == b"\x01\x00\x00\x00"  # unchecked-hash (PEP 552)
    assert b"/opt/python/typing_extensions.py" in pyc.read_bytes()
    assert report.compiled
    assert image is not None
    assert image.startswith("lambda-layers-standin:python3.11-x86_64-")
    assert sorted(path.name for path in site.parent.iterdir()) == ["python"]  # no scratch left


def test_bad_hash_fails_and_leaves_no_staging(standin: StandinFactory, tmp_path: Path) -> None:
    standin("python3.11", Architecture.X86_64)
    target = _target("receipt-chroma", "python3.11", Architecture.X86_64)
    good = _locked(target, "typing-extensions")
    bad = LockedDistribution(name=good.name, version=good.version, hashes=("sha256:" + "0" * 64,))
    site = tmp_path / "layer" / "python"
    assembly = Assembly(target=target, distributions=[bad], wheels=[], site=site)
    with pytest.raises(ContainerError) as failure:
        DockerBuilder(image=None).install(assembly)
    message = str(failure.value)
    assert (
        "receipt-chroma-python3.11-x86_64: pip install failed in image lambda-layers-standin:"
        in (message)
    )
    assert "HASHES" in message.upper()
    assert not site.exists()
    assert list(site.parent.iterdir()) == []


def test_missing_image_names_it_and_the_way_out(standin: StandinFactory, tmp_path: Path) -> None:
    standin("python3.11", Architecture.X86_64)  # an engine is there
    target = _target("receipt-label", "python3.11", Architecture.X86_64)
    site = tmp_path / "layer" / "python"
    assembly = Assembly(target=target, distributions=[], wheels=[], site=site)
    builder = DockerBuilder(image="lambda-layers-missing:{runtime}-{architecture}")
    with pytest.raises(
        ContainerError,
        match=r"lambda-layers-missing:python3\.11-x86_64 is not on this machine.*runtime_images",
    ):
        builder.install(assembly)
    assert not site.exists()


def test_unlocked_requirements_resolve_and_build_sdists_in_the_container(
    standin: StandinFactory, tmp_path: Path
) -> None:
    # GIVEN a requirement with no wheel at all (pyperclip 1.9.0 is an sdist only) and no lock
    standin("python3.13", Architecture.X86_64)
    target = _target("receipt-label", "python3.13", Architecture.X86_64)
    site = tmp_path / "layer" / "python"
    assembly = Assembly(
        target=target, distributions=(), wheels=[], site=site,
        unlocked_requirements=["pyperclip==1.9.0"],
    )  # fmt: skip
    # WHEN the docker builder installs it
    DockerBuilder(image=None).install(assembly)
    # THEN it was built from source inside the container and installed flat in the site
    assert (site / "pyperclip" / "__init__.py").is_file()
    assert (site / "pyperclip-1.9.0.dist-info" / "WHEEL").is_file()
    assert not list(site.rglob("*.pyc"))  # no bytecode at install time


def test_an_sdist_only_spec_built_with_the_docker_builder_is_recorded_unlocked(
    standin: StandinFactory, scratch_repository: Callable[[str], Path]
) -> None:
    # GIVEN a user's spec whose one requirement has no wheel at all (pyperclip 1.9.0: an sdist)
    standin("python3.13", Architecture.X86_64)
    root = scratch_repository(
        'name = "clip"\nrequirements = ["pyperclip==1.9.0"]\nruntimes = ["python3.13"]\n'
        'architectures = ["x86_64"]\nimports = ["pyperclip"]\n'
    )
    # WHEN it is built with `--builder docker`
    manifest = run_build(
        layers=[], runtimes=[], architectures=[], builder=BuilderName.DOCKER, image=None,
        force=False, output=root / "dist", root=root,
    )  # fmt: skip
    # THEN the zip holds pyperclip, built inside the runtime image, and the manifest says it was
    # resolved there (no wheels-only lock can exist) and why, naming the requirement
    entry = manifest.layers["clip-python3.13-x86_64.zip"]
    assert entry.distributions == {"pyperclip": "1.9.0"}
    assert entry.builder == "docker" and entry.verification == "passed"
    assert entry.locked is False
    assert "pyperclip" in entry.unlocked_reason
    assert (root / "dist" / entry.zip).is_file()
    assert not list((root / "layers").glob("locks/**/*.txt"))
    with zipfile.ZipFile(root / "dist" / entry.zip) as archive:
        assert "python/pyperclip/__init__.py" in archive.namelist()
