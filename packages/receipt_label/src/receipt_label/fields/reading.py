"""What a row says: its keyword letters, its amounts, dates and times, with their word IDs."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from receipt_label.layout import Row
from receipt_label.patterns.amounts import find_amount_spans
from receipt_label.patterns.dates import find_date_spans
from receipt_label.patterns.times import find_time_spans

_NOT_LETTER = re.compile(r"[^A-Z]")


def letters(text: str) -> str:
    """Upper-case letters only: keywords read the same with or without OCR's spaces
    (`GRAND TOTAL`, `GrandTotal`, `Sub.Total:` -> `GRANDTOTAL`, `SUBTOTAL`)."""
    return _NOT_LETTER.sub("", text.upper())


@dataclass(frozen=True, slots=True, kw_only=True)
class Found:
    """A value read from characters start..end of a row."""

    row: Row
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.row.text[self.start : self.end]

    @property
    def word_ids(self) -> tuple[str, ...]:
        return self.row.word_ids(self.start, self.end)


@dataclass(frozen=True, slots=True, kw_only=True)
class Amount(Found):
    value: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class DateFound(Found):
    value: datetime.date


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeFound(Found):
    value: datetime.time


def amounts_on(row: Row) -> list[Amount]:
    return [
        Amount(row=row, start=start, end=end, value=value)
        for start, end, value in find_amount_spans(row.text)
    ]


def dates_on(row: Row, *, day_first: bool) -> list[DateFound]:
    return [
        DateFound(row=row, start=start, end=end, value=value)
        for start, end, value in find_date_spans(row.text, day_first=day_first)
    ]


def times_on(row: Row) -> list[TimeFound]:
    return [
        TimeFound(row=row, start=start, end=end, value=datetime.time.fromisoformat(value))
        for start, end, value in find_time_spans(row.text)
    ]


def is_bare_amount_row(row: Row) -> bool:
    """A row holding amounts and nothing else but currency marks (`$29.21`, `RM 50.00`)."""
    found = amounts_on(row)
    if not found:
        return False
    rest = row.text
    for amount in reversed(found):
        rest = rest[: amount.start] + rest[amount.end :]
    return letters(rest) in {"", "RM", "MYR", "USD", "CAD"}
