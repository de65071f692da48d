"""North American phone numbers, normalised to 10 digits."""

from __future__ import annotations

import re

from receipt_label.patterns.ocr import fix_digits

# Optional +1 / 1, then 3-3-4 digits separated by spaces, dots, dashes or a parenthesised area code.
_PHONE = re.compile(
    r"(?<![\d])(?:\+?1[\s.\-]*)?\(?\s*(\d{3})\s*\)?[\s.\-]*(\d{3})[\s.\-]*(\d{4})(?![\d])"
)


def normalize_phone(text: str) -> str | None:
    """The 10 digits of the first phone number in `text`, or None."""
    found = _PHONE.search(fix_digits(text))
    if found is None:
        return None
    digits = "".join(found.groups())
    if digits[0] in "01":  # area codes never start with 0 or 1
        return None
    return digits


def find_phones(text: str) -> list[tuple[str, str]]:
    """Every phone number in `text` as (matched text, 10 digits)."""
    repaired = fix_digits(text)
    found = []
    for match in _PHONE.finditer(repaired):
        digits = "".join(match.groups())
        if digits[0] not in "01":
            found.append((text[match.start() : match.end()].strip(), digits))
    return found


def format_phone(digits: str) -> str:
    """`(555) 123-4567` for 10 digits."""
    if len(digits) != 10 or not digits.isdigit():
        raise ValueError(f"{digits!r} is not 10 digits")
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
