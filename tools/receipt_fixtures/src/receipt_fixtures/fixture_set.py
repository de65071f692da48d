"""Where the receipt fixture set lives and how its parts are read."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from receipt_label import Receipt, load_receipt

FIXTURES_VARIABLE = "RECEIPT_FIXTURES_DIR"
RELATIVE_LOCATION = Path("tests") / "fixtures" / "receipts"


@dataclass(frozen=True, slots=True)
class ReceiptFixtures:
    """The set in one directory: `history/*.json`, `queries/*.json`, `expectations.json`."""

    directory: Path

    @classmethod
    def under(cls, root: Path) -> ReceiptFixtures:
        """The set of the repository at `root`, or the one `$RECEIPT_FIXTURES_DIR` names."""
        configured = os.environ.get(FIXTURES_VARIABLE)
        directory = Path(configured) if configured else root / RELATIVE_LOCATION
        if not (directory / "expectations.json").is_file():
            raise FileNotFoundError(
                f"no receipt fixture set at {directory} (expectations.json is missing): run the "
                f"tests from the repository, or set {FIXTURES_VARIABLE} to the fixture directory"
            )
        return cls(directory)

    def history(self) -> list[Receipt]:
        return [load_receipt(path) for path in sorted((self.directory / "history").glob("*.json"))]

    def queries(self) -> dict[str, Receipt]:
        paths = sorted((self.directory / "queries").glob("*.json"))
        return {path.stem: load_receipt(path) for path in paths}

    def expectations(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.directory / "expectations.json").read_text())
        return data
