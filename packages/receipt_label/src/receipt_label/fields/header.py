"""The merchant's name and address, read from the receipt's header rows.

The name is the first header row that is a name: not a greeting, a document title, a number, a
phone, a date or part of an address (the words of a mixed row that are not the address or the
phone still count: `21E.12ST.NEWYORKNY10003 NUMPANGSANDWICHSHOP`). Malaysian receipts print the
registered company with its registration number (`BOOK TA .K SDN BHD` over `789417-W`); the
registered name is the merchant there, wherever it is printed.

The address block is anchored on its locality row (city, state and ZIP; postcode and state) and
grows upward over address rows to the street, and downward over a lone postcode (or, in
Malaysia, a state or branch row), never crossing the name, a phone, tax or invoice row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from receipt_label.fields.contact import header_end
from receipt_label.fields.locales import Locale
from receipt_label.fields.model import Candidate, Extracted
from receipt_label.fields.reading import amounts_on, dates_on, letters, times_on
from receipt_label.layout import Row, Token
from receipt_label.patterns.addresses import (
    ADDRESS_WORDS,
    ends_with_state,
    is_address_like,
    is_locality_line,
    is_postcode_only,
    is_street_start,
)
from receipt_label.patterns.phone_numbers import find_phone_numbers
from receipt_label.patterns.registrations import COMPANY_REGISTRATION
from receipt_label.patterns.urls import find_urls

_NAME_ROWS = 12  # a merchant's name is printed within the first rows
_GREETING = re.compile(r"^(?:WELCOME(?:TO)?|HELLO|HI|THANKYOU|THANKS)$")
_NOT_A_NAME = re.compile(
    r"GUEST|NUMBER|APPROVED|CASHIER|SERVER|TERMINAL|INVOICE|RECEIPT|CUSTOMERCOPY|DUPLICATE|"
    r"REPRINT|^COPY$|^SALE$|^ORDER|^TABLE|^DATE|^TIME|^TEL|^PHONE|^FAX|^WWW|^HTTP|^OPEN|^STORE"
)
_CONTACT_WORDS = re.compile(r"^(?:TEL|TELEPHONE|PHONE|PH|FAX|CALL|P)$")
_WELCOME_PREFIX = re.compile(r"^\s*WELCOME\s*TO\s*", re.IGNORECASE)
_REGISTRATION_LABEL = re.compile(r"(?:CO(?:MPANY)?|ROC|BRN)?(?:REG)?(?:NO)?")
_COMPANY_SUFFIX = re.compile(r"\bSDN\.?\s?B[HN]D\b|\bBHD\b|\bS/B\b|\bENTERPRISE\b|\bTRADING\b")
# Address words that mark a name's token as an address only with a number or comma beside them.
_STRONG_ADDRESS = re.compile(r"AIRPORT|BUILDING|BLDG|TERMINAL|SUITE|FLOOR|INTERSTATE|HIGHWAY")
_LEGAL_SUFFIX_OCR = re.compile(r"\bSDN\.?\s+BND\b")
# Rows that are not part of an address (matched as words on the upper-case text).
_STOP = re.compile(
    r"\b(?:GST|REG|INVOICE|RECEIPT|DATE|CASHIER|E-?MAIL|WWW|HTTP|TAX|COMPANY|OUTLET|NUMBER)\b|"
    r"SDN\.?\s?B[HN]D|\bBHD\b"
)
_UP_ROWS, _DOWN_ROWS = 5, 2


def _phone_spans(row: Row, locale: Locale) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in find_phone_numbers(row.text, region=locale.country)]


def _non_name_token(token: Token, locale: Locale) -> bool:
    text = token.text
    upper = letters(text)
    return (
        len(upper) < 2
        or bool(_CONTACT_WORDS.match(upper.rstrip(":")))
        or bool(find_urls(text))
        or is_locality_line(text, country=locale.country)
        or (is_street_start(text) and bool(re.match(r"\d", text)))
        or (
            locale.country != "MY"
            and bool(ADDRESS_WORDS.search(text.upper()))
            and (bool(re.search(r"[\d,]", text)) or bool(_STRONG_ADDRESS.search(text.upper())))
        )
    )


def _name_tokens(row: Row, locale: Locale) -> list[Token]:
    """The tokens of `row` that can be part of a name (not a phone, date, time or address)."""
    covered: list[tuple[int, int]] = _phone_spans(row, locale)
    covered += [(found.start, found.end) for found in dates_on(row, day_first=locale.day_first)]
    covered += [(found.start, found.end) for found in times_on(row)]
    covered += [(found.start, found.end) for found in amounts_on(row)]
    kept = []
    for token, (left, right) in zip(row.tokens, row.spans(), strict=True):
        if any(left < end and right > start for start, end in covered):
            continue
        if not _non_name_token(token, locale):
            kept.append(token)
    return kept


def _clean_name(text: str) -> str:
    text = _WELCOME_PREFIX.sub("", text)
    text = _LEGAL_SUFFIX_OCR.sub("SDN BHD", text)
    return text.strip(" ,;:-*#")


def _is_name(text: str) -> bool:
    compact = letters(text)
    return len(compact) >= 3 and not _GREETING.match(compact) and not _NOT_A_NAME.search(compact)


def _name_candidate(tokens: list[Token], row: Row, reason: str) -> Candidate[str]:
    text = " ".join(token.text for token in tokens)
    return Candidate(
        value=_clean_name(text),
        text=row.text,
        word_ids=tuple(token.word_id for token in tokens),
        reason=reason,
    )


def _registered_name(rows: Sequence[Row], locale: Locale) -> Candidate[str] | None:
    """The company printed with a Malaysian registration number (`(1248717-W)`, `789417-W`)."""
    for index, row in enumerate(rows):
        upper = row.text.upper()
        found = COMPANY_REGISTRATION.search(upper)
        if found is None:
            continue
        before = row.text[: found.start()].rstrip(" (:")
        if not _REGISTRATION_LABEL.fullmatch(letters(before)):
            return Candidate(
                value=_clean_name(before),
                text=row.text,
                word_ids=row.word_ids(0, len(before)),
                reason=f"the name before registration {found.group(0)!r}",
            )
        neighbours = [*reversed(rows[max(0, index - 6) : index]), *rows[index + 1 : index + 2]]
        for other in neighbours:
            text = other.text
            if _COMPANY_SUFFIX.search(text.upper()):
                pass
            elif (
                is_address_like(text)
                or is_locality_line(text, country=locale.country)
                or _phone_spans(other, locale)
                or dates_on(other, day_first=True)
                or not _is_name(text)
                or re.search(r"GST|TEL|FAX", text.upper())
            ):
                continue
            return _name_candidate(
                list(other.tokens), other, f"the name printed with registration {found.group(0)!r}"
            )
    return None


def read_merchant(rows: Sequence[Row], locale: Locale) -> tuple[Extracted[str], Row | None]:
    """The merchant's name, and the row it was read from."""
    rejected: list[Candidate[str]] = []
    if locale.country == "MY":
        registered = _registered_name(rows, locale)
        if registered is not None:
            row = next(row for row in rows if set(registered.word_ids) & set(row.word_ids()))
            return Extracted.chosen(registered), row
    for row in rows[:_NAME_ROWS]:
        tokens = _name_tokens(row, locale)
        text = " ".join(token.text for token in tokens)
        if tokens and _is_name(text):
            reason = "the first header row that reads as a name"
            if len(tokens) < len(row.tokens):
                reason += " (its phone, date or address words left out)"
            return Extracted.chosen(_name_candidate(tokens, row, reason), tuple(rejected)), row
        if letters(row.text):
            rejected.append(
                Candidate(
                    value=row.text, text=row.text, word_ids=row.word_ids(), reason="not a name"
                )
            )
    return Extracted.missing("no header row reads as a name", tuple(rejected)), None


