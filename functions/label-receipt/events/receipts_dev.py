"""Write label-receipt's two real-receipt smoke events from receipts-dev (one US, one MY):
`uv run --package receipt-label python functions/label-receipt/events/receipts_dev.py`.

The events hold a receipt's OCR lines as the dataset gives them (`{"lines": [...]}`); they are test
fixtures of the smoke run and never shipped (no package, layer or image holds them).
"""

from __future__ import annotations

import json
from pathlib import Path

from receipt_label.evaluation import load_dev_set, locate_dev_set

HERE = Path(__file__).resolve().parent
CHOSEN = ("wr-dev-0004", "sroie-dev-0037")


def main() -> None:
    directory = locate_dev_set(HERE.parents[2])
    if directory is None:
        raise SystemExit("receipts-dev not found: set RECEIPTS_DEV")
    receipts = {receipt.id: receipt for receipt in load_dev_set(directory)}
    for name in CHOSEN:
        event = {"lines": list(receipts[name].lines)}
        path = HERE / "receipts-dev" / f"{name}.json"
        path.write_text(json.dumps(event, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
