"""Receipt domain model, receipt fields, pattern labeling, merchant matching and label validation.

No vector store is imported here: the vector-backed logic is written against `VectorIndex`.
The field reader (`extract_fields`, `label_receipt`) loads on first use, so a function that only
validates labels does not pay for it at cold start.
"""

import importlib
from typing import TYPE_CHECKING, Any

from receipt_label.embedding import Embedder, HashingEmbedder
from receipt_label.errors import InvalidIdentifierError, ReceiptFormatError, ReceiptLabelError
from receipt_label.labels import Label
from receipt_label.loading import load_receipt, receipt_from_dict, receipt_to_dict
from receipt_label.memory_index import InMemoryVectorIndex
from receipt_label.merchants import MatchStatus, MerchantMatch, MerchantMatcher
from receipt_label.model import BoundingBox, Line, Receipt, Word, WordLabels
from receipt_label.plain_text import receipt_from_lines
from receipt_label.records import IndexRecord, line_records, word_records
from receipt_label.validation import Decision, LabelValidator, ValidationResult
from receipt_label.vector_index import VectorIndex, VectorMatch, VectorRecord

__all__ = [
    "BoundingBox",
    "Decision",
    "Embedder",
    "Extracted",
    "HashingEmbedder",
    "InMemoryVectorIndex",
    "IndexRecord",
    "InvalidIdentifierError",
    "Label",
    "LabelValidator",
    "Line",
    "Locale",
    "MatchStatus",
    "MerchantMatch",
    "MerchantMatcher",
    "Receipt",
    "ReceiptFields",
    "ReceiptFormatError",
    "ReceiptLabelError",
    "ValidationResult",
    "VectorIndex",
    "VectorMatch",
    "VectorRecord",
    "Word",
    "WordLabels",
    "extract_fields",
    "label_receipt",
    "line_records",
    "load_receipt",
    "receipt_from_dict",
    "receipt_from_lines",
    "receipt_to_dict",
    "word_records",
]

if TYPE_CHECKING:
    from receipt_label.fields import Extracted, Locale, ReceiptFields, extract_fields
    from receipt_label.labeling import label_receipt

_LAZY = {
    "Extracted": "receipt_label.fields",
    "Locale": "receipt_label.fields",
    "ReceiptFields": "receipt_label.fields",
    "extract_fields": "receipt_label.fields",
    "label_receipt": "receipt_label.labeling",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'receipt_label' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
