"""label-receipt: propose labels for every word of the receipt in the event (receipt-label layer).

Event: `{"receipt": <receipt JSON as receipt_label.receipt_from_dict reads it>}`.
Response: the receipt's key, per label the normalised values found, and one entry per word.
A malformed receipt fails the invocation with `ReceiptFormatError` naming the field.
"""

from __future__ import annotations

from typing import Any

from receipt_label import receipt_from_dict
from receipt_label.patterns import propose_labels


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    receipt = receipt_from_dict(event.get("receipt"), source="event.receipt")
    words: list[dict[str, Any]] = []
    values: dict[str, list[str]] = {}
    for line in receipt.lines:
        for proposal in propose_labels([word.text for word in line.words]):
            word = line.words[proposal.word_index]
            words.append(
                {
                    "word_id": receipt.word_id(line, word),
                    "text": word.text,
                    "label": proposal.label.value,
                    "normalized": proposal.normalized,
                    "reason": proposal.reason,
                }
            )
            found = values.setdefault(proposal.label.value, [])
            if proposal.normalized not in found:
                found.append(proposal.normalized)
    return {
        "status": "labeled",
        "receipt_id": receipt.key,
        "function": getattr(context, "function_name", None),
        "words_labeled": len(words),
        "labels": dict(sorted(values.items())),
        "words": words,
    }
