"""What the wheels and sdists built from this checkout carry: the license, metadata a package
index shows, and sdists that hold no tests they could not run (the tests need the workspace's
fixture set and server plugins, which are not in an sdist)."""

from __future__ import annotations

import subprocess
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Built

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("receipt_label", "receipt_chroma")


def _wheel_metadata(wheel: Path) -> tuple[list[str], str, dict[str, list[str]]]:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = HeaderParser().parsestr(archive.read(metadata_name).decode())
        licenses = [n for n in names if ".dist-info/licenses/" in n]
        text = archive.read(licenses[0]).decode() if licenses else ""
    fields = {key: metadata.get_all(key) or [] for key in set(metadata.keys())}
    return licenses, text, fields


def test_the_repository_has_an_mit_license() -> None:
    text = (REPO / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


@pytest.mark.parametrize("package", PACKAGES)
def test_each_wheel_carries_the_license_and_index_metadata(built: Built, package: str) -> None:
    licenses, text, fields = _wheel_metadata(built.wheel(package))
    assert [Path(name).name for name in licenses] == ["LICENSE"]
    assert text == (REPO / "LICENSE").read_text()
    assert fields["License-Expression"] == ["MIT"]
    assert fields["License-File"] == ["LICENSE"]
    classifiers = fields.get("Classifier", [])
    wanted = {
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.14",
        "Typing :: Typed",
        "Operating System :: OS Independent",
    }
    assert wanted <= set(classifiers), (package, sorted(wanted - set(classifiers)))
    urls = dict(url.split(", ", 1) for url in fields.get("Project-URL", []))
    assert {"Documentation", "Source", "Issues"} <= urls.keys(), urls
    assert all(url.startswith("https://") for url in urls.values())


@pytest.mark.parametrize("package", PACKAGES)
def test_each_sdist_holds_the_package_and_license_but_no_tests(built: Built, package: str) -> None:
    with tarfile.open(built.sdist(package)) as archive:
        names = {Path(*Path(name).parts[1:]).as_posix() for name in archive.getnames()}
    assert {"LICENSE", "README.md", "pyproject.toml", f"src/{package}/__init__.py"} <= names
    assert [name for name in names if name.startswith("tests")] == []


@pytest.mark.parametrize("package", PACKAGES)
def test_an_unpacked_sdist_builds_the_same_wheel(
    built: Built, package: str, tmp_path: Path, uv: str
) -> None:
    with tarfile.open(built.sdist(package)) as archive:
        archive.extractall(tmp_path, filter="data")
    (unpacked,) = tmp_path.iterdir()
    subprocess.run(
        [uv, "build", "--wheel", "--quiet", "--out-dir", str(tmp_path / "wheel"), str(unpacked)],
        check=True, capture_output=True,
    )  # fmt: skip
    (rebuilt,) = (tmp_path / "wheel").glob("*.whl")
    with zipfile.ZipFile(rebuilt) as again, zipfile.ZipFile(built.wheel(package)) as first:
        assert sorted(again.namelist()) == sorted(first.namelist())
