"""Stack checks over small real zips: each passes a good stack and bites on the fault it names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.layer.checks.size import check_stack_size
from lambda_layers.layer.checks.stack import check_overlaps, check_stack_imports, check_versions
from lambda_layers.layer.contents import read_layer
from lambda_layers.platform.facts import limits, runtime

PY313 = runtime("python3.13")
ZipFactory = Callable[..., Path]


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