def _merchant_inside(row: Row, merchant: Row | None, name: str | None) -> bool:
    if row is merchant:
        return True
    named = bool(name and len(letters(name)) >= 4 and letters(name) in letters(row.text))
    return named and not is_street_start(row.text)


def _has_price(row: Row) -> bool:
    """An amount with a decimal point or a currency mark (`55,57` in a street number is not)."""
    return any(
        "." in found.text or "$" in found.text or "RM" in found.text for found in amounts_on(row)
    )


def _is_stop(row: Row, merchant: Row | None, name: str | None, locale: Locale) -> bool:
    return (
        _merchant_inside(row, merchant, name)
        or bool(_STOP.search(row.text.upper()))
        or bool(find_urls(row.text))
        or bool(COMPANY_REGISTRATION.search(row.text.upper()))
        or bool(_phone_spans(row, locale))
        or _has_price(row)
    )


def _info_only(row: Row, locale: Locale) -> bool:
    """A row holding only a phone, a date or a time (which US receipts print inside the address)."""
    covered = _phone_spans(row, locale) + [(f.start, f.end) for f in dates_on(row, day_first=False)]
    covered += [(found.start, found.end) for found in times_on(row)]
    rest = row.text
    for start, end in sorted(covered, reverse=True):
        rest = rest[:start] + rest[end:]
    return bool(covered) and len(letters(rest)) <= 5


