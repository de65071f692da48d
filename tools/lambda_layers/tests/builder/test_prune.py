"""Pruning a staging tree: what no import needs goes, dist-info stays, installs leave no trace."""

from __future__ import annotations

from pathlib import Path

from lambda_layers.builder.prune import prune, remove_distributions

RECORD = (
    "pkg/__init__.py,,\npkg-1.0.dist-info/RECORD,,\npkg-1.0.dist-info/direct_url.json,,\n"
    "bin/pkg-cli,sha256=x,32\n"
)


def _site(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_tests_docs_stubs_and_sources_go_and_python_keeps_what_it_reads(tmp_path: Path) -> None:
    # GIVEN an installed tree with the usual dead weight
    site = _site(tmp_path / "python", {
        "pkg/__init__.py": "", "pkg/core.py": "x = 1\n", "pkg/core.pyi": "x: int\n",
        "pkg/tests/test_core.py": "assert True\n", "pkg/docs/index.rst": "docs\n",
        "pkg/_speed.c": "int x;\n", "pkg/__pycache__/core.cpython-311.pyc": "old",
        "test/__init__.py": "",  # a top-level package called `test` is code, not tests
        "sdk/docs/__init__.py": "",  # and so is a `docs` package (boto3 imports botocore.docs)
        "pkg-1.0.dist-info/RECORD": RECORD, "pkg-1.0.dist-info/direct_url.json": "{}",
        "pkg-1.0.dist-info/licenses/tests/LICENSE": "MIT\n", ".lock": "",
        "pkg/data/keep.csv": "a,b\n", "pkg/data/drop.parquet": "p",
        "bin/pkg-cli": "#!/work/main/.nox/x/bin/python\n",  # a console script: the host's path
    })  # fmt: skip
    # WHEN it is pruned, with a spec's own pattern too
    report = prune(site, extra_patterns=("*.parquet",))
    left = sorted(path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file())
    # THEN only what imports and installers read is left
    assert left == [
        "pkg-1.0.dist-info/RECORD", "pkg-1.0.dist-info/licenses/tests/LICENSE",
        "pkg/__init__.py", "pkg/core.py", "pkg/data/keep.csv", "sdk/docs/__init__.py",
        "test/__init__.py",
    ]  # fmt: skip
    # AND the per-installation record and the console scripts (whose shebang names the build
    # machine's Python) are forgotten by RECORD too: two checkouts must build the same bytes
    record = (site / "pkg-1.0.dist-info" / "RECORD").read_text()
    assert "direct_url.json" not in record and "bin/" not in record
    assert record.startswith("pkg/__init__.py,,\n")
    # tests/, docs/, __pycache__/ (3 files, 20 bytes), .pyi, .c, .parquet (15), .lock, bin/ (31),
    # direct_url
    assert (report.files, report.bytes) == (9, 66)
    assert not (site / "pkg" / "tests").exists()


def test_removing_a_distribution_takes_its_files_by_its_record(tmp_path: Path) -> None:
    site = _site(tmp_path / "python", {
        "pkg/__init__.py": "", "pkg-1.0.dist-info/RECORD": RECORD, "other/__init__.py": "",
    })  # fmt: skip
    assert remove_distributions(site, frozenset({"pkg"})) == ["pkg (left out after install)"]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == [
        "other", "other/__init__.py",
    ]  # fmt: skip
