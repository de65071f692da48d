"""`load_receipt` as a user calls it: a `str` path, a missing file, a file that is not UTF-8."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from receipt_label import ReceiptFormatError, load_receipt, receipt_to_dict
from receipt_label.plain_text import receipt_from_lines


def test_a_str_path_loads(tmp_path: Path) -> None:
    receipt = receipt_from_lines(["THE STORE", "TOTAL 1.00"])
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(receipt_to_dict(receipt)), encoding="utf-8")
    assert load_receipt(str(path)) == receipt


def test_a_missing_file_is_a_format_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "receipt.json"
    with pytest.raises(ReceiptFormatError) as failure:
        load_receipt(missing)
    assert failure.value.source == str(missing)
    assert "no such file" in failure.value.problem


def test_a_file_that_is_not_utf8_is_a_format_error_naming_it(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"image_id": "café"}'.encode("latin-1"))
    with pytest.raises(ReceiptFormatError) as failure:
        load_receipt(str(latin))
    assert failure.value.source == str(latin)
    assert "not UTF-8" in failure.value.problem
