"""Subtotal, tax, tip, total, currency and payment method, read the way a careful reader does.

Each row is classified by the keyword left of its amount (`SUB TOTAL`, `GST 6%`, `GRAND TOTAL`,
`CASH`, `CHANGE`...), read as letters only so OCR's missing spaces do not matter. A keyword row
without an amount takes the amount of the row below (or of a bare amount row just above), as
OCR engines split printed rows. The total is then chosen among the candidates by the rank of its
keyword (`TOTAL DUE`, `GRAND TOTAL`, `NET TOTAL` over a plain `TOTAL`; `TOTAL QTY`, `TOTAL
SAVED`, totals excluding tax and tax-summary tables never), plus the arithmetic that confirms it:
subtotal + tax (+ tip), a rounding adjustment, cash tendered - change, a card charged the same.
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from receipt_label.fields.locales import Locale
from receipt_label.fields.model import Candidate, Extracted
from receipt_label.fields.reading import Amount, amounts_on, is_bare_amount_row, letters
from receipt_label.layout import Row


class Kind(enum.Enum):
    SUBTOTAL = "subtotal"
    TAX = "tax"
    TIP = "tip"
    TOTAL = "total"
    ROUNDING = "rounding"
    TENDER = "tender"
    CHANGE = "change"
    AMOUNT = "amount"
    NONE = "none"


_CARDS = r"VISA|MASTERCARD|MASTER|AMEX|AMERICANEXPRESS|DISCOVER|DEBIT|CREDIT|EFT|INTERAC|EBT"
_TENDER = rf"CASH(?!IER)|{_CARDS}|TENDER|PAID|PAYMENT|RECEIVED|ARGENT|GIFTCARD|^MC$"


def _word(pattern: str) -> str:
    """A short keyword that must stand apart from other letters (`PST` but not `CHAPSTICK`)."""
    return rf"(?<![A-Z])(?:{pattern})(?![A-Z])"


# (kind, rank, pattern): long keywords match the row's letters (OCR drops spaces: `GRANDTOTAL`),
# short ones (`_word`) the upper-case text. The first rule that matches wins.
_RULES: tuple[tuple[Kind, int, re.Pattern[str], bool], ...] = tuple(
    (kind, rank, re.compile(pattern), pattern.startswith("(?<![A-Z])"))
    for kind, rank, pattern in (
        (Kind.CHANGE, 0, r"(?<!EX)CHANGE|CHGDUE"),
        (Kind.TOTAL, 3, r"ROUND[A-Z]*TOTAL|TOTALROUND"),
        (Kind.ROUNDING, 0, _word(r"ROU(?:ND|R)[A-Z]*|RNDADJ")),
        (Kind.TIP, 0, _word(r"TIPS?|[A-Z]*GRATUITY")),
        (Kind.TAX, 0, r"(?:GST|TAX)(?:INCLUDED|PAYABLE)|INCLUDEDINTOTAL|TOTALINCLUDES|"
                      r"TOTAL(?:GST|TAX)|TAXTOTAL"),
        (Kind.SUBTOTAL, 0, r"SUBTOTAL|SUBTTL|SUBTOT|SOUSTOTAL|NETSALES|TAXABLE|MDSEST|"
                           r"GROSSAM(?:OUN)?T|EXC(?:L|LUDING|G?GST)"),
        (Kind.NONE, 0, r"TOTALQTY|TOTALQUANTITY|TOTALITEM|ITEMS?TOTAL|TOTALNO|TOTALNUMBER|"
                       r"TOTALUNIT|SAV(?:E|ED|ING)|POINT|DISCOUNTTOTAL|TOTALDISCOUNT|TOTALSV|"
                       r"TOTALGV|TOTALTENDER|SUPPLIES|NUMBEROF|ITEMCOUNT|QTYCOUNT"),
        (Kind.TOTAL, 3, r"GRANDTOTAL|TOTALDUE|AMOUNTDUE|AMTDUE|BALANCEDUE|NETTT?OTAL|"
                        r"NETAM(?:OUN)?T|FINALTOTAL|PAYABLE|PLEASEPAY|ORDERTOTAL|RECEIPTTOTAL|"
                        r"(?:TOTAL|AMT|AMOUNT)[A-Z]*INC|INCLUSIVEOF"),
        (Kind.NONE, 0, r"TAXINVOICE|GSTNO|GSTID|GSTREG|TAXREG|GSTNUMBER|TAXCODE|GSTREF"),
        (Kind.TAX, 0, r"TAX"),
        (Kind.TAX, 0, _word(r"GST|HST|PST|QST|VAT|SST|TVQ|TPS|TAK")),
        (Kind.TOTAL, 2, r"TOTAL"),
        (Kind.TOTAL, 2, _word(r"TTL")),
        (Kind.TENDER, 0, _TENDER),
        (Kind.AMOUNT, 1, r"^(?:AMOUNT|AMT|PURCHASE)$"),
    )
)  # fmt: skip
_CARD = re.compile(_CARDS)
_SUMMARY = re.compile(r"SUMMARY")
_SUMMARY_ROWS = 6  # rows after a `GST SUMMARY` header that belong to its table
_KEYWORD_KINDS = {Kind.SUBTOTAL, Kind.TAX, Kind.TIP, Kind.TOTAL, Kind.ROUNDING, Kind.CHANGE}
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True, kw_only=True)
class Role:
    kind: Kind
    rank: int
    keyword: str


def classify(label: str) -> Role:
    """The role of a row whose text left of its amount is `label`."""
    upper, compact = label.upper(), letters(label)
    for kind, rank, pattern, on_text in _RULES:
        found = pattern.search(upper if on_text else compact)
        if found:
            return Role(kind=kind, rank=rank, keyword=letters(found.group(0)))
    return Role(kind=Kind.NONE, rank=0, keyword="")


def _label(row: Row) -> str:
    found = amounts_on(row)
    return row.text[: found[-1].start] if found else row.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Keyed:
    """A keyword row and the amount it goes with (on its row, or on the row below or above)."""

    role: Role
    row: Row
    amount: Amount
    where: str
    in_summary: bool

    def candidate(self, reason: str) -> Candidate[Decimal]:
        return Candidate(
            value=self.amount.value,
            text=self.row.text
            if self.amount.row is self.row
            else f"{self.row.text} / {self.amount.row.text}",
            word_ids=self.amount.word_ids,
            reason=reason,
        )


def _linked(rows: Sequence[Row], index: int) -> tuple[Amount, str] | None:
    row = rows[index]
    found = amounts_on(row)
    if found:
        return found[-1], "on its row"
    if index + 1 < len(rows):
        below = rows[index + 1]
        below_amounts = amounts_on(below)
        if below_amounts and classify(_label(below)).kind not in _KEYWORD_KINDS:
            return below_amounts[-1], "on the row below"
    if index > 0 and is_bare_amount_row(rows[index - 1]):
        return amounts_on(rows[index - 1])[-1], "on the row above"
    return None


def keyed_rows(rows: Sequence[Row]) -> list[Keyed]:
    """Every row with a money keyword and the amount it goes with."""
    keyed, summary_until = [], -1
    for index, row in enumerate(rows):
        if _SUMMARY.search(letters(row.text)):
            summary_until = index + _SUMMARY_ROWS
            continue
        role = classify(_label(row))
        if role.kind is Kind.NONE:
            continue
        linked = _linked(rows, index)
        if linked is None:
            continue
        amount, where = linked
        keyed.append(
            Keyed(role=role, row=row, amount=amount, where=where, in_summary=index <= summary_until)
        )
    return keyed


def _first(keyed: list[Keyed], kind: Kind, what: str) -> Extracted[Decimal]:
    found = [item for item in keyed if item.role.kind is kind and not item.in_summary]
    if not found:
        return Extracted.missing(f"no {what} keyword with an amount")
    chosen, *others = found
    reason = f"{what} keyword {chosen.role.keyword!r} with the amount {chosen.where}"
    rejected = tuple(item.candidate(f"a later {what} row") for item in others)
    return Extracted.chosen(chosen.candidate(reason), rejected)


def _subtotal(keyed: list[Keyed]) -> Extracted[Decimal]:
    found = _first(keyed, Kind.SUBTOTAL, "subtotal")
    if found.value is not None:
        return found
    for before, after in itertools.pairwise(keyed):  # `AMOUNT 83.51` then `TIP`
        if before.role.kind is Kind.AMOUNT and after.role.kind is Kind.TIP:
            return Extracted.chosen(before.candidate("the amount before a tip line"))
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class _Option:
    amount: Amount
    rank: int
    source: str
    order: int


def _supports(
    value: Decimal, keyed: list[Keyed], parts: tuple[Decimal | None, ...], totals: list[Decimal]
) -> list[str]:
    """The arithmetic on the receipt that agrees with `value` as its total."""
    subtotal, tax, tip = parts
    found = []
    if (
        subtotal is not None
        and tax is not None
        and abs(subtotal + tax + (tip or 0) - value) < _CENT
    ):
        found.append("subtotal + tax" + (" + tip" if tip else ""))
    roundings = [item.amount.value for item in keyed if item.role.kind is Kind.ROUNDING]
    if any(
        abs(other + adjustment - value) < _CENT and adjustment
        for other in totals
        for adjustment in roundings
    ):
        found.append("a total plus its rounding adjustment")
    tenders = [item for item in keyed if item.role.kind is Kind.TENDER]
    changes = [item.amount.value for item in keyed if item.role.kind is Kind.CHANGE]
    if any(
        abs(tender.amount.value - change - value) < _CENT and change
        for tender in tenders
        for change in changes
    ):
        found.append("tendered - change")
    if any(
        _CARD.search(tender.role.keyword) and tender.amount.value == value for tender in tenders
    ):
        found.append("a card charged the same")
    return found


def _total(
    rows: Sequence[Row], keyed: list[Keyed], parts: tuple[Decimal | None, ...]
) -> Extracted[Decimal]:
    options: list[_Option] = []
    order = 0
    for item in keyed:
        order += 1
        if item.in_summary:
            continue
        if item.role.kind is Kind.TOTAL:
            source = f"total keyword {item.role.keyword!r}, amount {item.where}"
            options.append(
                _Option(amount=item.amount, rank=item.role.rank, source=source, order=order)
            )
        elif item.role.kind in (Kind.AMOUNT, Kind.TENDER):
            source = f"{item.role.keyword.lower()} amount {item.where}"
            options.append(_Option(amount=item.amount, rank=1, source=source, order=order))
    every_amount = [amount for row in rows for amount in amounts_on(row)]
    subtotal, tax, tip = parts
    if subtotal is not None and tax is not None:
        expected = subtotal + tax + (tip or 0)
        options += [
            _Option(amount=amount, rank=1, source="the amount subtotal + tax comes to", order=0)
            for amount in every_amount
            if abs(amount.value - expected) < _CENT
        ]
    if not options:
        if not every_amount:
            return Extracted.missing("no amount on the receipt")
        largest = max(every_amount, key=lambda amount: amount.value)
        candidate = Candidate(
            value=largest.value,
            text=largest.row.text,
            word_ids=largest.word_ids,
            reason="no total keyword: the largest amount on the receipt",
        )
        return Extracted.chosen(candidate)
    totals = [option.amount.value for option in options if option.rank >= 2]
    scored = []
    for option in options:
        supports = _supports(option.amount.value, keyed, parts, totals)
        repeated = sum(other.amount.value == option.amount.value for other in options) > 1
        score = option.rank + 1.2 * len(supports) + (0.5 if repeated else 0.0)
        scored.append((score, option.order, option, supports))
    scored.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    best_score, _, best, supports = scored[0]
    reason = best.source + (f"; agrees with {', '.join(supports)}" if supports else "")
    chosen = Candidate(
        value=best.amount.value, text=best.amount.row.text, word_ids=best.amount.word_ids,
        reason=reason,
    )  # fmt: skip
    rejected = tuple(
        Candidate(
            value=option.amount.value,
            text=option.amount.row.text,
            word_ids=option.amount.word_ids,
            reason=f"{option.source}: scored {score:.1f} against {best_score:.1f}",
        )
        for score, _, option, _ in scored[1:]
        if option.amount.value != best.amount.value
    )
    return Extracted.chosen(chosen, rejected)


@dataclass(frozen=True, slots=True, kw_only=True)
class Money:
    subtotal: Extracted[Decimal]
    tax: Extracted[Decimal]
    tip: Extracted[Decimal]
    total: Extracted[Decimal]
    currency: Extracted[str]
    payment_method: Extracted[str]


_CURRENCY_MARK = re.compile(r"(?<![A-Z])(?:RM|MYR|USD|CAD)(?![A-Z])|\$")
_CURRENCY_CODES = {"RM": "MYR", "MYR": "MYR", "USD": "USD", "CAD": "CAD", "$": ""}
_METHODS = (
    ("VISA", "VISA"), ("MASTERCARD", "MASTERCARD"), ("MASTER", "MASTERCARD"), ("AMEX", "AMEX"),
    ("AMERICANEXPRESS", "AMEX"), ("DISCOVER", "DISCOVER"), ("INTERAC", "DEBIT"),
    ("DEBIT", "DEBIT"), ("CREDIT", "CREDIT CARD"), ("EBT", "EBT"), ("GIFTCARD", "GIFT CARD"),
    ("CASH", "CASH"),
)  # fmt: skip


def _currency(total: Extracted[Decimal], rows: Sequence[Row], locale: Locale) -> Extracted[str]:
    marked = [row for row in rows if total.word_ids and set(total.word_ids) & set(row.word_ids())]
    for row in [*marked, *rows]:
        found = _CURRENCY_MARK.search(row.text.upper())
        if found and amounts_on(row):
            mark = found.group(0)
            code = _CURRENCY_CODES[mark]
            reason = f"{mark!r} printed with an amount"
            if not code:
                reason += f"; {locale.country} receipts price in {locale.currency}"
            return Extracted(
                value=code or locale.currency,
                text=row.text,
                word_ids=row.word_ids(found.start(), found.end()),
                reason=reason,
            )
    if locale.currency:
        return Extracted(value=locale.currency, reason=f"no currency mark: {locale.country}'s")
    return Extracted.missing("no currency mark and no known currency for the country")


def _payment(keyed: list[Keyed], rows: Sequence[Row]) -> Extracted[str]:
    tenders = [item.row for item in keyed if item.role.kind is Kind.TENDER]
    for row in [*tenders, *rows]:
        compact = letters(row.text)
        for keyword, method in _METHODS:
            if keyword in compact and not (keyword == "CASH" and "CASHIER" in compact):
                ids = tuple(token.word_id for token in row.tokens if keyword in letters(token.text))
                return Extracted(
                    value=method,
                    text=row.text,
                    word_ids=ids or row.word_ids(),
                    reason=f"tender keyword {keyword!r}",
                )
    return Extracted.missing("no tender keyword")


def read_money(rows: Sequence[Row], locale: Locale) -> Money:
    """The amounts of a receipt and how it was paid."""
    keyed = keyed_rows(rows)
    subtotal = _subtotal(keyed)
    tax = _first(keyed, Kind.TAX, "tax")
    tip = _first(keyed, Kind.TIP, "tip")
    total = _total(rows, keyed, (subtotal.value, tax.value, tip.value))
    return Money(
        subtotal=subtotal,
        tax=tax,
        tip=tip,
        total=total,
        currency=_currency(total, rows, locale),
        payment_method=_payment(keyed, rows),
    )
