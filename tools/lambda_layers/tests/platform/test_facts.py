"""The platform data agrees with itself and with what FACTS.md measured."""

from __future__ import annotations

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.platform.facts import (
    Architecture,
    architecture,
    architecture_facts,
    elf_architecture,
    facts,
    runtime,
    runtimes,
)


def test_every_runtime_has_a_manylinux_tag_within_its_glibc() -> None:
    for entry in runtimes().values():
        major, minor = (int(part) for part in entry.manylinux.removeprefix("manylinux_").split("_"))
        assert (major, minor) <= entry.base_system.glibc, entry.name


def test_runtime_names_match_their_python_versions() -> None:
    for name, entry in runtimes().items():
        assert name == f"python{entry.python_version}"
        assert entry.official_image.endswith(f":{entry.python_version}")


def test_python311_is_capped_at_glibc_2_26_and_resolves_at_2_17() -> None:
    python311 = runtime("python3.11")
    assert python311.base_system.glibc == (2, 26)
    assert python311.uv_platform(Architecture.ARM64) == "aarch64-manylinux_2_17"


def test_newer_runtimes_run_on_amazon_linux_2023() -> None:
    for name in ("python3.12", "python3.13"):
        assert runtime(name).base_system.glibc == (2, 34)


def test_loader_of_the_architecture_counts_as_base_system() -> None:
    allowed = runtime("python3.13").allowed_libraries(Architecture.ARM64)
    assert "ld-linux-aarch64.so.1" in allowed
    assert "ld-linux-x86-64.so.2" not in allowed


@pytest.mark.parametrize("member", list(Architecture))
def test_architecture_facts_are_consistent(member: Architecture) -> None:
    facts = architecture_facts(member)
    assert facts.strip_tool == f"{facts.machine}-linux-gnu-strip"
    assert facts.wheel_arch == facts.machine


def test_unknown_names_give_configuration_errors_listing_known_ones() -> None:
    with pytest.raises(ConfigurationError, match=r"python3\.11, python3\.12, python3\.13"):
        runtime("python3.8")
    with pytest.raises(ConfigurationError, match="arm64, x86_64"):
        architecture("aarch64")


def test_the_data_agrees_with_itself() -> None:
    data = facts()
    # every stand-in plays a known runtime on a known architecture
    assert set(data.standins.runtimes) <= set(data.runtimes)
    # every Lambda architecture's ELF machine has a name for messages
    assert {entry.elf_machine for entry in data.architectures.values()} <= set(data.elf_machines)
    # the limits are AWS's, in its binary megabytes
    assert data.limits.unzipped_bytes == 250 * data.limits.megabyte == 262_144_000
    assert data.limits.direct_upload_bytes == 50 * data.limits.megabyte
    # the runtime's own dependencies are never listed as runtime-provided themselves
    assert (
        not data.distributions.runtime_provided & data.distributions.runtime_provided_dependencies
    )


def test_search_paths_and_the_image_environment_say_the_same() -> None:
    python313 = runtime("python3.13")
    assert python313.search_paths == ("python/lib/python3.13/site-packages", "python")
    assert python313.environment()["PYTHONPATH"] == (
        "/var/task:/opt/python/lib/python3.13/site-packages:/opt/python"
    )


def test_elf_headers_map_to_lambda_architectures_only_when_64_bit_little_endian() -> None:
    assert elf_architecture("EM_AARCH64", 64, True) is Architecture.ARM64
    assert elf_architecture("EM_X86_64", 64, True) is Architecture.X86_64
    assert elf_architecture("EM_X86_64", 32, True) is None
    assert elf_architecture("EM_386", 32, True) is None
