"""label-receipt: read a receipt's fields and propose a label per word (receipt-label layer).

Event: `{"receipt": <receipt JSON as receipt_label.receipt_from_dict reads it>}`, or plain OCR
text `{"lines": ["...", ...]}`; either may add `"locale": "MY"` (else it is inferred).
Response: the receipt's key, its receipt-level `fields` (merchant_name, address, phone in E.164,
date, time, subtotal, tax, tip, total, currency, payment_method) with the locale and, per field,
the words and reason it was read from; per label the normalised values proposed, and one entry
per labelled word. A malformed receipt fails the invocation with `ReceiptFormatError` naming the
field.
"""

from __future__ import annotations

from typing import Any

from receipt_label import ReceiptFormatError, extract_fields, receipt_from_dict, receipt_from_lines
from receipt_label.labeling import receipt_proposals


def _receipt(event: dict[str, Any]) -> Any:
    lines = event.get("lines")
    if lines is None:
        return receipt_from_dict(event.get("receipt"), source="event.receipt")
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise ReceiptFormatError(
            source="event", field="lines", problem="expected a list of strings"
        )
    return receipt_from_lines(lines)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    receipt = _receipt(event)
    fields = extract_fields(receipt, locale=event.get("locale"))
    proposals = receipt_proposals(receipt, fields)
    values: dict[str, list[str]] = {}
    for proposal in proposals:
        found = values.setdefault(proposal.label.value, [])
        if proposal.normalized not in found:
            found.append(proposal.normalized)
    details = fields.to_dict()
    return {
        "status": "labeled",
        "receipt_id": receipt.key,
        "function": getattr(context, "function_name", None),
        "locale": details.pop("locale"),
        "fields": fields.values(),
        "evidence": {
            name: {key: detail[key] for key in ("text", "word_ids", "reason")}
            for name, detail in details.items()
        },
        "words_labeled": len(proposals),
        "labels": dict(sorted(values.items())),
        "words": [
            {
                "word_id": proposal.word_id,
                "text": proposal.text,
                "label": proposal.label.value,
                "normalized": proposal.normalized,
                "reason": proposal.reason,
            }
            for proposal in proposals
        ],
    }
