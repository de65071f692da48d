"""Measure `extract_fields` against receipts annotated by others (the receipts-dev set).

`python -m receipt_label.evaluation [--failures]` prints, per group and field, how many receipts
were read exactly, wrongly or not at all. The dev set is never shipped: it is found through
`RECEIPTS_DEV`, `<repository>/../shared/receipts-dev` or `/work/shared/receipts-dev`.
"""

from receipt_label.evaluation.devset import DevReceipt, load_dev_set, locate_dev_set
from receipt_label.evaluation.scoring import FieldScore, Outcome, Verdict, score_receipt, tally

__all__ = [
    "DevReceipt",
    "FieldScore",
    "Outcome",
    "Verdict",
    "load_dev_set",
    "locate_dev_set",
    "score_receipt",
    "tally",
]
