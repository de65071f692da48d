"""Phone numbers of any country, located in OCR text and read with `phonenumbers`.

A phone number is a run of digit groups (`(604)278-1669`, `03-3362 4395`, `+6012-918 7937`,
`CALL8007055754or`). Runs can hold more than the number (`2014 (800)275-8777 02` where a date and
a time touch it), so every window of consecutive groups is tried with the numbering plan of the
receipt's region, and the longest window that is a possible number wins.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from receipt_label.patterns.ocr import fix_digits

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

_GROUPS = re.compile(r"\+?\(?\d+\)?(?:[ .\-]{0,2}\(?\d+\)?)*")
_GROUP = re.compile(r"\+?\(?\d+\)?")
_MIN_DIGITS, _MAX_DIGITS = 7, 13


@dataclass(frozen=True, slots=True, kw_only=True)
class PhoneMatch:
    """A phone number found in text: where it is, and the number in E.164 and national form."""

    start: int
    end: int
    e164: str
    national: str
    country_code: int
    valid: bool
    formatted: bool  # printed with separators or a + (not a bare run of digits)


@functools.cache
def _library() -> ModuleType:
    """`phonenumbers`, imported on first use: `import receipt_label` stays cheap (cold starts)."""
    import phonenumbers

    return phonenumbers


def _read(text: str, region: str) -> PhoneNumber | None:
    phonenumbers = _library()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def _nanp_shape(number: PhoneNumber) -> bool:
    """North American area codes and exchanges never start with 0 or 1."""
    national = str(number.national_number)
    return number.country_code != 1 or (
        len(national) == 10 and national[0] not in "01" and national[3] not in "01"
    )


def _grouped_as_printed(window: str, number: PhoneNumber) -> bool:
    """The window's digit groups are the number's own (`(800)275-8777`), not a date's tail
    joined to a number's head (`2014 (800)275`); a single run of digits always qualifies."""
    phonenumbers = _library()
    printed = [len(group) for group in re.findall(r"\d+", window)]
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    expected = [len(group) for group in re.findall(r"\d+", national)]
    return len(printed) == 1 or printed in (expected, [len(str(number.country_code)), *expected])


def _best_window(text: str, offset: int, region: str) -> PhoneMatch | None:
    phonenumbers = _library()
    groups = [(m.start() + offset, m.end() + offset) for m in _GROUP.finditer(text)]
    best: PhoneMatch | None = None
    best_key = (False, 0, False)
    for first in range(len(groups)):
        for last in range(first, len(groups)):
            start, end = groups[first][0], groups[last][1]
            window = text[start - offset : end - offset]
            digits = sum(character.isdigit() for character in window)
            if not _MIN_DIGITS <= digits <= _MAX_DIGITS:
                continue
            number = _read(window, region)
            if number is None or not _nanp_shape(number):
                continue
            found = PhoneMatch(
                start=start,
                end=end,
                e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
                national=str(number.national_number),
                country_code=number.country_code or 0,
                valid=phonenumbers.is_valid_number(number),
                formatted=not window.isdigit(),
            )
            key = (found.valid, digits, _grouped_as_printed(window, number))
            if best is None or key > best_key:
                best, best_key = found, key
    return best


def find_phone_numbers(text: str, *, region: str = "US") -> list[PhoneMatch]:
    """Every phone number in `text`, read with the numbering plan of `region` (ISO 3166)."""
    repaired = fix_digits(text)
    found = []
    for run in _GROUPS.finditer(repaired):
        if run.start() > 0 and repaired[run.start() - 1].isdigit():
            continue
        match = _best_window(run.group(0), run.start(), region)
        if match is not None:
            found.append(match)
    return found
