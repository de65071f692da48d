"""Fixtures for the layer tooling's tests: real wheels for real platforms, small real ELF files."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.tools import uv_binary

SiteFactory = Callable[[str, str, str], Path]


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
