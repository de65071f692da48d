"""Find and read the receipts-dev set: one JSON file per receipt with its dataset's truth."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from receipt_label.errors import ReceiptFormatError

ENVIRONMENT_VARIABLE = "RECEIPTS_DEV"
_FALLBACK = Path("/work/shared/receipts-dev")
US_CA, MY = "US/CA", "MY"


@dataclass(frozen=True, slots=True, kw_only=True)
class DevReceipt:
    """One annotated receipt: its ID, group (US/CA or MY), text lines and raw truth."""

    id: str
    group: str
    lines: tuple[str, ...]
    truth: Mapping[str, Any]


def locate_dev_set(repository: Path | None = None) -> Path | None:
    """The dev set's folder: $RECEIPTS_DEV, else beside the repository, else the shared folder.

    Returns None when none of them exists; a $RECEIPTS_DEV that does not exist is an error, since
    the user asked for it.
    """
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise FileNotFoundError(f"${ENVIRONMENT_VARIABLE}={configured} is not a directory")
        return path
    root = repository if repository is not None else Path.cwd()
    for candidate in (root.parent / "shared" / "receipts-dev", _FALLBACK):
        if candidate.is_dir():
            return candidate
    return None


def _group(document: Mapping[str, Any]) -> str:
    return MY if str(document.get("country", "")).startswith("MY") else US_CA


def load_dev_set(directory: Path) -> list[DevReceipt]:
    """Every `*-dev-*.json` receipt in `directory`, sorted by ID."""
    found = []
    for path in sorted(directory.glob("*-dev-*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            found.append(
                DevReceipt(
                    id=document["id"],
                    group=_group(document),
                    lines=tuple(document["lines"]),
                    truth=document["truth"],
                )
            )
        except (KeyError, TypeError, json.JSONDecodeError) as error:
            raise ReceiptFormatError(
                source=str(path), field="(document)", problem=f"not a dev-set receipt: {error}"
            ) from None
    return found
