"""The typed answer per receipt field: the value, where it was read, and what was turned down."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from receipt_label.fields.locales import Locale

T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate(Generic[T]):
    """A value found on the receipt: what it reads as, the text and words it came from, and why
    it was taken or turned down."""

    value: T
    text: str
    word_ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Extracted(Generic[T]):
    """One field of a receipt: `value` is None when nothing on the receipt qualified."""

    value: T | None = None
    text: str = ""
    word_ids: tuple[str, ...] = ()
    reason: str = ""
    rejected: tuple[Candidate[T], ...] = ()

    @classmethod
    def chosen(
        cls, candidate: Candidate[T], rejected: tuple[Candidate[T], ...] = ()
    ) -> Extracted[T]:
        return cls(
            value=candidate.value,
            text=candidate.text,
            word_ids=candidate.word_ids,
            reason=candidate.reason,
            rejected=rejected,
        )

    @classmethod
    def missing(cls, reason: str, rejected: tuple[Candidate[T], ...] = ()) -> Extracted[T]:
        return cls(reason=reason, rejected=rejected)


def _json(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptFields:
    """The receipt-level fields of one receipt, each an `Extracted` answer."""

    locale: Locale
    merchant_name: Extracted[str]
    address: Extracted[str]
    phone: Extracted[str]
    date: Extracted[datetime.date]
    time: Extracted[datetime.time]
    subtotal: Extracted[Decimal]
    tax: Extracted[Decimal]
    tip: Extracted[Decimal]
    total: Extracted[Decimal]
    currency: Extracted[str]
    payment_method: Extracted[str]

    NAMES = (
        "merchant_name", "address", "phone", "date", "time", "subtotal", "tax", "tip", "total",
        "currency", "payment_method",
    )  # fmt: skip

    def field(self, name: str) -> Extracted[Any]:
        """The field called `name` (one of NAMES)."""
        if name not in self.NAMES:
            raise KeyError(
                f"unknown receipt field {name!r}: the fields are {', '.join(self.NAMES)}"
            )
        value: Extracted[Any] = getattr(self, name)
        return value

    def values(self) -> dict[str, object]:
        """Each field's value as JSON-ready text (amounts with two decimals, ISO dates, times)."""
        return {name: _json(self.field(name).value) for name in self.NAMES}

    def to_dict(self) -> dict[str, Any]:
        """Every field: value, text, word IDs, reason and rejected candidates (JSON-ready)."""
        return {
            "locale": self.locale.to_dict(),
            **{
                name: {
                    "value": _json(extracted.value),
                    "text": extracted.text,
                    "word_ids": list(extracted.word_ids),
                    "reason": extracted.reason,
                    "rejected": [
                        {
                            "value": _json(candidate.value),
                            "text": candidate.text,
                            "reason": candidate.reason,
                        }
                        for candidate in extracted.rejected
                    ],
                }
                for name in self.NAMES
                for extracted in (self.field(name),)
            },
        }
