"""The platform data agrees with itself and with what FACTS.md measured."""

from __future__ import annotations

import datetime

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
    supported_runtime,
    supported_runtimes,
)
from lambda_layers.platform.host import Host
from lambda_layers.platform.standins import recipes


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
    for name in ("python3.12", "python3.13", "python3.14"):
        assert runtime(name).base_system.glibc == (2, 34)
        assert runtime(name).manylinux == "manylinux_2_34"


def test_python314_is_played_by_debian_testing_on_both_architectures() -> None:
    python314 = runtime("python3.14")
    assert python314.official_image_for(Architecture.ARM64).endswith("python:3.14-arm64")
    played = {(r.architecture, r.suite) for r in recipes() if r.runtime == "python3.14"}
    assert played == {(Architecture.ARM64, "forky"), (Architecture.X86_64, "forky")}


def test_deprecation_dates_are_aws_table() -> None:
    dates = {name: str(entry.deprecation) for name, entry in runtimes().items()}
    assert dates == {
        "python3.10": "2026-10-31", "python3.11": "2027-06-30", "python3.12": "2028-10-31",
        "python3.13": "2029-06-30", "python3.14": "2029-06-30",
    }  # fmt: skip


def test_a_runtime_past_its_date_is_refused_naming_the_date() -> None:
    day = datetime.date(2026, 12, 3)
    assert list(supported_runtimes(day)) == ["python3.11", "python3.12", "python3.13", "python3.14"]
    with pytest.raises(
        ConfigurationError, match=r"python3\.10 was deprecated on 2026-10-31"
    ) as bad:
        supported_runtime("python3.10", day)
    assert "python3.11, python3.12, python3.13, python3.14" in str(bad.value)
    # the day before its date it was still Lambda's
    assert supported_runtime("python3.10", datetime.date(2026, 10, 30)).name == "python3.10"
    # and python3.11 goes the same way on its own date
    with pytest.raises(ConfigurationError, match=r"deprecated on 2027-06-30"):
        supported_runtime("python3.11", datetime.date(2027, 6, 30))


@pytest.mark.parametrize(
    ("day", "warned"),
    [
        ("2026-12-03", False),  # seven months before
        ("2026-12-29", False),  # a day short of six months
        ("2026-12-30", True),  # six months before 2027-06-30
        ("2027-06-29", True),
    ],
)
def test_a_runtime_within_six_months_of_its_date_warns(day: str, warned: bool) -> None:
    warning = runtime("python3.11").deprecation_warning(datetime.date.fromisoformat(day))
    assert (warning is not None) == warned
    if warning:
        assert "python3.11 is deprecated on 2027-06-30" in warning
        assert "move to python3.14" in warning
    assert runtime("python3.14").deprecation_warning(datetime.date.fromisoformat(day)) is None


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
    known = r"Lambda's Python runtimes are python3\.11, python3\.12, python3\.13, python3\.14$"
    with pytest.raises(ConfigurationError, match=r"unknown Lambda runtime 'python3\.15': " + known):
        runtime("python3.15")
    with pytest.raises(ConfigurationError, match=r"'python3\.8': " + known):
        runtime("python3.8")
    with pytest.raises(ConfigurationError, match="arm64, x86_64"):
        architecture("riscv64")


@pytest.mark.parametrize(
    ("name", "meant"),
    [("3.14", "python3.14"), ("python314", "python3.14"), ("cp312", "python3.12")],
)
def test_another_spelling_of_a_runtime_is_answered_with_its_name(name: str, meant: str) -> None:
    with pytest.raises(ConfigurationError, match=f"did you mean '{meant}'"):
        runtime(name)


@pytest.mark.parametrize(
    ("name", "meant"),
    [("aarch64", "arm64"), ("amd64", "x86_64"), ("linux/arm64", "arm64"), ("x86-64", "x86_64"),
     ("ARM64", "arm64")],
)  # fmt: skip
def test_another_spelling_of_an_architecture_is_answered_with_aws_name(
    name: str, meant: str
) -> None:
    with pytest.raises(ConfigurationError) as raised:
        architecture(name)
    assert str(raised.value) == (
        f"unknown architecture {name!r} (did you mean {meant!r}?): Lambda's are arm64, x86_64 "
        "(AWS's names)"
    )


def test_emulated_runs_get_a_longer_timeout_and_native_ones_lambdas() -> None:
    host = Host(architecture=Architecture.X86_64)
    assert host.timeout_factor(Architecture.X86_64) == 1
    assert host.timeout_factor(Architecture.ARM64) == facts().emulation.timeout_factor > 1
    assert Host(architecture=None).timeout_factor(Architecture.X86_64) > 1


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
