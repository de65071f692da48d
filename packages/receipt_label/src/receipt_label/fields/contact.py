"""The merchant's phone number, in E.164 for the receipt's country.

The first number on the receipt is the store's far more often than not; a fax number, a number
on a tax-registration row, and bare digit runs below the header (terminal IDs, card data) are not
phone numbers. An invalid number (an unassigned area code) still counts when it is printed as a
phone, with separators or a `TEL` keyword.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from receipt_label.fields.locales import Locale
from receipt_label.fields.model import Candidate, Extracted
from receipt_label.fields.reading import amounts_on, letters
from receipt_label.layout import Row
from receipt_label.patterns.phone_numbers import PhoneMatch, find_phone_numbers

_PHONE_KEYWORD = re.compile(r"TEL|PHONE|PH$|CALL|HP$|MOBILE|CONTACT|OUTLET")
_FAX = re.compile(r"(?<!TEL)FAX(?:NO)?$")
_NOT_PHONE_ROW = re.compile(r"GST|REG(?:NO|ISTRATION)|INVOICE|ACCT|ACCOUNT|CARD|AUTH|TERMINAL|MEMBER|TVR")


def header_end(rows: Sequence[Row]) -> int:
    """Index of the first row with an amount: the rows above it are the receipt's header."""
    return next((row.index for row in rows if amounts_on(row)), len(rows))


def _why_not(match: PhoneMatch, row: Row, in_header: bool) -> str | None:
    before = letters(row.text[: match.start])
    whole = letters(row.text)
    keyword = bool(_PHONE_KEYWORD.search(before[-12:]))
    if _FAX.search(before):
        return "a fax number"
    if _NOT_PHONE_ROW.search(whole) and not _PHONE_KEYWORD.search(whole):
        return "on a registration, card or terminal row"
    if not match.valid and not (match.formatted and (keyword or in_header)):
        return "not a valid number for the country"
    if not match.formatted and not keyword and not in_header:
        return "a bare digit run below the header"
    return None


def read_phone(rows: Sequence[Row], locale: Locale) -> Extracted[str]:
    end = header_end(rows)
    rejected: list[Candidate[str]] = []
    for row in rows:
        for match in find_phone_numbers(row.text, region=locale.country):
            text = row.text[match.start : match.end]
            why = _why_not(match, row, row.index < end)
            candidate = Candidate(
                value=match.e164,
                text=row.text,
                word_ids=row.word_ids(match.start, match.end),
                reason=why or f"the first phone number ({text!r}), read as {locale.country}",
            )
            if why:
                rejected.append(candidate)
                continue
            return Extracted.chosen(candidate, tuple(rejected))
    return Extracted.missing("no phone number on the receipt", tuple(rejected))
