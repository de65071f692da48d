"""Stable identifiers: `IMAGE#<uuid>#RECEIPT#<5 digits>#LINE#<5 digits>[#WORD#<5 digits>]`."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from receipt_label.errors import InvalidIdentifierError

# fullmatch with ASCII classes: no trailing newline ($), no non-ASCII digits (\d) in a key
_PATTERN = re.compile(
    r"IMAGE#(?P<image>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"#RECEIPT#(?P<receipt>[0-9]{5})"
    r"(?:#LINE#(?P<line>[0-9]{5})(?:#WORD#(?P<word>[0-9]{5}))?)?"
)
_MAX_NUMBER = 99_999


def _number(value: int, what: str) -> str:
    if not 0 <= value <= _MAX_NUMBER:
        raise InvalidIdentifierError(f"{what} number {value} is outside 0..{_MAX_NUMBER}")
    return f"{value:05d}"


def _image(image_id: str) -> str:
    try:
        return str(uuid.UUID(image_id))
    except ValueError:
        raise InvalidIdentifierError(f"image id {image_id!r} is not a UUID") from None


def receipt_key(image_id: str, receipt_number: int) -> str:
    return f"IMAGE#{_image(image_id)}#RECEIPT#{_number(receipt_number, 'receipt')}"


def line_key(image_id: str, receipt_number: int, line_number: int) -> str:
    return f"{receipt_key(image_id, receipt_number)}#LINE#{_number(line_number, 'line')}"


def word_key(image_id: str, receipt_number: int, line_number: int, word_number: int) -> str:
    line = line_key(image_id, receipt_number, line_number)
    return f"{line}#WORD#{_number(word_number, 'word')}"


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedKey:
    """The parts of a receipt, line or word key."""

    image_id: str
    receipt_number: int
    line_number: int | None = None
    word_number: int | None = None

    @property
    def receipt_key(self) -> str:
        return receipt_key(self.image_id, self.receipt_number)


def parse_key(text: str) -> ParsedKey:
    """Split a key into its parts, or raise InvalidIdentifierError showing the expected shape."""
    found = _PATTERN.fullmatch(text)
    if found is None:
        raise InvalidIdentifierError(
            f"{text!r} is not a receipt key: expected "
            "IMAGE#<uuid>#RECEIPT#<5 digits>[#LINE#<5 digits>[#WORD#<5 digits>]] "
            "(lower-case UUID, zero-padded numbers)"
        )
    line, word = found["line"], found["word"]
    return ParsedKey(
        image_id=found["image"],
        receipt_number=int(found["receipt"]),
        line_number=int(line) if line is not None else None,
        word_number=int(word) if word is not None else None,
    )
