"""`label_receipt`: the receipt-level fields and the per-line patterns as proposed word labels.

The words each receipt-level field was read from are proposed for its label (the total's words
for GRAND_TOTAL, the name's for MERCHANT_NAME...). Every other word gets the per-line pattern
proposal (item names, prices, websites, loyalty numbers), except a per-line proposal of a
receipt-level label: a second `TOTAL` row is not the grand total the receipt was read to have.
`LabelValidator.validate_proposals` reads the result as it is.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from receipt_label.fields import ReceiptFields, extract_fields
from receipt_label.fields.locales import Locale
from receipt_label.labels import Label
from receipt_label.model import Line, Receipt, WordLabels
from receipt_label.patterns import propose_labels

FIELD_LABELS: dict[str, Label] = {
    "merchant_name": Label.MERCHANT_NAME,
    "address": Label.ADDRESS_LINE,
    "phone": Label.PHONE_NUMBER,
    "date": Label.DATE,
    "time": Label.TIME,
    "subtotal": Label.SUBTOTAL,
    "tax": Label.TAX,
    "total": Label.GRAND_TOTAL,
    "payment_method": Label.PAYMENT_METHOD,
}
_RECEIPT_LEVEL = frozenset(FIELD_LABELS.values())


@dataclass(frozen=True, slots=True, kw_only=True)
class WordProposal:
    """A label proposed for one word, with the normalised value and why."""

    word_id: str
    text: str
    label: Label
    normalized: str
    reason: str


def receipt_proposals(receipt: Receipt, fields: ReceiptFields) -> list[WordProposal]:
    """A proposal per labelled word of `receipt`, in reading order."""
    texts = {receipt.word_id(line, word): word.text for line, word in receipt.words()}
    values = fields.values()
    chosen: dict[str, WordProposal] = {}
    for name, label in FIELD_LABELS.items():
        extracted = fields.field(name)
        for word_id in extracted.word_ids:
            if word_id in texts and word_id not in chosen:
                chosen[word_id] = WordProposal(
                    word_id=word_id,
                    text=texts[word_id],
                    label=label,
                    normalized=str(values[name]),
                    reason=f"{name}: {extracted.reason}",
                )
    for line in receipt.lines:
        for proposal in propose_labels([word.text for word in line.words]):
            word = line.words[proposal.word_index]
            word_id = receipt.word_id(line, word)
            if word_id in chosen or proposal.label in _RECEIPT_LEVEL:
                continue
            chosen[word_id] = WordProposal(
                word_id=word_id,
                text=word.text,
                label=proposal.label,
                normalized=proposal.normalized,
                reason=proposal.reason,
            )
    order = list(texts)
    return sorted(chosen.values(), key=lambda proposal: order.index(proposal.word_id))


def with_proposals(receipt: Receipt, proposals: list[WordProposal]) -> Receipt:
    """`receipt` with each proposal written into its word's `WordLabels.proposed`."""
    by_id = {proposal.word_id: proposal.label for proposal in proposals}

    def line_with(line: Line) -> Line:
        words = tuple(
            dataclasses.replace(
                word,
                labels=WordLabels(
                    valid=word.labels.valid,
                    invalid=word.labels.invalid,
                    proposed=by_id.get(receipt.word_id(line, word), word.labels.proposed),
                ),
            )
            for word in line.words
        )
        return dataclasses.replace(line, words=words)

    return dataclasses.replace(receipt, lines=tuple(line_with(line) for line in receipt.lines))


def label_receipt(receipt: Receipt, *, locale: Locale | str | None = None) -> Receipt:
    """`receipt` with proposed labels from its receipt-level fields and per-line patterns."""
    fields = extract_fields(receipt, locale=locale)
    return with_proposals(receipt, receipt_proposals(receipt, fields))
