"""The native-file rules on tiny real ELF files (tests/fixtures/elf, made by its build.sh)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.layer.checks.findings import Rule
from lambda_layers.layer.checks.native import check_native
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.contents import read_layer
from lambda_layers.platform.facts import Architecture, runtime

ELF = Path(__file__).parents[2] / "fixtures" / "elf"
ZipFactory = Callable[..., Path]


def _findings(
    make_zip: ZipFactory,
    files: dict[str, bytes],
    runtime_name: str,
    architecture: Architecture = Architecture.X86_64,
) -> dict[Rule, list[str]]:
    """The native findings of a layer holding `files`, as messages by rule."""
    policy = LayerPolicy(layer="native", runtime=runtime(runtime_name), architecture=architecture)
    found: dict[Rule, list[str]] = {}
    for finding in check_native(read_layer(make_zip("native", files)), policy):
        found.setdefault(finding.rule, []).append(finding.message)
    return found


def _fixture(name: str) -> bytes:
    return (ELF / name).read_bytes()


def test_a_libstdcxx_newer_than_the_base_systems_is_refused(make_zip: ZipFactory) -> None:
    # GIVEN a C++ library that needs GLIBCXX_3.4.29 (GCC 11's libstdc++)
    files = {"python/fast/_vector.so": _fixture("libvector_user.so")}
    # WHEN it is checked for Amazon Linux 2 (GCC 7, GLIBCXX 3.4.24) THEN it is refused
    (message,) = _findings(make_zip, files, "python3.11")[Rule.GLIBCXX]
    assert "needs GLIBCXX_3.4.29 (from libstdc++.so.6)" in message
    assert "Amazon Linux 2, which has GLIBCXX 3.4.24" in message
    # AND Amazon Linux 2023 (GCC 11) runs it
    assert _findings(make_zip, files, "python3.12") == {}


def test_a_glibc_newer_than_the_base_systems_is_refused(make_zip: ZipFactory) -> None:
    files = {"python/threads.so": _fixture("libpthread_user.so")}
    (message,) = _findings(make_zip, files, "python3.11")[Rule.GLIBC]
    assert "needs GLIBC_2.34" in message and "GLIBC 2.26" in message
    assert _findings(make_zip, files, "python3.13") == {}


def test_a_file_that_starts_like_elf_but_is_cut_short_is_corrupt(make_zip: ZipFactory) -> None:
    truncated = _fixture("libpthread_user.so")[:200]
    found = _findings(make_zip, {"python/broken.so": truncated}, "python3.12")
    (message,) = found[Rule.CORRUPT_ELF]
    assert message.startswith("python/broken.so starts like an ELF file but cannot be read")
    assert set(found) == {Rule.CORRUPT_ELF}


@pytest.mark.parametrize(
    ("architecture", "refused"), [(Architecture.X86_64, True), (Architecture.ARM64, False)]
)
def test_a_library_for_another_cpu_is_refused(
    make_zip: ZipFactory, architecture: Architecture, refused: bool
) -> None:
    found = _findings(make_zip, {"python/arm.so": _fixture("libarm64.so")}, "python3.13",
                      architecture)  # fmt: skip
    assert (Rule.ARCHITECTURE in found) is refused
    if refused:
        assert "built for aarch64 (64-bit, little-endian)" in found[Rule.ARCHITECTURE][0]


def test_a_needed_library_must_be_in_the_layer_or_the_base_system(make_zip: ZipFactory) -> None:
    needs = {"python/caller.so": _fixture("libneeds_absent.so")}
    (message,) = _findings(make_zip, needs, "python3.12")[Rule.MISSING_LIBRARY]
    assert "needs libabsent.so.1, which is neither in the layer nor in Amazon Linux 2023" in message
    # a library of that name in the layer (as auditwheel grafts them) satisfies it
    shipped = {**needs, "python/caller.libs/libabsent.so.1": _fixture("libpthread_user.so")}
    assert _findings(make_zip, shipped, "python3.12") == {}
