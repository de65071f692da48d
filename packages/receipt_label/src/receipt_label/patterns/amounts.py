"""Currency amounts as receipts print them: `$12.99`, `RM3.00`, `12,99`, `1,234.56`, `1.50-`,
`(2.00)`, `.56`, and amounts glued to their keyword by OCR (`Total2.67`)."""

from __future__ import annotations

import re
from decimal import Decimal

from receipt_label.patterns.ocr import fix_digits

# A currency prefix that may be glued to the amount: `$`, `RM`, `MYR`, `USD$`.
_CURRENCY = r"(?:US?D?\s?\$|\$|RM|MYR)"
_AMOUNT = re.compile(
    rf"(?<![\d.,])(?P<open>\()?(?P<sign>-)?\s?(?:{_CURRENCY}\s?)?(?P<sign2>-)?"
    r"(?P<whole>\d{1,3}(?:,\d{3})+|\d+)?(?P<sep>[.,])(?P<cents>\d{2})(?![\d%])(?![.,]\d)"
    r"(?P<trail>-)?(?P<close>\))?"
)


def _value(match: re.Match[str]) -> Decimal:
    whole = (match["whole"] or "0").replace(",", "")
    value = Decimal(f"{whole}.{match['cents']}")
    negative = (
        match["sign"] or match["sign2"] or match["trail"] or (match["open"] and match["close"])
    )
    return -value if negative else value


def _is_amount(match: re.Match[str], text: str) -> bool:
    """`.56` and `$.00` are amounts; `,99` and the `.12` of `NO.12` are not."""
    if match["whole"] is not None:
        return True
    before = text[match.start() - 1] if match.start() > 0 else " "
    return match["sep"] == "." and not before.isalnum()


def find_amount_spans(text: str) -> list[tuple[int, int, Decimal]]:
    """Every currency amount in `text` as (start, end, value), in reading order."""
    repaired = fix_digits(text)
    found = []
    for match in _AMOUNT.finditer(repaired):
        if _is_amount(match, repaired):
            start = match.start() + (len(match[0]) - len(match[0].lstrip()))
            found.append((start, match.end(), _value(match)))
    return found


def find_amounts(text: str) -> list[tuple[str, Decimal]]:
    """Every currency amount in `text` as (matched text, value with two decimal places)."""
    return [(text[start:end].strip(), value) for start, end, value in find_amount_spans(text)]


def parse_amount(text: str) -> Decimal | None:
    """The last amount in `text` (receipts print the amount at the right), or None."""
    found = find_amounts(text)
    return found[-1][1] if found else None
