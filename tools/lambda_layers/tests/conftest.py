"""Fixtures for the layer tooling's tests: real wheels for real platforms, small real ELF files."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import docker
import pytest

from lambda_layers.base.errors import ContainerError
from lambda_layers.engine.client import docker_client, image_present
from lambda_layers.engine.images import standin_tag
from lambda_layers.platform.facts import Architecture, runtime
from lambda_layers.platform.host import uv_binary

SiteFactory = Callable[[str, str, str], Path]
SkipOrFail = Callable[[str], NoReturn]
StandinFactory = Callable[[str, Architecture], str]


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
def tiny_elf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small x86_64 shared library built here: it needs libpthread's GLIBC_2.34 symbols."""
    directory = tmp_path_factory.mktemp("elf")
    source = directory / "tiny.c"
    source.write_text(
        "#include <pthread.h>\n"
        "static void *run(void *arg) { return arg; }\n"
        "int tiny(void) { pthread_t t; pthread_create(&t, 0, run, 0);\n"
        "  return pthread_join(t, 0); }\n"
    )
    output = directory / "libtiny.so"
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(output), str(source), "-lpthread", "-lm"], check=True
    )
    return output
