"""The datasets' truth as typed values, read independently of the extractor's own parsers.

Each field's truth is a tuple of accepted values (a field labelled on several boxes may carry
several), or None when the receipt has no truth for it. Text that cannot be read as the field
(an order number labelled as a phone) is `Unreadable`: the receipt is then not scored on it.
WildReceipt dates are read month-first and SROIE dates day-first (each falls back to the other
order when the first is impossible), as the datasets print them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from receipt_label.evaluation.devset import MY, DevReceipt


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Truth text that does not read as the field's kind of value."""

    text: str


Truth = tuple[object, ...] | Unreadable | None

_MONTHS = {
    name: number
    for number, name in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})")
_NAMED_DATE = re.compile(
    r"(?:(?P<d1>\d{1,2})[\s\-]*(?P<m1>[A-Z]{3})[A-Z]*[\s\-]*(?P<y1>\d{4}))"
    r"|(?:(?P<m2>[A-Z]{3})[A-Z]*[\s/]*(?P<d2>\d{1,2})[\s,.'/]*(?P<y2>\d{4}|\d{2}))"
)
_TIME = re.compile(r"(?<!\d)(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?\s*([AP])?", re.IGNORECASE)
_AMOUNT = re.compile(r"(\()?(-)?\$?(\d[\d,]*)?\.(\d{2})\)?(-)?")
_NANP = re.compile(r"(?<!\d)1?\W{0,2}\(?(\d{3})\)?\W{0,2}(\d{3})\W{0,2}(\d{4})(?!\d)")


def _values(raw: object) -> list[str]:
    if raw is None:
        return []
    return [str(item) for item in raw] if isinstance(raw, list) else [str(raw)]


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def read_date(text: str, *, day_first: bool) -> datetime.date | None:
    upper = text.upper()
    named = _NAMED_DATE.search(upper)
    if named and (named["m1"] or named["m2"]) in _MONTHS:
        month = _MONTHS[named["m1"] or named["m2"]]
        return _date(_year(named["y1"] or named["y2"]), month, int(named["d1"] or named["d2"]))
    numeric = _NUMERIC_DATE.search(upper)
    if numeric is None:
        return None
    first, second, third = numeric.groups()
    if len(first) == 4:
        return _date(int(first), int(second), int(third))
    if len(third) == 3:
        return None
    year = _year(third[:4])
    day, month = (int(first), int(second)) if day_first else (int(second), int(first))
    return _date(year, month, day) or _date(year, day, month)


def read_time(text: str) -> datetime.time | None:
    found = _TIME.search(text)
    if found is None:
        return None
    hour, minute, meridiem = int(found[1]), int(found[2]), (found[3] or "").upper()
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "P" else 0)
    return datetime.time(hour, minute) if hour < 24 and minute < 60 else None


def read_amount(text: str) -> Decimal | None:
    matches = list(_AMOUNT.finditer(text.replace(" ", "")))
    if not matches:
        return None
    opened, sign, whole, cents, trailing = matches[-1].groups()
    value = Decimal(f"{(whole or '0').replace(',', '')}.{cents}")
    return -value if (sign or trailing or opened) else value


def read_phone(text: str) -> str | None:
    """The 10 digits of a North American number in `text`."""
    for found in _NANP.finditer(text):
        if found[1][0] not in "01":
            return "".join(found.groups())
    return None


def _read_all(raw: object, reader: Any) -> Truth:
    texts = _values(raw)
    if not texts:
        return None
    values = tuple(value for value in (reader(text) for text in texts) if value is not None)
    return values or Unreadable(" | ".join(texts))


def truth_of(receipt: DevReceipt) -> dict[str, Truth]:
    """Every scored field's truth for `receipt`."""
    raw: Mapping[str, Any] = receipt.truth
    day_first = receipt.group == MY
    merchant = raw.get("company", raw.get("merchant"))
    return {
        "merchant_name": tuple(_values(merchant)) or None,
        "address": tuple(_values(raw.get("address"))) or None,
        "phone": _read_all(raw.get("phone"), read_phone),
        "date": _read_all(raw.get("date"), lambda text: read_date(text, day_first=day_first)),
        "time": _read_all(raw.get("time"), read_time),
        "subtotal": _read_all(raw.get("subtotal"), read_amount),
        "tax": _read_all(raw.get("tax"), read_amount),
        "tip": _read_all(raw.get("tips"), read_amount),
        "total": _read_all(raw.get("total"), read_amount),
    }
