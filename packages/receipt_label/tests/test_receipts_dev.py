"""extract_fields on the 114 real receipts of receipts-dev: floors a little under what is reached.

The receipts are read from $RECEIPTS_DEV, `<repository>/../shared/receipts-dev` or
`/work/shared/receipts-dev`; never copied into the repository. Without them the test skips, except
under CI=true, where it fails. `nox -s benchmark_labels` prints the full table and failures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from receipt_label import extract_fields, receipt_from_lines
from receipt_label.evaluation import load_dev_set, locate_dev_set, score_receipt, tally

REPOSITORY = Path(__file__).resolve().parents[3]

# Percent exact per (group, field): reached on 2026-12-03 minus a margin of about one receipt.
FLOORS = {
    ("US/CA", "merchant_name"): 95.0,  # reached 97.3
    ("US/CA", "address"): 92.0,  # 95.2 (token overlap >= 0.9)
    ("US/CA", "phone"): 97.0,  # 100.0
    ("US/CA", "date"): 97.0,  # 100.0
    ("US/CA", "time"): 96.0,  # 98.2
    ("US/CA", "total"): 97.0,  # 98.5
    ("MY", "merchant_name"): 87.5,  # 90.0
    ("MY", "address"): 90.0,  # 92.5
    ("MY", "date"): 97.5,  # 100.0
    ("MY", "total"): 95.0,  # 97.5
}


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, str], float]:
    directory = locate_dev_set(REPOSITORY)
    if directory is None:
        message = "receipts-dev not found: set RECEIPTS_DEV (see packages/receipt_label/README.md)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    receipts = load_dev_set(directory)
    assert len(receipts) == 114, f"{directory} holds {len(receipts)} receipts, expected 114"
    outcomes = [
        outcome
        for receipt in receipts
        for outcome in score_receipt(receipt, extract_fields(receipt_from_lines(receipt.lines)))
    ]
    return {(score.group, score.field): score.percent for score in tally(outcomes)}


@pytest.mark.parametrize(("group", "field"), list(FLOORS))
def test_a_field_stays_above_its_floor(
    scores: dict[tuple[str, str], float], group: str, field: str
) -> None:
    assert scores[(group, field)] >= FLOORS[(group, field)], (
        f"{group} {field}: {scores[(group, field)]:.1f}% exact, floor {FLOORS[(group, field)]}%"
        " (nox -s benchmark_labels -- --failures lists the misses)"
    )
