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
from receipt_label.fields.reading import amounts_on, dates_on, letters, times_on
from receipt_label.layout import Row
from receipt_label.patterns.phone_numbers import PhoneMatch, find_phone_numbers
from receipt_label.patterns.registrations import COMPANY_REGISTRATION

_PHONE_KEYWORD = re.compile(r"TEL|PHONE|PH$|CALL|HP$|MOBILE|CONTACT|OUTLET")
_FAX = re.compile(r"(?<!TEL)FAX(?:NO)?$")
_NOT_PHONE_ROW = re.compile(
    r"GST|REG(?:NO|ISTRATION)|INVOICE|BILL|ORDER|RECEIPT|ACCT|ACCOUNT|CARD|AUTH|TERMINAL|MEMBER|TVR"
)


def header_end(rows: Sequence[Row]) -> int:
    """Index of the first row with an amount: the rows above it are the receipt's header."""
    return next((row.index for row in rows if amounts_on(row)), len(rows))


def _why_not(match: PhoneMatch, row: Row, in_header: bool) -> str | None:
    """Why the number at `match` is not the merchant's phone, or None when it may be."""
    before = letters(row.text[: match.start])
    whole = letters(row.text)
    printed = row.text[match.start : match.end]
    keyword = bool(_PHONE_KEYWORD.search(before[-12:]))
    bare = not match.formatted and not keyword
    nearby = row.text.upper()[max(0, match.start - 12) : match.end + 4]
    checks = (
        (bool(_FAX.search(before)), "a fax number"),
        (
            bool(_NOT_PHONE_ROW.search(whole)) and not _PHONE_KEYWORD.search(whole),
            "on a registration, card or terminal row",
        ),
        (
            not match.valid and not (match.formatted and (keyword or in_header)),
            "not a valid number for the country",
        ),
        (bare and not in_header, "a bare digit run below the header"),
        (bare and sum(c.isdigit() for c in printed) < 10, "a short bare digit run (an ID)"),
        (bool(COMPANY_REGISTRATION.search(nearby)), "part of a company registration number"),
    )
    return next((reason for failed, reason in checks if failed), None)


def read_phone(rows: Sequence[Row], locale: Locale) -> Extracted[str]:
    end = header_end(rows)
    rejected: list[Candidate[str]] = []
    for row in rows:
        taken = [(f.start, f.end) for f in dates_on(row, day_first=locale.day_first)]
        taken += [(found.start, found.end) for found in times_on(row)]
        for match in find_phone_numbers(row.text, region=locale.country):
            text = row.text[match.start : match.end]
            overlaps = any(match.start < stop and match.end > start for start, stop in taken)
            why = "part of a date or time" if overlaps else _why_not(match, row, row.index < end)
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
