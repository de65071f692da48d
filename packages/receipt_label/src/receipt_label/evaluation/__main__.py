"""`python -m receipt_label.evaluation [--failures] [--dev-set DIR]`: the labels benchmark."""

from __future__ import annotations

import argparse
import datetime
import sys
from decimal import Decimal
from pathlib import Path

from receipt_label.evaluation.devset import load_dev_set, locate_dev_set
from receipt_label.evaluation.report import failures, table
from receipt_label.evaluation.scoring import Outcome, score_receipt, tally
from receipt_label.fields.locales import Locale
from receipt_label.fields.model import Extracted, ReceiptFields
from receipt_label.labels import Label
from receipt_label.patterns import propose_labels
from receipt_label.plain_text import receipt_from_lines


def _per_line_labels(lines: tuple[str, ...]) -> ReceiptFields:
    """The issue's baseline: the first value each per-line label proposes, in reading order."""
    receipt = receipt_from_lines(lines)
    first: dict[Label, tuple[str, str]] = {}
    address_lines: list[str] = []
    for line in receipt.lines:
        for proposal in propose_labels([word.text for word in line.words]):
            first.setdefault(proposal.label, (proposal.normalized, line.text))
            if proposal.label is Label.ADDRESS_LINE and line.text not in address_lines:
                address_lines.append(line.text)

    def pick(label: Label, convert: type | None = None) -> Extracted[object]:
        if label not in first:
            return Extracted.missing("no proposal")
        value, text = first[label]
        return Extracted(value=convert(value) if convert else value, text=text)

    date = pick(Label.DATE)
    time = pick(Label.TIME)
    phone = pick(Label.PHONE_NUMBER)
    return ReceiptFields(
        locale=Locale.for_country("US"),
        merchant_name=Extracted.missing("no per-line merchant"),
        address=Extracted(value=" | ".join(address_lines)) if address_lines else Extracted(),
        phone=Extracted(value=f"+1{phone.value}", text=phone.text) if phone.value else phone,
        date=Extracted(value=datetime.date.fromisoformat(str(date.value)), text=date.text)
        if date.value
        else Extracted.missing(""),
        time=Extracted(value=datetime.time.fromisoformat(str(time.value)), text=time.text)
        if time.value
        else Extracted.missing(""),
        subtotal=pick(Label.SUBTOTAL, Decimal),  # type: ignore[arg-type]
        tax=pick(Label.TAX, Decimal),  # type: ignore[arg-type]
        tip=Extracted.missing(""),
        total=pick(Label.GRAND_TOTAL, Decimal),  # type: ignore[arg-type]
        currency=Extracted.missing(""),
        payment_method=Extracted.missing(""),
    )


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
        outcomes += score_receipt(receipt, _per_line_labels(receipt.lines))
    print(f"{len(receipts)} receipts from {directory}\n")
    print(table(tally(outcomes)))
    if arguments.failures:
        print("\nFailures:\n" + failures(outcomes, {}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
