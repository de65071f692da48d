"""Load receipts from JSON. Every problem names the source and the field path (`lines[2].text`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from receipt_label.errors import InvalidIdentifierError, ReceiptFormatError
from receipt_label.ids import receipt_key
from receipt_label.labels import Label, parse_label
from receipt_label.model import BoundingBox, Line, Receipt, Word, WordLabels


class _Reader:
    """Typed access to one JSON document, raising ReceiptFormatError with the path on failure."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, problem: str) -> ReceiptFormatError:
        return ReceiptFormatError(source=self.source, field=path, problem=problem)

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected an object, found {type(value).__name__}")
        return value

    def required(self, data: Mapping[str, Any], key: str, path: str) -> object:
        if key not in data:
            raise self.fail(f"{path}{key}", "is missing")
        return data[key]

    def text(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = self.required(data, key, path)
        if not isinstance(value, str):
            raise self.fail(f"{path}{key}", f"expected a string, found {value!r}")
        return value

    def integer(self, data: Mapping[str, Any], key: str, path: str) -> int:
        value = self.required(data, key, path)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"{path}{key}", f"expected a whole number >= 0, found {value!r}")
        return value

    def fraction(self, data: Mapping[str, Any], key: str, path: str) -> float:
        value = self.required(data, key, path)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.fail(f"{path}{key}", f"expected a number in 0..1, found {value!r}")
        return float(value)

    def sequence(self, data: Mapping[str, Any], key: str, path: str) -> Sequence[object]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{path}{key}", f"expected a list, found {type(value).__name__}")
        return value

    def box(self, data: Mapping[str, Any], path: str) -> BoundingBox:
        box_path = f"{path}bounding_box"
        raw = self.mapping(self.required(data, "bounding_box", path), box_path)
        values = {name: self.fraction(raw, name, f"{box_path}.") for name in _BOX_FIELDS}
        return BoundingBox(**values)

    def labels(self, data: Mapping[str, Any], key: str, path: str) -> frozenset[Label]:
        found: set[Label] = set()
        for index, item in enumerate(self.sequence(data, key, path)):
            found.add(self.label(item, f"{path}{key}[{index}]"))
        return frozenset(found)

    def label(self, value: object, path: str) -> Label:
        if not isinstance(value, str):
            raise self.fail(path, f"expected a label name, found {value!r}")
        try:
            return parse_label(value)
        except ValueError as error:
            raise self.fail(path, str(error)) from None


_BOX_FIELDS = ("x", "y", "width", "height")


def _word(reader: _Reader, raw: object, path: str) -> Word:
    data = reader.mapping(raw, path)
    proposed = data.get("proposed_label")
    labels = WordLabels(
        valid=reader.labels(data, "valid_labels", f"{path}."),
        invalid=reader.labels(data, "invalid_labels", f"{path}."),
        proposed=reader.label(proposed, f"{path}.proposed_label") if proposed else None,
    )
    return Word(
        word_number=reader.integer(data, "word_number", f"{path}."),
        text=reader.text(data, "text", f"{path}."),
        bounding_box=reader.box(data, f"{path}."),
        confidence=reader.fraction(data, "confidence", f"{path}."),
        labels=labels,
    )


def _line(reader: _Reader, raw: object, path: str) -> Line:
    data = reader.mapping(raw, path)
    words = tuple(
        _word(reader, item, f"{path}.words[{index}]")
        for index, item in enumerate(reader.sequence(data, "words", f"{path}."))
    )
    return Line(
        line_number=reader.integer(data, "line_number", f"{path}."),
        text=reader.text(data, "text", f"{path}."),
        bounding_box=reader.box(data, f"{path}."),
        confidence=reader.fraction(data, "confidence", f"{path}."),
        words=words,
    )


def receipt_from_dict(data: object, *, source: str = "<receipt>") -> Receipt:
    """Build a Receipt from parsed JSON; `source` names the input in error messages."""
    reader = _Reader(source)
    document = reader.mapping(data, "(document)")
    image_id = reader.text(document, "image_id", "")
    receipt_number = reader.integer(document, "receipt_number", "")
    try:
        receipt_key(image_id, receipt_number)
    except InvalidIdentifierError as error:
        raise reader.fail("image_id", str(error)) from None
    lines = tuple(
        _line(reader, item, f"lines[{index}]")
        for index, item in enumerate(reader.sequence(document, "lines", ""))
    )
    merchant = document.get("merchant_name", "")
    if not isinstance(merchant, str):
        raise reader.fail("merchant_name", f"expected a string, found {merchant!r}")
    return Receipt(
        image_id=image_id,
        receipt_number=receipt_number,
        merchant_name=merchant.strip().upper(),
        lines=lines,
    )


def _read_text(path: Path) -> str:
    """The file's text, or ReceiptFormatError naming the file and what to check."""

    def fail(problem: str) -> ReceiptFormatError:
        return ReceiptFormatError(source=str(path), field="(document)", problem=problem)

    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail("no such file: check the path") from None
    except IsADirectoryError:
        raise fail("is a directory, not a receipt JSON file") from None
    except PermissionError:
        raise fail("cannot be read: permission denied") from None
    except UnicodeDecodeError as error:
        raise fail(f"not UTF-8 text (byte {error.start}): save the receipt JSON as UTF-8") from None


def load_receipt(path: str | Path) -> Receipt:
    """Read one receipt from a JSON file (UTF-8)."""
    path = Path(path)
    try:
        data = json.loads(_read_text(path))
    except json.JSONDecodeError as error:
        raise ReceiptFormatError(
            source=str(path), field="(document)", problem=f"not valid JSON: {error}"
        ) from None
    return receipt_from_dict(data, source=str(path))


def receipt_to_dict(receipt: Receipt) -> dict[str, Any]:
    """The JSON form `receipt_from_dict` reads back."""

    def box(value: BoundingBox) -> dict[str, float]:
        return {name: getattr(value, name) for name in _BOX_FIELDS}

    return {
        "image_id": receipt.image_id,
        "receipt_number": receipt.receipt_number,
        "merchant_name": receipt.merchant_name,
        "lines": [
            {
                "line_number": line.line_number,
                "text": line.text,
                "bounding_box": box(line.bounding_box),
                "confidence": line.confidence,
                "words": [
                    {
                        "word_number": word.word_number,
                        "text": word.text,
                        "bounding_box": box(word.bounding_box),
                        "confidence": word.confidence,
                        "valid_labels": sorted(word.labels.valid),
                        "invalid_labels": sorted(word.labels.invalid),
                        "proposed_label": word.labels.proposed,
                    }
                    for word in line.words
                ],
            }
            for line in receipt.lines
        ],
    }
