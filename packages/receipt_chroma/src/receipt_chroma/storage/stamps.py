"""The stamp book: per record ID, the stamp of the operation that decided it (the upsert that
wrote it, or the delete that removed it: a tombstone).

It is one SQLite file in the snapshot directory, beside Chroma's own, so it is archived,
checksummed and published with the snapshot it describes: a compaction reads the stamps of the
IDs its deltas touch, applies only newer operations, and records the new winners.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from receipt_chroma.storage.merge import MergePlan, Stamp

STAMPS_FILE = "receipt-chroma-stamps.sqlite3"
_BATCH = 500  # well under SQLite's limit on bound parameters (999 in old releases)


class StampBook:
    """The stamps of one snapshot directory (created empty for a snapshot that has none);
    use it in `contextlib.closing(...)`."""

    def __init__(self, directory: Path) -> None:
        self._db = sqlite3.connect(directory / STAMPS_FILE)
        # a delta's producer and SHA-256 once, in `deltas`; per ID a reference to them
        self._db.executescript(
            "CREATE TABLE IF NOT EXISTS deltas (ref INTEGER PRIMARY KEY, producer TEXT NOT NULL,"
            " delta TEXT NOT NULL UNIQUE);"
            "CREATE TABLE IF NOT EXISTS stamps (id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL,"
            " sequence INTEGER NOT NULL, ref INTEGER NOT NULL, deleted INTEGER NOT NULL);"
        )

    def get(self, ids: Iterable[str]) -> dict[str, Stamp]:
        """The stored stamp of each of `ids` that has one."""
        wanted = sorted(set(ids))
        found: dict[str, Stamp] = {}
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            rows = self._db.execute(
                "SELECT s.id, s.created_ms, s.sequence, d.producer, d.delta FROM stamps s"
                f" JOIN deltas d ON d.ref = s.ref WHERE s.id IN ({','.join('?' * len(batch))})",
                batch,
            )
            found.update((row[0], Stamp(*row[1:])) for row in rows)
        return found

    def record(self, plan: MergePlan) -> None:
        """Store the plan's winning stamps (its deletes as tombstones)."""
        with self._db:
            sources = {(stamp.producer, stamp.delta) for stamp in plan.stamps.values()}
            self._db.executemany(
                "INSERT OR IGNORE INTO deltas (producer, delta) VALUES (?, ?)", sorted(sources)
            )
            refs = {
                delta: ref
                for delta in {source[1] for source in sources}
                for (ref,) in self._db.execute("SELECT ref FROM deltas WHERE delta = ?", (delta,))
            }
            self._db.executemany(
                "INSERT OR REPLACE INTO stamps VALUES (?, ?, ?, ?, ?)",
                (
                    (key, s.created_ms, s.sequence, refs[s.delta], key in plan.deletes)
                    for key, s in plan.stamps.items()
                ),
            )

    def close(self) -> None:
        self._db.close()
