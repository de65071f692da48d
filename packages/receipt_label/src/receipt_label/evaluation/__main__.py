"""`python -m receipt_label.evaluation [--failures] [--dev-set DIR]`: the labels benchmark."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from receipt_label.evaluation.devset import load_dev_set, locate_dev_set
from receipt_label.evaluation.report import failures, table
from receipt_label.evaluation.scoring import Outcome, Verdict, score_receipt, tally
from receipt_label.evaluation.suspected import SUSPECTED_TRUTH_ERRORS
from receipt_label.fields import extract_fields
from receipt_label.plain_text import receipt_from_lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m receipt_label.evaluation", description=__doc__)
    parser.add_argument("--failures", action="store_true", help="list every wrong or missed field")
    parser.add_argument("--dev-set", type=Path, help="the receipts-dev folder (default: found)")
    arguments = parser.parse_args(argv)
    directory = arguments.dev_set or locate_dev_set()
    if directory is None:
        print("receipts-dev not found: set RECEIPTS_DEV or pass --dev-set", file=sys.stderr)
        return 2
    receipts = load_dev_set(directory)
    outcomes: list[Outcome] = []
    for receipt in receipts:
        outcomes += score_receipt(receipt, extract_fields(receipt_from_lines(receipt.lines)))
    print(f"{len(receipts)} receipts from {directory}\n")
    print(table(tally(outcomes)))
    if arguments.failures:
        print("\nFailures:\n" + failures(outcomes, SUSPECTED_TRUTH_ERRORS))
    suspected = [
        outcome
        for outcome in outcomes
        if (outcome.receipt_id, outcome.field) in SUSPECTED_TRUTH_ERRORS
        and outcome.verdict in (Verdict.WRONG, Verdict.MISSED)
    ]
    if suspected:
        print("\nScored as misses, but believed to be truth errors:")
        for outcome in suspected:
            note = SUSPECTED_TRUTH_ERRORS[(outcome.receipt_id, outcome.field)]
            print(
                f"  {outcome.receipt_id} {outcome.field}: truth={outcome.truth!r} "
                f"picked={outcome.picked!r}: {note}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
