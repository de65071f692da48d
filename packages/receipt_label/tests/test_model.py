"""IDs, the receipt model, JSON loading and its errors."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from receipt_label import (
    InvalidIdentifierError,
    Label,
    Receipt,
    ReceiptFormatError,
    load_receipt,
    receipt_from_dict,
    receipt_to_dict,
)
from receipt_label.ids import line_key, parse_key, receipt_key, word_key
from receipt_label.labels import parse_label

IMAGE = "3f2a9c1e-0b7d-4c3e-9a51-6e2d8f0b1c22"


def test_keys_have_the_documented_shape() -> None:
    assert receipt_key(IMAGE, 1) == f"IMAGE#{IMAGE}#RECEIPT#00001"
    assert line_key(IMAGE, 1, 12) == f"IMAGE#{IMAGE}#RECEIPT#00001#LINE#00012"
    assert word_key(IMAGE, 1, 12, 3) == f"IMAGE#{IMAGE}#RECEIPT#00001#LINE#00012#WORD#00003"


@given(
    st.uuids(),
    st.integers(0, 99_999),
    st.integers(0, 99_999),
    st.integers(0, 99_999),
)
def test_keys_parse_back_to_their_parts(
    image: uuid.UUID, receipt: int, line: int, word: int
) -> None:
    parsed = parse_key(word_key(str(image), receipt, line, word))
    assert (parsed.image_id, parsed.receipt_number, parsed.line_number, parsed.word_number) == (
        str(image),
        receipt,
        line,
        word,
    )
    assert parsed.receipt_key == receipt_key(str(image), receipt)


@pytest.mark.parametrize(
    "text",
    [
        f"IMAGE#{IMAGE}#RECEIPT#1",
        f"IMAGE#{IMAGE.upper()}#RECEIPT#00001",
        f"IMAGE#{IMAGE}#RECEIPT#00001#WORD#00001",
        "RECEIPT#00001",
    ],
)
def test_malformed_keys_are_refused_with_the_expected_shape(text: str) -> None:
    with pytest.raises(InvalidIdentifierError, match=r"IMAGE#<uuid>#RECEIPT#<5 digits>"):
        parse_key(text)


def test_numbers_beyond_five_digits_and_bad_uuids_are_refused() -> None:
    with pytest.raises(InvalidIdentifierError, match="outside"):
        line_key(IMAGE, 1, 100_000)
    with pytest.raises(InvalidIdentifierError, match="not a UUID"):
        receipt_key("not-a-uuid", 1)


def test_label_names_parse_case_insensitively_and_unknown_ones_list_the_taxonomy() -> None:
    assert parse_label(" grand_total ") is Label.GRAND_TOTAL
    assert len(Label) == 18
    with pytest.raises(ValueError, match="MERCHANT_NAME, STORE_HOURS"):
        parse_label("TOTAL")


def test_fixture_receipts_round_trip_through_json(history: list[Receipt]) -> None:
    for receipt in history:
        again = receipt_from_dict(json.loads(json.dumps(receipt_to_dict(receipt))))
        assert again == receipt


def test_receipt_words_carry_ids_and_labels(history: list[Receipt]) -> None:
    receipt = history[0]
    line, word = next(receipt.words())
    assert receipt.word_id(line, word).startswith(receipt.key + "#LINE#")
    assert word.labels.status in {"validated", "unlabeled"}
    assert any(w.labels.valid for _, w in receipt.words())


def _document() -> dict[str, object]:
    box = {"x": 0.1, "y": 0.1, "width": 0.2, "height": 0.02}
    word = {"word_number": 0, "text": "TOTAL", "bounding_box": box, "confidence": 0.9}
    line = {"line_number": 0, "text": "TOTAL", "bounding_box": box, "confidence": 0.9}
    return {"image_id": IMAGE, "receipt_number": 1, "lines": [{**line, "words": [word]}]}


@pytest.mark.parametrize(
    ("path", "value", "field", "problem"),
    [
        (("lines", 0, "words", 0, "bounding_box", "x"), 1.5, "lines[0].words[0].bounding_box.x",
         "0..1"),
        (("lines", 0, "words", 0, "valid_labels"), ["TOTAL"], "lines[0].words[0].valid_labels[0]",
         "unknown label"),
        (("lines", 0, "text"), 7, "lines[0].text", "expected a string"),
        (("lines", 0, "line_number"), -1, "lines[0].line_number", "whole number"),
        (("image_id",), "nope", "image_id", "not a UUID"),
    ],
)  # fmt: skip
def test_errors_name_the_source_and_field(
    path: tuple[object, ...], value: object, field: str, problem: str
) -> None:
    document = _document()
    target: object = document
    for step in path[:-1]:
        target = target[step]  # type: ignore[index]
    target[path[-1]] = value  # type: ignore[index]
    with pytest.raises(ReceiptFormatError) as failure:
        receipt_from_dict(document, source="upload-7.json")
    assert failure.value.field == field
    assert str(failure.value).startswith("upload-7.json: field")
    assert problem in str(failure.value)


def test_a_missing_field_and_broken_json_are_named(tmp_path: Path) -> None:
    document = _document()
    del document["receipt_number"]
    with pytest.raises(ReceiptFormatError, match="'receipt_number': is missing"):
        receipt_from_dict(document, source="x.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ReceiptFormatError, match=r"broken\.json.*not valid JSON"):
        load_receipt(broken)
