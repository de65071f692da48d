"""Judging a function's responses, and reading what the Runtime API reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda_layers.base.errors import ContainerError
from lambda_layers.layer.functions import load_functions
from lambda_layers.run.records import Invocation, parse_records
from lambda_layers.run.smoke import differences, judge


def test_expectations_compare_objects_key_by_key_and_the_rest_exactly() -> None:
    actual = {"a": {"b": 1, "c": [1, 2]}, "d": {}, "e": "x"}
    assert differences({"a": {"b": 1}}, actual) == []
    assert differences({"a": {"c": [1]}}, actual) == ["response.a.c: expected [1], got [1, 2]"]
    assert differences({"d": {}}, actual) == []
    assert differences({"a": {}}, actual) == [
        "response.a: expected an empty object, got {'b': 1, 'c': [1, 2]}"
    ]
    assert differences({"z": 1}, actual) == ["response.z: missing"]


def test_an_expected_error_must_be_that_error(repository: Path) -> None:
    spec = next(f for f in load_functions(repository) if f.name == "label-receipt")
    malformed = next(event for event in spec.events if event.expect_error)
    failed = Invocation(name="m", ok=False, error={"errorType": "ReceiptFormatError"})
    assert judge(malformed, failed) == []
    other = Invocation(name="m", ok=False, error={"errorType": "KeyError", "errorMessage": "k"})
    assert judge(malformed, other) == ["expected error ReceiptFormatError, got KeyError: k"]
    assert judge(malformed, Invocation(name="m", ok=True, response={}))


def test_output_without_a_summary_is_a_clear_error() -> None:

    with pytest.raises(ContainerError, match=r"(?s)ended without its summary.*exec format error"):
        parse_records("exec /var/lang/bin/python3: exec format error\n", source="demo")
