"""validate-labels: match the receipt's merchant, then judge its proposed labels against the
reviewed words stored in Chroma (receipt-label + receipt-chroma layers, a Chroma server).

Event: `{"receipt": <receipt JSON>}`; the words' `proposed_label` fields are what is judged.
Environment: RECEIPT_CHROMA_HOST and RECEIPT_CHROMA_PORT (the Chroma server to query).
Response: the merchant match and, per proposed word, the decision and its reason.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from typing import Any

from receipt_chroma import ChromaClient
from receipt_label import HashingEmbedder, LabelValidator, MerchantMatcher, receipt_from_dict

EMBEDDER = HashingEmbedder()


@functools.cache
def _store() -> ChromaClient:
    """One read-only client per execution environment, made on first use (warm starts reuse it)."""
    return ChromaClient.http(
        os.environ["RECEIPT_CHROMA_HOST"], int(os.environ["RECEIPT_CHROMA_PORT"]), read_only=True
    )


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    receipt = receipt_from_dict(event.get("receipt"), source="event.receipt")
    store = _store()
    match = MerchantMatcher(lines=store.lines(), embedder=EMBEDDER).match(receipt)
    if match.merchant_name:
        receipt = dataclasses.replace(receipt, merchant_name=match.merchant_name)
    results = LabelValidator(words=store.words(), embedder=EMBEDDER).validate_proposals(receipt)
    return {
        "receipt_id": receipt.key,
        "merchant": {
            "status": match.status.value,
            "name": match.merchant_name,
            "matched_on": sorted(match.matched_on),
        },
        "decisions": {result.text: result.decision.value for result in results},
        "results": [
            {
                "word_id": result.word_id,
                "text": result.text,
                "label": result.label.value,
                "decision": result.decision.value,
                "confidence": result.confidence,
                "reason": result.reason,
            }
            for result in results
        ],
    }
