"""Dates as receipts print them, normalised to ISO `YYYY-MM-DD` (US month-first when ambiguous)."""

from __future__ import annotations

import datetime
import re

from receipt_label.patterns.ocr import fix_digits

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("JAN", "JANUARY"), ("FEB", "FEBRUARY"), ("MAR", "MARCH"), ("APR", "APRIL"), ("MAY",),
         ("JUN", "JUNE"), ("JUL", "JULY"), ("AUG", "AUGUST"), ("SEP", "SEPT", "SEPTEMBER"),
         ("OCT", "OCTOBER"), ("NOV", "NOVEMBER"), ("DEC", "DECEMBER")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))

_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{4}|\d{2})(?!\d)")
_NAME_FIRST = re.compile(rf"\b({_MONTH_NAME})\.?\s+(\d{{1,2}}),?\s+(\d{{4}}|\d{{2}})(?!\d)", re.I)
_DAY_FIRST = re.compile(
    rf"(?<!\d)(\d{{1,2}})[\s\-]+({_MONTH_NAME})\.?[\s\-,]+(\d{{4}}|\d{{2}})(?!\d)", re.I
)


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _candidates(text: str) -> list[tuple[int, int, datetime.date]]:
    found: list[tuple[int, int, datetime.date]] = []
    for match in _ISO.finditer(text):
        value = _date(int(match[1]), int(match[2]), int(match[3]))
        if value:
            found.append((match.start(), match.end(), value))
    for match in _NUMERIC.finditer(text):
        first, second, year = int(match[1]), int(match[2]), _year(match[3])
        value = _date(year, first, second) or _date(year, second, first)
        if value:
            found.append((match.start(), match.end(), value))
    for match in _NAME_FIRST.finditer(text):
        value = _date(_year(match[3]), _MONTHS[match[1].upper()], int(match[2]))
        if value:
            found.append((match.start(), match.end(), value))
    for match in _DAY_FIRST.finditer(text):
        value = _date(_year(match[3]), _MONTHS[match[2].upper()], int(match[1]))
        if value:
            found.append((match.start(), match.end(), value))
    found.sort()
    kept: list[tuple[int, int, datetime.date]] = []
    for start, end, value in found:  # drop matches overlapping an earlier one
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, value))
    return kept


def find_dates(text: str) -> list[tuple[str, datetime.date]]:
    """Every date in `text` as (matched text, date)."""
    repaired = fix_digits(text)
    return [(text[start:end], value) for start, end, value in _candidates(repaired)]


def parse_date(text: str) -> datetime.date | None:
    """The first date in `text`, or None."""
    found = find_dates(text)
    return found[0][1] if found else None
