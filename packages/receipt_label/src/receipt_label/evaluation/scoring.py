"""Score extracted fields against the truth: exact, wrong or missed, per field and group.

- merchant name: equal ignoring case and spaces, to the whole labelled name or its first line;
- address: token overlap (the Dice coefficient of the sets of letter-digit runs) of at least 0.9;
- phone: the same 10 digits (North American numbers);
- date: the same day; time: the same hour and minute; amounts: the same value.
A field whose truth is missing or unreadable is not scored.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from receipt_label.evaluation.devset import US_CA, DevReceipt
from receipt_label.evaluation.truth import Truth, Unreadable, truth_of
from receipt_label.fields.model import ReceiptFields

SCORED_FIELDS = (
    "merchant_name", "address", "phone", "date", "time", "subtotal", "tax", "tip", "total",
)  # fmt: skip
ADDRESS_OVERLAP = 0.9
_TOKEN = re.compile(r"[A-Z0-9]+")


class Verdict(enum.StrEnum):
    EXACT = "exact"
    WRONG = "wrong"
    MISSED = "missed"
    UNSCORED = "unscored"


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """How one field of one receipt scored, with what was expected and what was picked."""

    receipt_id: str
    group: str
    field: str
    verdict: Verdict
    truth: str
    picked: str
    line: str
    overlap: float | None = None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def token_overlap(picked: str, truth: str) -> float:
    """Dice coefficient of the two texts' sets of upper-case letter-digit runs."""
    mine, theirs = set(_TOKEN.findall(picked.upper())), set(_TOKEN.findall(truth.upper()))
    if not mine or not theirs:
        return 0.0
    return 2 * len(mine & theirs) / (len(mine) + len(theirs))


def _same(field: str, picked: object, expected: object) -> bool:
    if field == "phone":
        return isinstance(picked, str) and picked[-10:] == expected and picked.startswith("+1")
    if field == "time" and isinstance(picked, datetime.time):
        return isinstance(expected, datetime.time) and (picked.hour, picked.minute) == (
            expected.hour,
            expected.minute,
        )
    if isinstance(picked, Decimal):
        return isinstance(expected, Decimal) and picked == expected
    return picked == expected


def _merchant_matches(picked: str, names: tuple[object, ...]) -> bool:
    wanted = set()
    for name in names:
        parts = str(name).split(" | ")
        wanted |= {_squash("".join(parts)), _squash(parts[0])}
    return _squash(picked) in wanted


def _display(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return "" if value is None else str(value)


def _score(field: str, picked: object, truth: Truth) -> tuple[Verdict, float | None]:
    if truth is None or isinstance(truth, Unreadable):
        return Verdict.UNSCORED, None
    if picked is None:
        return Verdict.MISSED, 0.0 if field == "address" else None
    if field == "merchant_name":
        return (Verdict.EXACT if _merchant_matches(str(picked), truth) else Verdict.WRONG), None
    if field == "address":
        best = max(token_overlap(str(picked), str(expected)) for expected in truth)
        return (Verdict.EXACT if best >= ADDRESS_OVERLAP else Verdict.WRONG), best
    exact = any(_same(field, picked, expected) for expected in truth)
    return (Verdict.EXACT if exact else Verdict.WRONG), None


def _truth_text(truth: Truth) -> str:
    if truth is None:
        return ""
    if isinstance(truth, Unreadable):
        return f"(unreadable: {truth.text})"
    return " / ".join(_display(value) for value in truth)


def score_receipt(receipt: DevReceipt, fields: ReceiptFields) -> list[Outcome]:
    """One outcome per scored field of `receipt`."""
    truths = truth_of(receipt)
    outcomes = []
    for name in SCORED_FIELDS:
        extracted = fields.field(name)
        verdict, overlap = _score(name, extracted.value, truths[name])
        outcomes.append(
            Outcome(
                receipt_id=receipt.id,
                group=receipt.group,
                field=name,
                verdict=verdict,
                truth=_truth_text(truths[name]),
                picked=_display(extracted.value),
                line=extracted.text,
                overlap=overlap,
            )
        )
    return outcomes


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldScore:
    """A field's counts over one group of receipts."""

    group: str
    field: str
    exact: int
    wrong: int
    missed: int
    mean_overlap: float | None = None

    @property
    def scored(self) -> int:
        return self.exact + self.wrong + self.missed

    @property
    def percent(self) -> float:
        return 100.0 * self.exact / self.scored if self.scored else 0.0


def tally(outcomes: Iterable[Outcome]) -> list[FieldScore]:
    """Counts per (group, field), US/CA first, fields in SCORED_FIELDS order."""
    grouped: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.verdict is not Verdict.UNSCORED:
            grouped.setdefault((outcome.group, outcome.field), []).append(outcome)
    groups = sorted({group for group, _ in grouped}, key=lambda group: group != US_CA)
    scores = []
    for group in groups:
        for field in SCORED_FIELDS:
            items = grouped.get((group, field), [])
            overlaps = [item.overlap for item in items if item.overlap is not None]
            scores.append(
                FieldScore(
                    group=group,
                    field=field,
                    exact=sum(item.verdict is Verdict.EXACT for item in items),
                    wrong=sum(item.verdict is Verdict.WRONG for item in items),
                    missed=sum(item.verdict is Verdict.MISSED for item in items),
                    mean_overlap=sum(overlaps) / len(overlaps) if overlaps else None,
                )
            )
    return scores
