"""Look-alike keys: only the canonical ASCII text of a key parses (no trailing newline, no
non-ASCII digits), so a look-alike can never be stored beside the key it imitates."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from receipt_label import InvalidIdentifierError
from receipt_label.ids import ParsedKey, line_key, parse_key, receipt_key, word_key

IMAGE = "3f2a9c1e-0b7d-4c3e-9a51-6e2d8f0b1c22"


def _canonical(parsed: ParsedKey) -> str:
    if parsed.line_number is None:
        return receipt_key(parsed.image_id, parsed.receipt_number)
    if parsed.word_number is None:
        return line_key(parsed.image_id, parsed.receipt_number, parsed.line_number)
    return word_key(parsed.image_id, parsed.receipt_number, parsed.line_number, parsed.word_number)


@pytest.mark.parametrize(
    "text",
    [
        word_key(IMAGE, 1, 2, 3) + "\n",
        word_key(IMAGE, 1, 2, 3).replace("00002", "\uff10\uff10\uff1002"),  # full-width digits
        line_key(IMAGE, 1, 2).replace("00001", "\u0660\u0660\u0660\u06601"),  # Arabic-Indic digits
    ],
    ids=["trailing-newline", "full-width", "arabic-indic"],
)
def test_a_look_alike_of_a_key_is_refused(text: str) -> None:
    with pytest.raises(InvalidIdentifierError, match="not a receipt key"):
        parse_key(text)


@given(
    image=st.uuids(),
    numbers=st.tuples(*[st.integers(0, 99_999)] * 3),
    position=st.integers(0, 200),
    character=st.characters(),
    replace=st.booleans(),
)
@example(image=uuid.UUID(IMAGE), numbers=(1, 2, 3), position=999, character="\n", replace=False)
@example(image=uuid.UUID(IMAGE), numbers=(1, 2, 3), position=90, character="\uff15", replace=True)
def test_whatever_parses_is_exactly_its_canonical_text(
    image: uuid.UUID, numbers: tuple[int, int, int], position: int, character: str, replace: bool
) -> None:
    # GIVEN a key with one character inserted or replaced anywhere (any Unicode character)
    key = word_key(str(image), *numbers)
    cut = min(position, len(key))
    text = key[:cut] + character + key[cut + int(replace) :]
    # WHEN parsed THEN it is refused, or it is exactly the key its parts make
    try:
        parsed = parse_key(text)
    except InvalidIdentifierError:
        return
    assert _canonical(parsed) == text
