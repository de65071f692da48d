"""Fixtures for the layer tool's tests: Docker gates, real wheels for real platforms, small real
zips and ELF files, scratch repositories."""

from __future__ import annotations

import os
import subprocess
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import NoReturn

import docker
import pytest

from lambda_layers.base.errors import ContainerError
from lambda_layers.builder.workspace import find_root
from lambda_layers.engine.client import docker_client, image_present
from lambda_layers.engine.images import standin_tag
from lambda_layers.platform.facts import Architecture, runtime
from lambda_layers.platform.host import uv_binary

SiteFactory = Callable[[str, str, str], Path]
SkipOrFail = Callable[[str], NoReturn]
StandinFactory = Callable[[str, Architecture], str]
ZipFactory = Callable[..., Path]
RepositoryFactory = Callable[[str], Path]
ELF_FIXTURES = Path(__file__).parent / "fixtures" / "elf"


def _skip_or_fail(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, so this cannot be skipped: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def skip_or_fail() -> SkipOrFail:
    """Skip with a reason, except in CI (CI=true), where a missing prerequisite is a failure."""
    return _skip_or_fail


@pytest.fixture(scope="session")
def docker_engine() -> Iterator[docker.DockerClient]:
    """A client of a real Docker engine (a skip with the reason without one; a failure in CI)."""
    try:
        client = docker_client()
    except ContainerError as error:
        _skip_or_fail(f"{error} (what .ci/provision does)")
    yield client
    client.close()


@pytest.fixture(scope="session")
def standin(docker_engine: docker.DockerClient) -> StandinFactory:
    """The present stand-in tag for a runtime and architecture (never built here: minutes)."""

    def get(runtime_name: str, architecture: Architecture) -> str:
        tag = standin_tag(runtime(runtime_name), architecture)
        if not image_present(docker_engine, tag):
            _skip_or_fail(f"stand-in {tag} is not built: run `nox -s runtime_images`")
        return tag

    return get


@pytest.fixture(scope="session")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> SiteFactory:
    """Install a requirement's real wheel for a platform (`aarch64-manylinux_2_28`), once."""
    cache: dict[tuple[str, str, str], Path] = {}

    def make(requirement: str, platform: str, python_version: str) -> Path:
        key = (requirement, platform, python_version)
        if key not in cache:
            target = tmp_path_factory.mktemp("site")
            subprocess.run(
                [str(uv_binary()), "pip", "install", "--quiet", "--no-deps", "--no-build",
                 "--python-platform", platform, "--python-version", python_version,
                 "--target", str(target), requirement],
                check=True,
            )  # fmt: skip
            cache[key] = target
        return cache[key]

    return make


@pytest.fixture(scope="session")
def repository() -> Path:
    """This repository's root (its layers/ and functions/)."""
    return find_root(Path(__file__).parent)


@pytest.fixture
def make_zip(tmp_path: Path) -> ZipFactory:
    """`make_zip("name", {"python/x.py": b"...", ...})`: a real layer zip in tmp_path."""

    def make(name: str, files: Mapping[str, bytes | str], *, directory: Path | None = None) -> Path:
        path = (directory or tmp_path) / f"{name}.zip"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for member, content in files.items():
                data = content.encode() if isinstance(content, str) else content
                archive.writestr(member, data)
        return path

    return make


@pytest.fixture
def scratch_repository(tmp_path: Path) -> RepositoryFactory:
    """A repository of its own holding one layer spec (`layers/<name>.toml`) and no packages."""

    def make(spec: str) -> Path:
        root = tmp_path / "repo"
        (root / "layers").mkdir(parents=True, exist_ok=True)
        (root / "pyproject.toml").write_text("[tool.uv.workspace]\nmembers = []\n")
        name = next(line.split('"')[1] for line in spec.splitlines() if line.startswith("name"))
        (root / "layers" / f"{name}.toml").write_text(spec)
        return root

    return make
