"""Deltas no merge can apply, moved aside so they stop nothing: `quarantine/<name>` (the delta
as it was) and `quarantine/<name>.reason.json` (why, by whom, when).

Copied first, then the reason written, then the pending delta deleted: a run killed midway
leaves the delta pending, and the next run quarantines it again.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from receipt_chroma.errors import ObjectMissingError
from receipt_chroma.storage import fields
from receipt_chroma.storage.objects import ObjectStore

REASON_SUFFIX = ".reason.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class QuarantinedDelta:
    key: str
    """Where it is now (under quarantine/)."""
    delta_key: str
    """Where it was (under deltas/)."""
    reason: str


def quarantine(store: ObjectStore, delta_key: str, *, reason: str, by: str) -> QuarantinedDelta:
    """Move the delta at `delta_key` to quarantine/ with `reason`."""
    key = store.config.quarantine_key(delta_key)
    store.copy(delta_key, key)
    note = {"delta_key": delta_key, "reason": reason, "by": by, "at": time.time()}
    store.put(key + REASON_SUFFIX, json.dumps(note, indent=1).encode())
    store.delete(delta_key)
    return QuarantinedDelta(key=key, delta_key=delta_key, reason=reason)


_NOTE: dict[str, fields.Rule] = {
    "delta_key": fields.key,
    "reason": fields.text,
    "by": fields.text,
    "at": fields.number,
}


def list_quarantined(store: ObjectStore) -> list[QuarantinedDelta]:
    """Every quarantined delta with its reason, in name order (oldest first)."""
    config = store.config
    found = []
    for item in store.list(config.quarantine_prefix):
        if item.key.endswith(REASON_SUFFIX):
            continue
        try:
            note = fields.read_object(store.get(item.key + REASON_SUFFIX)[0], required=_NOTE)
            delta_key, reason = note["delta_key"], note["reason"]
        except ObjectMissingError:
            delta_key, reason = config.deltas_prefix + item.key.rsplit("/", 1)[-1], "(no reason)"
        except ValueError as error:
            delta_key, reason = item.key, f"(unreadable reason: {error})"
        found.append(QuarantinedDelta(key=item.key, delta_key=delta_key, reason=reason))
    return found
