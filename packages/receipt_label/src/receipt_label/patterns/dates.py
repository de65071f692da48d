"""Dates as receipts print them, normalised to ISO `YYYY-MM-DD`.

Numeric dates are read month-first (`03/04/24` is March 4) unless `day_first` is set; either way
the other order is used when the first is impossible (`31/12/2023`). Month names may be glued to
their numbers as OCR without spaces prints them (`Aug262017`, `Dec26'07`, `JUL09,2008`). A number
pair without a year (`6/7-6/13`) is not a date.
"""

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
# A four-digit year may run into the time that follows it (`4/4/20127:33AM`).
_YEAR = r"(\d{4}(?=\d{1,2}:\d{2})|(?:\d{4}|\d{2})(?!\d))"

_ISO = re.compile(r"(?<![\d/.\-])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_NUMERIC = re.compile(rf"(?<![\d/.\-])(\d{{1,2}})\s?([-/.])\s?(\d{{1,2}})\s?\2\s?{_YEAR}")
_NAME_FIRST = re.compile(
    rf"(?<![A-Z])({_MONTH_NAME})(?![A-Z])\.?[\s/\-]*(\d{{1,2}})(?:ST|ND|RD|TH)?"
    r"(?:([\s,.'/\-]+)|(?=\d{4}))'?(\d{4}|\d{2})(?!\d)",
    re.I,
)
_DAY_FIRST = re.compile(
    rf"(?<!\d)(\d{{1,2}})[\s\-/]*({_MONTH_NAME})(?![A-Z])\.?[\s\-,/']*{_YEAR}", re.I
)


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _spans(text: str, day_first: bool) -> list[tuple[int, int, datetime.date]]:
    found: list[tuple[int, int, datetime.date]] = []

    def add(match: re.Match[str], value: datetime.date | None) -> None:
        if value:
            found.append((match.start(), match.end(), value))

    for match in _ISO.finditer(text):
        add(match, _date(int(match[1]), int(match[3]), int(match[4])))
    for match in _NUMERIC.finditer(text):
        first, second, year = int(match[1]), int(match[3]), _year(match[4])
        month, day = (second, first) if day_first else (first, second)
        add(match, _date(year, month, day) or _date(year, day, month))
    for match in _NAME_FIRST.finditer(text):
        add(match, _date(_year(match[4]), _MONTHS[match[1].upper()], int(match[2])))
    for match in _DAY_FIRST.finditer(text):
        add(match, _date(_year(match[3]), _MONTHS[match[2].upper()], int(match[1])))
    found.sort()
    kept: list[tuple[int, int, datetime.date]] = []
    for start, end, value in found:  # drop matches overlapping an earlier one
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, value))
    return kept


def find_date_spans(text: str, *, day_first: bool = False) -> list[tuple[int, int, datetime.date]]:
    """Every date in `text` as (start, end, date), in reading order."""
    return _spans(fix_digits(text), day_first)


def find_dates(text: str, *, day_first: bool = False) -> list[tuple[str, datetime.date]]:
    """Every date in `text` as (matched text, date)."""
    return [
        (text[start:end], value) for start, end, value in find_date_spans(text, day_first=day_first)
    ]


def parse_date(text: str, *, day_first: bool = False) -> datetime.date | None:
    """The first date in `text`, or None."""
    found = find_dates(text, day_first=day_first)
    return found[0][1] if found else None
