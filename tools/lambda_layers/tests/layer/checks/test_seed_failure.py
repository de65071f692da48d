"""The seed failure: Pillow built for the wrong machine, or nested where Lambda does not look.

Real Pillow wheels for both architectures (installed for their platform with uv) make real
layer trees; verification must name `PIL/_imaging` and the mismatch.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from lambda_layers.layer.checks import verify_tree
from lambda_layers.layer.checks.findings import Rule, Severity
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.platform.facts import Architecture, runtime

PILLOW = "pillow==13.0.0"
SiteFactory = Callable[[str, str, str], Path]


def layer_from(site: Path, staging: Path, *, under: str = "python") -> Path:
    """A staging tree whose `under` directory holds a copy of `site`; returns the staging root."""
    shutil.copytree(site, staging / under, dirs_exist_ok=True)
    return staging


def _policy(runtime_name: str = "python3.12", forbid: frozenset[str] = frozenset()) -> LayerPolicy:
    return LayerPolicy(
        layer="pillow", runtime=runtime(runtime_name), architecture=Architecture.ARM64,
        forbid=forbid,
    )  # fmt: skip


def test_arm64_pillow_passes(wheel_site: SiteFactory, tmp_path: Path) -> None:
    site = wheel_site(PILLOW, "aarch64-manylinux_2_28", "3.12")
    result = verify_tree(layer_from(site, tmp_path), _policy())
    assert result.passed, [f.render() for f in result.errors]


def test_x86_64_pillow_in_an_arm64_layer_is_caught(wheel_site: SiteFactory, tmp_path: Path) -> None:
    # GIVEN an arm64 layer fed Pillow's x86_64 wheel
    site = wheel_site(PILLOW, "x86_64-manylinux_2_28", "3.12")
    # WHEN it is verified
    result = verify_tree(layer_from(site, tmp_path), _policy())
    # THEN every native file is refused, _imaging first among them, attributed to pillow
    assert not result.passed
    wrong = [f for f in result.errors if f.rule is Rule.ARCHITECTURE]
    imaging = next(f for f in wrong if f.path and "PIL/_imaging.cpython" in f.path)
    assert imaging.distribution == "pillow"
    assert "x86_64" in imaging.message and "arm64" in imaging.message
    assert "Lambda fails to import it" in imaging.message
    assert any(f.path and f.path.startswith("python/pillow.libs/") for f in wrong)
    message = _raised(result)
    assert "PIL/_imaging.cpython-312-x86_64-linux-gnu.so" in message
    assert "fix: resolve wheels for aarch64" in message


def test_pillow_nested_under_python_lib_is_caught(wheel_site: SiteFactory, tmp_path: Path) -> None:
    site = wheel_site(PILLOW, "aarch64-manylinux_2_28", "3.12")
    staging = layer_from(site, tmp_path, under="python/lib/python3.11/site-packages")
    result = verify_tree(staging, _policy())
    layout = [f for f in result.errors if f.rule is Rule.LAYOUT]
    assert any(f.path and "PIL/_imaging" in f.path for f in layout)
    message = _raised(result)
    assert "python/lib/python3.11/site-packages/PIL/_imaging" in message
    assert "where python3.12 does not look" in message


def test_nesting_for_the_right_python_is_refused_too(
    wheel_site: SiteFactory, tmp_path: Path
) -> None:
    site = wheel_site(PILLOW, "aarch64-manylinux_2_28", "3.12")
    staging = layer_from(site, tmp_path, under="python/lib/python3.12/site-packages")
    message = _raised(verify_tree(staging, _policy()))
    assert "ahead of python/ on sys.path" in message


def test_packages_at_the_zip_root_are_outside_python(
    wheel_site: SiteFactory, tmp_path: Path
) -> None:
    site = wheel_site(PILLOW, "aarch64-manylinux_2_28", "3.12")
    staging = layer_from(site, tmp_path, under=".")
    message = _raised(verify_tree(staging, _policy()))
    assert "PIL/_imaging" in message and "is outside python/" in message


def test_a_2_28_wheel_is_too_new_for_amazon_linux_2(
    wheel_site: SiteFactory, tmp_path: Path
) -> None:
    site = wheel_site(PILLOW, "aarch64-manylinux_2_28", "3.11")
    result = verify_tree(layer_from(site, tmp_path), _policy("python3.11"))
    glibc = [f for f in result.errors if f.rule is Rule.GLIBC]
    assert glibc, "Pillow's manylinux_2_28 aarch64 wheel needs GLIBC_2.27 (FACTS.md)"
    assert all("Amazon Linux 2" in f.message and "2.26" in f.message for f in glibc)
    assert "manylinux_2_17 or older" in glibc[0].fix


def test_a_library_missing_from_the_layer_is_named(wheel_site: SiteFactory, tmp_path: Path) -> None:
    site = wheel_site(PILLOW, "aarch64-manylinux_2_28", "3.12")
    staging = layer_from(site, tmp_path)
    jpeg = next((staging / "python" / "pillow.libs").glob("libjpeg-*.so*"))
    jpeg.unlink()
    missing = [f for f in verify_tree(staging, _policy()).errors if f.rule is Rule.MISSING_LIBRARY]
    assert missing and all(jpeg.name in f.message for f in missing)
    assert any(f.path and "PIL/_imaging." in f.path for f in missing)


def test_a_forbidden_distribution_is_named_with_its_size(
    wheel_site: SiteFactory, tmp_path: Path
) -> None:
    site = wheel_site(PILLOW, "aarch64-manylinux_2_28", "3.12")
    result = verify_tree(layer_from(site, tmp_path), _policy(forbid=frozenset({"pillow"})))
    forbidden = [f for f in result.errors if f.rule is Rule.FORBIDDEN]
    assert len(forbidden) == 1
    assert "pillow 13.0.0 is forbidden" in forbidden[0].message
    # Without its dist-info the import package still gives it away.
    shutil.rmtree(next((tmp_path / "python").glob("pillow-*.dist-info")))
    again = verify_tree(tmp_path, _policy(forbid=frozenset({"pillow"})))
    assert any("python/PIL/" in f.message for f in again.errors if f.rule is Rule.FORBIDDEN)


def test_an_extension_for_another_python_is_named(wheel_site: SiteFactory, tmp_path: Path) -> None:
    site = wheel_site(PILLOW, "aarch64-manylinux_2_28", "3.11")
    result = verify_tree(layer_from(site, tmp_path), _policy("python3.12"))
    abi = [f for f in result.errors if f.rule is Rule.PYTHON_ABI]
    assert any(f.path and f.path.endswith("_imaging.cpython-311-aarch64-linux-gnu.so") for f in abi)
    assert all(f.severity is Severity.ERROR for f in abi)


def _raised(result: object) -> str:
    from lambda_layers.base.errors import VerificationError

    try:
        result.raise_for_errors()  # type: ignore[attr-defined]
    except VerificationError as error:
        return str(error)
    raise AssertionError("verification passed but should have failed")
