"""Write the smoke events of the snapshot functions (query-snapshot, compact) from the receipt
fixtures, deterministically: `uv run --package receipt-label python functions/_events/generate.py`.

The events carry embeddings (the functions' layers hold no embedder: callers embed), made with
receipt_label's HashingEmbedder exactly as the seed `_seeds/line_snapshot.py` embeds the lines it
stores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from receipt_label import HashingEmbedder, load_receipt
from receipt_label.records import IndexRecord, line_records

FUNCTIONS = Path(__file__).resolve().parents[1]
RECEIPTS = FUNCTIONS.parent / "tests" / "fixtures" / "receipts"


def _lines(name: str, embedder: HashingEmbedder) -> list[IndexRecord]:
    return line_records(load_receipt(RECEIPTS / name), embedder)


def _line(records: list[IndexRecord], text: str) -> IndexRecord:
    return next(record for record in records if record.document == text)


def _vector(record: IndexRecord) -> list[float]:
    return [round(value, 8) for value in record.embedding]


def _as_event(record: IndexRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "embedding": _vector(record),
        "document": record.document,
        "metadata": dict(record.metadata),
    }


def _write(path: Path, event: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(event, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(FUNCTIONS.parent)}")


def query_events(embedder: HashingEmbedder) -> None:
    home_depot = _lines("queries/home-depot-query.json", embedder)
    trader_joes = _lines("queries/trader-joe-s-query.json", embedder)
    events = FUNCTIONS / "query-snapshot" / "events"
    header = _vector(_line(home_depot, "THE HOME DEPOT"))
    phone = _vector(_line(trader_joes, "TEL 650-555-0177"))
    _write(events / "home-depot-header.json", {"embedding": header, "n_results": 3})
    _write(events / "trader-joes-phone.json", {"embedding": phone, "n_results": 3})
    _write(
        events / "filtered-by-merchant.json",
        {"embedding": header, "n_results": 2, "where": {"merchant_name": "WALGREENS"}},
    )


def compact_events(embedder: HashingEmbedder) -> None:
    sprouts = _lines("queries/sprouts-farmers-market-query.json", embedder)
    removed = _lines("history/home-depot-1.json", embedder)[0]
    events = FUNCTIONS / "compact" / "events"
    _write(
        events / "write-delta.json",
        {"write_delta": {"upserts": [_as_event(r) for r in sprouts[:2]], "deletes": [removed.id]}},
    )
    short = {**_as_event(sprouts[2]), "embedding": [0.5] * 8}
    _write(events / "wrong-dimension-delta.json", {"write_delta": {"upserts": [short]}})


if __name__ == "__main__":
    embedder = HashingEmbedder()
    query_events(embedder)
    compact_events(embedder)