def _anchor(rows: Sequence[Row], locale: Locale, start: int, end: int) -> int | None:
    for row in rows[start:end]:
        if is_locality_line(row.text, country=locale.country) and not _is_stop(
            row, None, None, locale
        ):
            return row.index
    for row in rows[start:end]:
        if (
            is_street_start(row.text)
            and not _is_stop(row, None, None, locale)
            and not _info_only(row, locale)
        ):
            return row.index
    return None


def _block(
    rows: Sequence[Row], anchor: int, locale: Locale, merchant: Row | None, name: str | None
) -> list[Row]:
    block = [rows[anchor]]
    index, included = anchor - 1, 0
    while index >= 0 and included < _UP_ROWS:
        row = rows[index]
        if row is merchant and len(row.tokens) > len(_name_tokens(row, locale)):
            block.insert(0, row)  # the address words of the name's row
            break
        if locale.country != "MY" and _info_only(row, locale):
            index -= 1
            continue
        if _is_stop(row, merchant, name, locale):
            break
        above = rows[index - 1] if index > 0 else None
        opens_next = (
            above is not None
            and is_street_start(above.text)
            and not _is_stop(above, merchant, name, locale)
        )
        city = locale.country != "MY" and ends_with_state(row.text)
        if not (is_address_like(row.text) or opens_next or city) or dates_on(row, day_first=False):
            break
        block.insert(0, row)
        included += 1
        if (
            is_street_start(row.text)
            and not (
                above
                and above.text.rstrip().endswith(",")
                and not _is_stop(above, merchant, name, locale)
            )
            and not (
                above
                and is_address_like(above.text)
                and not _is_stop(above, merchant, name, locale)
                and locale.country == "MY"
            )
        ):
            break
        index -= 1
    for row in rows[anchor + 1 : anchor + 1 + _DOWN_ROWS]:
        if (
            is_postcode_only(row.text)
            or (
                locale.country == "MY"
                and not _is_stop(row, merchant, name, locale)
                and (is_address_like(row.text) or is_locality_line(row.text, country="MY"))
            )
            or (
                locale.country != "MY"
                and block[-1] is rows[anchor]
                and ends_with_state(row.text)
                and is_street_start(rows[anchor].text)
            )
        ):
            block.append(row)
        else:
            break
    return block


def _address_tokens(row: Row, merchant: Row | None, locale: Locale) -> list[Token]:
    skipped = {token.word_id for token in _name_tokens(row, locale)} if row is merchant else set()
    phones = _phone_spans(row, locale)
    return [
        token
        for token, (left, right) in zip(row.tokens, row.spans(), strict=True)
        if token.word_id not in skipped
        and not any(left < end and right > start for start, end in phones)
        and not re.match(r"(?:STORE|TEL|PHONE)\b|^STORE#", token.text.upper())
    ]


def read_address(
    rows: Sequence[Row], locale: Locale, merchant: Row | None, name: str | None
) -> Extracted[str]:
    end = max(header_end(rows), 4) + 2
    anchor = _anchor(rows, locale, 0, min(end, len(rows)))
    if anchor is None:
        return Extracted.missing("no locality or street row in the header")
    block = _block(rows, anchor, locale, merchant, name)
    lines, ids = [], []
    for row in block:
        tokens = _address_tokens(row, merchant, locale)
        if tokens:
            lines.append(" ".join(token.text for token in tokens))
            ids += [token.word_id for token in tokens]
    reason = f"{len(lines)} row(s) around the locality row {rows[anchor].text!r}"
    return Extracted(
        value="\n".join(lines), text="\n".join(lines), word_ids=tuple(ids), reason=reason
    )
