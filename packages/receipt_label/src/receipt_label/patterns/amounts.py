"""Currency amounts as receipts print them: `$12.99`, `$ 12.99`, `12,99`, `1,234.56`, `1.50-`."""

from __future__ import annotations

import re
from decimal import Decimal

from receipt_label.patterns.ocr import fix_digits

_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<open>\()?(?P<sign>-)?\s?\$?\s?(?P<sign2>-)?"
    r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?P<sep>[.,])(?P<cents>\d{2})(?!\d)"
    r"(?P<trail>-)?(?P<close>\))?"
)


def _value(match: re.Match[str]) -> Decimal:
    whole = match["whole"].replace(",", "")
    value = Decimal(f"{whole}.{match['cents']}")
    negative = (
        match["sign"] or match["sign2"] or match["trail"] or (match["open"] and match["close"])
    )
    return -value if negative else value


def find_amounts(text: str) -> list[tuple[str, Decimal]]:
    """Every currency amount in `text` as (matched text, value with two decimal places)."""
    repaired = fix_digits(text)
    return [
        (text[match.start() : match.end()].strip(), _value(match))
        for match in _AMOUNT.finditer(repaired)
    ]


def parse_amount(text: str) -> Decimal | None:
    """The last amount in `text` (receipts print the amount at the right), or None."""
    found = find_amounts(text)
    return found[-1][1] if found else None
