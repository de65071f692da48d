"""North American phone numbers as 10 digits (the index metadata's `normalized_phone`).

A view of `phone_numbers.find_phone_numbers` for the +1 numbering plan: fields read other
countries' numbers from there, in E.164.
"""

from __future__ import annotations

from receipt_label.patterns.phone_numbers import find_phone_numbers

_NORTH_AMERICA = 1


def find_phones(text: str) -> list[tuple[str, str]]:
    """Every North American phone number in `text` as (matched text, 10 digits)."""
    return [
        (text[match.start : match.end].strip(), match.national)
        for match in find_phone_numbers(text, region="US")
        if match.country_code == _NORTH_AMERICA
    ]


def normalize_phone(text: str) -> str | None:
    """The 10 digits of the first North American phone number in `text`, or None."""
    found = find_phones(text)
    return found[0][1] if found else None


def format_phone(digits: str) -> str:
    """`(555) 123-4567` for 10 digits."""
    if len(digits) != 10 or not digits.isdigit():
        raise ValueError(f"{digits!r} is not 10 digits")
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
