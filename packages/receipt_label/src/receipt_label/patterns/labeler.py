"""Propose labels for the words of a line from patterns and the line's keywords."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from receipt_label.labels import Label
from receipt_label.patterns.addresses import is_address_line, normalize_address
from receipt_label.patterns.amounts import find_amounts
from receipt_label.patterns.dates import find_dates
from receipt_label.patterns.phones import find_phones
from receipt_label.patterns.times import find_times
from receipt_label.patterns.urls import find_urls


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelProposal:
    """A label proposed for the word at `word_index` of the line, with the normalised value."""

    word_index: int
    label: Label
    normalized: str
    reason: str


_KEYWORD_LABELS: tuple[tuple[re.Pattern[str], Label], ...] = (
    (re.compile(r"SUB\s*-?\s*TOTAL|\bSUBTTL\b"), Label.SUBTOTAL),
    (re.compile(r"\b(?:SALES\s+)?TAX\b|\bHST\b|\bGST\b|\bVAT\b"), Label.TAX),
    (re.compile(r"\bCOUPON\b|\bCPN\b|\bMFR\b"), Label.COUPON),
    (re.compile(r"DISCOUNT|SAVINGS|YOU\s+SAVED|\bOFF\b|\bPROMO\b"), Label.DISCOUNT),
    (re.compile(r"\bTOTAL\b|BALANCE\s+DUE|AMOUNT\s+DUE|\bAMT\s+DUE\b|\bTOTAL:"), Label.GRAND_TOTAL),
)
_PAYMENT = re.compile(
    r"\b(VISA|MASTERCARD|MASTER\s?CARD|MC|AMEX|AMERICAN\s+EXPRESS|DISCOVER|DEBIT|CREDIT|CASH|"
    r"EBT|APPLE\s?PAY|GOOGLE\s?PAY|CONTACTLESS|CHIP)\b"
)
_TENDER_LINE = re.compile(
    r"\bCHANGE\b|\bTEND(?:ER|ERED)?\b|\bAUTH\b|\bAPPROVED\b|\bCARD\b|\bACCT\b"
)
_LOYALTY = re.compile(r"\b(MEMBER|REWARDS?|LOYALTY|MPERKS|EXTRACARE|CLUB\s*CARD|PLUS\s*CARD)\b")
_LOYALTY_TOKEN = re.compile(r"^[X*#]*\d{4,}$")
_HOURS = re.compile(r"\bHOURS\b|\bOPEN\b|\bMON\b|\bDAILY\b|\b24\s*HRS\b")
_QUANTITY = re.compile(r"^(\d{1,3})(?:@|X)?$|^[Qq][Tt][Yy]:?(\d{1,3})$")


def _spans(words: Sequence[str]) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for word in words:
        spans.append((offset, offset + len(word)))
        offset += len(word) + 1
    return spans


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> list[int]:
    return [index for index, (left, right) in enumerate(spans) if left < end and right > start]


def _locate(text: str, fragment: str, start: int = 0) -> tuple[int, int]:
    position = text.find(fragment, start)
    return (position, position + len(fragment)) if position >= 0 else (-1, -1)


def _amount_label(upper: str, is_last: bool, previous: str) -> tuple[Label, str] | None:
    for pattern, label in _KEYWORD_LABELS:
        if pattern.search(upper):
            return label, f"amount on a line matching {pattern.pattern!r}"
    if _TENDER_LINE.search(upper) or _PAYMENT.search(upper):
        return None  # tendered amounts and change are not part of the taxonomy
    if previous == "@" or previous.endswith("@"):
        return Label.UNIT_PRICE, "amount after '@'"
    if is_last:
        return Label.LINE_TOTAL, "last amount on an item line"
    return Label.UNIT_PRICE, "amount before the line total"


class _LineLabeler:
    """Collects at most one proposal per word; earlier rules win."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.text = " ".join(words)
        self.upper = self.text.upper()
        self.spans = _spans(words)
        self.chosen: dict[int, LabelProposal] = {}

    def propose(self, indices: list[int], label: Label, normalized: str, reason: str) -> None:
        for index in indices:
            proposal = LabelProposal(
                word_index=index, label=label, normalized=normalized, reason=reason
            )
            self.chosen.setdefault(index, proposal)

    def where(self, raw: str, start: int = 0) -> list[int]:
        return _covered(self.spans, *_locate(self.text, raw, start))

    def patterns(self) -> None:
        text = self.text
        hours_line = bool(_HOURS.search(self.upper))
        for raw, digits in find_phones(text):
            self.propose(self.where(raw), Label.PHONE_NUMBER, digits, "phone pattern")
        for raw, value in find_urls(text):
            self.propose(self.where(raw), Label.WEBSITE, value, "web address pattern")
        for raw, date in find_dates(text):
            self.propose(self.where(raw), Label.DATE, date.isoformat(), "date pattern")
        times = find_times(text)
        for raw, clock in times:
            label = Label.STORE_HOURS if hours_line else Label.TIME
            self.propose(self.where(raw), label, clock, "time pattern")
        everything = list(range(len(self.words)))
        if hours_line and times:
            self.propose(everything, Label.STORE_HOURS, text, "opening-hours line")
        if is_address_line(text) and not find_amounts(text):
            self.propose(everything, Label.ADDRESS_LINE, normalize_address(text), "address")

    def amounts(self) -> None:
        amounts = find_amounts(self.text)
        search_from = 0
        for position, (raw, value) in enumerate(amounts):
            start, end = _locate(self.text, raw, search_from)
            search_from = max(end, search_from)
            indices = _covered(self.spans, start, end)
            if not indices or indices[0] in self.chosen:
                continue
            previous = self.words[indices[0] - 1] if indices[0] > 0 else ""
            decided = _amount_label(self.upper, position == len(amounts) - 1, previous)
            if decided:
                self.propose(indices, decided[0], f"{value:.2f}", decided[1])

    def keywords(self) -> None:
        loyalty_line = bool(_LOYALTY.search(self.upper))
        for index, word in enumerate(self.words):
            token = word.upper()
            if _PAYMENT.fullmatch(token):
                self.propose([index], Label.PAYMENT_METHOD, token, "payment keyword")
            elif loyalty_line and _LOYALTY_TOKEN.match(token):
                self.propose([index], Label.LOYALTY_ID, token, "number on a loyalty line")

    def items(self) -> None:
        if not any(proposal.label is Label.LINE_TOTAL for proposal in self.chosen.values()):
            return
        for index, word in enumerate(self.words):
            if index in self.chosen:
                continue
            quantity = _QUANTITY.match(word)
            following = self.words[index + 1] if index + 1 < len(self.words) else ""
            if quantity and following in {"@", "X", "x"}:
                self.propose([index], Label.QUANTITY, quantity.group(1) or "", "count before '@'")
            elif any(character.isalpha() for character in word):
                self.propose([index], Label.PRODUCT_NAME, word.upper(), "words on an item line")


def propose_labels(words: Sequence[str]) -> list[LabelProposal]:
    """Label proposals for a line given its words in reading order (at most one per word)."""
    labeler = _LineLabeler(words)
    labeler.patterns()
    labeler.amounts()
    labeler.keywords()
    labeler.items()
    return [labeler.chosen[index] for index in sorted(labeler.chosen)]
