"""Stack checks over small real zips: each passes a good stack and bites on the fault it names."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.layer.checks.size import check_stack_size
from lambda_layers.layer.checks.stack import check_overlaps, check_stack_imports, check_versions
from lambda_layers.layer.contents import read_layer
from lambda_layers.layer.functions import load_functions
from lambda_layers.platform.facts import Architecture, limits, runtime
from lambda_layers.run.matrix import render_table, stack_row, write_matrix
from lambda_layers.run.stack import extract_stack

PY313 = runtime("python3.13")
ZipFactory = Callable[..., Path]


def test_extracting_follows_the_declared_order_and_a_later_layer_overwrites(
    make_zip: ZipFactory, tmp_path: Path
) -> None:
    first = read_layer(
        make_zip(
            "first",
            {
                "python/shared.py": "A = 1\n",
                "python/a.py": "",
                "python/__pycache__/a.cpython-313.pyc": b"pyc",
            },
        )
    )
    second = read_layer(
        make_zip("second", {"python/shared.py": "A = 2\n", "bin/tool": "#!/bin/sh\n"})
    )
    stack = extract_stack([first, second], tmp_path / "opt")
    assert (stack / "python/shared.py").read_text() == "A = 2\n"
    assert (stack / "python/a.py").is_file()
    assert (stack / "python/__pycache__/a.cpython-313.pyc").is_file()
    reversed_stack = extract_stack([second, first], tmp_path / "opt-reversed")
    assert (reversed_stack / "python/shared.py").read_text() == "A = 1\n"
    without = extract_stack([first, second], tmp_path / "opt-no-pyc", bytecode=False)
    assert not list(without.rglob("*.pyc"))
    assert not (tmp_path / "opt.partial").exists()


def test_an_entry_escaping_opt_is_refused(make_zip: ZipFactory, tmp_path: Path) -> None:
    evil = read_layer(make_zip("evil", {"python/../../escape.py": "x"}))
    with pytest.raises(ConfigurationError, match=r"evil.zip: entry .*escape.py.* outside /opt"):
        extract_stack([evil], tmp_path / "opt")


def test_overlaps_with_different_contents_fail_identical_ones_pass(make_zip: ZipFactory) -> None:
    a = read_layer(make_zip("a", {"python/util.py": "x = 1\n", "python/same.py": "s\n"}))
    b = read_layer(make_zip("b", {"python/util.py": "x = 2\n", "python/same.py": "s\n"}))
    result = check_overlaps([a, b])
    assert not result.passed
    assert result.problems == (
        "python/util.py: provided by a, b with different contents; the last one wins in /opt, "
        "so the others' code runs against it",
    )
    assert check_overlaps([a, read_layer(make_zip("c", {"python/same.py": "s\n"}))]).passed


def test_one_distribution_at_two_versions_fails_naming_both(make_zip: ZipFactory) -> None:
    old = read_layer(
        make_zip(
            "old", {"python/Pillow-10.4.0.dist-info/METADATA": "m", "python/PIL/__init__.py": ""}
        )
    )
    new = read_layer(
        make_zip(
            "new", {"python/pillow-11.3.0.dist-info/METADATA": "m", "python/PIL/__init__.py": ""}
        )
    )
    result = check_versions([old, new])
    assert not result.passed
    (problem,) = result.problems
    assert problem.startswith(
        "pillow: 10.4.0 in old (python/Pillow-10.4.0.dist-info); "
        "11.3.0 in new (python/pillow-11.3.0.dist-info)"
    )
    assert check_versions([old, old]).passed


def test_a_stack_over_250_mib_fails(make_zip: ZipFactory, tmp_path: Path) -> None:
    # GIVEN two layers of 126 MiB each (zeros: tiny zipped, real sizes in the central directory)
    half = b"\0" * (126 * 1_048_576)
    one = read_layer(make_zip("one", {"python/blob_one.bin": half}))
    two = read_layer(make_zip("two", {"python/blob_two.bin": half}))
    code = tmp_path / "code"
    code.mkdir()
    (code / "handler.py").write_text("def handle(e, c): return {}\n")
    # THEN one fits, both do not: the total is over 262,144,000 bytes
    assert check_stack_size([one], code=code).passed
    result = check_stack_size([one, two], code=code)
    assert not result.passed
    assert one.unzipped_bytes + two.unzipped_bytes > limits().unzipped_bytes
    assert "over Lambda's 262,144,000 (250 MiB)" in result.problems[0]


@pytest.mark.parametrize(
    ("prefix", "found"),
    [
        ("python/", True),
        ("python/lib/python3.13/site-packages/", True),
        ("python/lib/python3.12/site-packages/", False),
        ("python/lib/site-packages/", False),
        ("", False),
    ],
)
def test_imports_are_found_only_where_the_runtime_looks(
    make_zip: ZipFactory, prefix: str, found: bool
) -> None:
    layer = read_layer(
        make_zip(
            "lib",
            {
                f"{prefix}receipt_label/__init__.py": "",
                f"{prefix}receipt_label/patterns/__init__.py": "",
            },
        )
    )
    result = check_stack_imports(
        [layer], modules=["receipt_label", "receipt_label.patterns"], runtime=PY313
    )
    assert result.passed is found
    if not found:
        location = f"/opt/{prefix.rstrip('/')}" if prefix else "/opt,"
        assert (
            f"receipt_label: not importable from the stack: it is at {location}"
            in (result.problems[0])
        )
        assert "python3.13 does not look" in result.problems[0]


def test_extension_modules_and_the_function_code_count_as_importable(make_zip: ZipFactory) -> None:
    layer = read_layer(
        make_zip("native", {"python/fast.cpython-313-x86_64-linux-gnu.so": b"\x7fELF"})
    )
    result = check_stack_imports(
        [layer], modules=["fast", "handler", "absent"], runtime=PY313, code_paths={"handler.py"}
    )
    assert result.problems == (
        "absent: not importable from the stack: no layer in the stack provides it",
    )


def test_the_matrix_is_written_as_json_and_markdown(
    make_zip: ZipFactory, tmp_path: Path, repository: Path
) -> None:
    function = next(f for f in load_functions(repository) if f.name == "label-receipt")
    good = read_layer(
        make_zip(
            "receipt-label-python3.13-x86_64",
            {
                "python/receipt_label/__init__.py": "",
                "python/receipt_label/patterns/__init__.py": "",
            },
        )
    )
    nested = read_layer(
        make_zip(
            "receipt-label-python3.13-arm64",
            {"python/lib/python3.12/site-packages/receipt_label/__init__.py": ""},
        )
    )
    rows = [
        stack_row(
            function=function,
            runtime=PY313,
            architecture=Architecture.X86_64,
            layers=[good],
            code=function.code_directory(repository),
        ),
        stack_row(
            function=function,
            runtime=PY313,
            architecture=Architecture.ARM64,
            layers=[nested],
            code=function.code_directory(repository),
        ),
    ]
    assert [row.passed for row in rows] == [True, False]
    json_path, markdown_path = write_matrix(rows, tmp_path / "out")
    data = json.loads(json_path.read_text())
    assert [stack["passed"] for stack in data["stacks"]] == [True, False]
    assert data["stacks"][1]["results"]["imports"]["problems"]
    markdown = markdown_path.read_text()
    assert "| label-receipt python3.13 x86_64 | receipt-label-python3.13-x86_64.zip | ✓" in markdown
    assert "/opt/python/lib/python3.12/site-packages" in markdown
    assert render_table(rows).row_count == 2
