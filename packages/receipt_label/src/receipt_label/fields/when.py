"""The date and time of the sale.

A receipt prints other dates and times too: an expiry, a delivery estimate, a birth date,
opening hours. Those rows are set aside; among the rest, a date next to a time or a `DATE`
keyword comes first, then the earliest. Ambiguous numeric dates (`04/05/18`) follow the receipt's
own unambiguous dates when it prints one (`25/12/2018` settles day-first), else the locale.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence

from receipt_label.fields.locales import Locale
from receipt_label.fields.model import Candidate, Extracted
from receipt_label.fields.reading import DateFound, TimeFound, dates_on, letters, times_on
from receipt_label.layout import Row

_NOT_SALE_DATE = re.compile(r"BIRTH|EXPIR|EXP(?:DATE)?$|VALID|DELIVERY|BEFORE|UNTIL|DUE(?!TOTAL)")
# A check is opened, then settled: the settled (closed, paid) time is the sale's.
_SETTLED = re.compile(r"SETTLED|CLOSED|PAID")
_OPENED = re.compile(r"CREATED|OPENED|START")
_HOURS = re.compile(r"OPEN|HOURS|DAILY|CLOSE[DS]?(?:AT)?$|MONSUN|MONFRI|MONSAT")
_EARLIEST, _LATEST_AHEAD = 1990, 1  # a sale date lies in 1990 .. next year
_NUMERIC_DAY_MONTH = re.compile(r"(?<![\d/.\-])(\d{1,2})([-/.])(\d{1,2})\2\d{2,4}(?!\d)")


def _day_first(rows: Sequence[Row], locale: Locale) -> tuple[bool, str]:
    """The receipt's own date order when one of its dates settles it, else the locale's."""
    for row in rows:
        for match in _NUMERIC_DAY_MONTH.finditer(row.text):
            first, second = int(match[1]), int(match[3])
            if first > 12 >= second >= 1:
                return True, f"{match[0]!r} on the receipt is day-first"
            if second > 12 >= first >= 1:
                return False, f"{match[0]!r} on the receipt is month-first"
    order = "day-first" if locale.day_first else "month-first"
    return locale.day_first, f"{locale.country} dates read {order}"


def _candidate(found: DateFound | TimeFound, reason: str) -> Candidate[object]:
    return Candidate(value=found.value, text=found.row.text, word_ids=found.word_ids, reason=reason)


def read_date(rows: Sequence[Row], locale: Locale) -> Extracted[datetime.date]:
    day_first, order_reason = _day_first(rows, locale)
    latest = datetime.date.today().year + _LATEST_AHEAD
    kept: list[tuple[int, int, DateFound]] = []
    rejected: list[Candidate[datetime.date]] = []
    for row in rows:
        label = letters(row.text)
        found = dates_on(row, day_first=day_first)
        for date in found:
            why = None
            if _NOT_SALE_DATE.search(letters(row.text[: date.start])) or _NOT_SALE_DATE.search(
                label
            ):
                why = "on an expiry, delivery or birth-date row"
            elif not _EARLIEST <= date.value.year <= latest:
                why = f"year {date.value.year} is not a sale's"
            if why:
                rejected.append(
                    Candidate(value=date.value, text=row.text, word_ids=date.word_ids, reason=why)
                )
                continue
            score = (2 if "DATE" in label else 0) + (1 if times_on(row) else 0)
            kept.append((score, row.index, date))
    if not kept:
        return Extracted.missing("no sale date on the receipt", tuple(rejected))
    kept.sort(key=lambda entry: (-entry[0], entry[1]))
    _, _, best = kept[0]
    hints = []
    if "DATE" in letters(best.row.text):
        hints.append("a DATE keyword")
    if times_on(best.row):
        hints.append("a time")
    reason = "the first date" + (f" on a row with {' and '.join(hints)}" if hints else "")
    chosen = Candidate(
        value=best.value,
        text=best.row.text,
        word_ids=best.word_ids,
        reason=f"{reason}; {order_reason}",
    )
    others = tuple(
        Candidate(
            value=date.value,
            text=date.row.text,
            word_ids=date.word_ids,
            reason="a later or less marked date",
        )
        for _, _, date in kept[1:]
        if date.value != best.value
    )
    return Extracted.chosen(chosen, others + tuple(rejected))


def read_time(rows: Sequence[Row], date: Extracted[datetime.date]) -> Extracted[datetime.time]:
    kept: list[tuple[int, int, TimeFound]] = []
    rejected: list[Candidate[datetime.time]] = []
    for row in rows:
        found = times_on(row)
        if not found:
            continue
        label = letters(row.text)
        if _HOURS.search(label) or (len(found) > 1 and re.search(r"\d\s*-\s*\d", row.text)):
            rejected += [
                Candidate(
                    value=time.value, text=row.text, word_ids=time.word_ids, reason="opening hours"
                )
                for time in found
            ]
            continue
        on_date_row = (
            date.value is not None
            and any(found.value == date.value for found in dates_on(row, day_first=False))
        ) or bool(set(date.word_ids) & set(row.word_ids()))
        for time in found:
            score = (2 if on_date_row else 0) + (1 if "TIME" in label else 0)
            score += 1 if _SETTLED.search(label) else -1 if _OPENED.search(label) else 0
            kept.append((score, row.index, time))
    if not kept:
        return Extracted.missing("no time of day on the receipt", tuple(rejected))
    kept.sort(key=lambda entry: (-entry[0], entry[1]))
    score, _, best = kept[0]
    reason = "the first time" + (" on the date's row" if score >= 2 else "")
    chosen = Candidate(value=best.value, text=best.row.text, word_ids=best.word_ids, reason=reason)
    others = tuple(
        Candidate(
            value=time.value, text=time.row.text, word_ids=time.word_ids, reason="a later time"
        )
        for _, _, time in kept[1:]
        if time.value != best.value
    )
    return Extracted.chosen(chosen, others + tuple(rejected))
