"""Which pending deltas a compaction takes: the previous run's leftovers finished, retries of
merged deltas set aside, the deltas no merge can apply quarantined, the rest loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from receipt_chroma.errors import DeltaError, ObjectMissingError
from receipt_chroma.storage.delta import Delta, DeltaLimits
from receipt_chroma.storage.delta_store import is_consumed, load_delta, mark_consumed
from receipt_chroma.storage.layout import parse_delta_key
from receipt_chroma.storage.objects import ObjectStore, StoredObject
from receipt_chroma.storage.pointer import Manifest, Pointer
from receipt_chroma.storage.progress import Reporter
from receipt_chroma.storage.quarantine import QuarantinedDelta, quarantine


@dataclass(slots=True, kw_only=True)
class Intake:
    deltas: list[tuple[Delta, str]] = field(default_factory=list)
    """The deltas to merge with their SHA-256, oldest first."""
    keys: list[str] = field(default_factory=list)
    """Their keys (what the new manifest lists as applied)."""
    duplicates: list[str] = field(default_factory=list)
    """Pending again though already merged (a late retry): removed once this run is done."""
    quarantined: list[QuarantinedDelta] = field(default_factory=list)


def finish_previous(
    store: ObjectStore, pending: list[StoredObject], *, pointer: Pointer | None,
    previous: Manifest | None,
) -> list[StoredObject]:  # fmt: skip
    """Mark consumed what the current version's manifest lists (its run may have died before
    it did); returns the deltas still pending."""
    if pointer is None or previous is None:
        return pending
    done = set(previous.applied_deltas)
    for item in pending:
        if item.key in done:
            mark_consumed(store, item.key, version=previous.version,
                          manifest_key=pointer.manifest_key)  # fmt: skip
    return [item for item in pending if item.key not in done]


def take(
    store: ObjectStore, pending: list[StoredObject], foreign: list[StoredObject], *,
    dimension: int | None, max_deltas: int | None, limits: DeltaLimits, owner: str,
    reporter: Reporter,
) -> Intake:  # fmt: skip
    """Quarantine the foreign and the unusable, load up to `max_deltas` of the rest."""
    intake = Intake()

    def set_aside(key: str, reason: str) -> None:
        intake.quarantined.append(quarantine(store, key, reason=reason, by=owner))
        reporter.step(f"quarantined {store.config.url(key)}: {reason}")

    for item in foreign:
        set_aside(item.key, f"{store.config.url(item.key)} is not named like a delta "
                  "(<13-digit created ms>-<sha256>.delta)")  # fmt: skip
    for item in pending:
        if max_deltas is not None and len(intake.keys) >= max_deltas:
            break
        if is_consumed(store, item.key):
            intake.duplicates.append(item.key)
            continue
        try:
            delta = load_delta(store, item, dimension=dimension, limits=limits)
        except ObjectMissingError:
            continue  # consumed or quarantined by another run since it was listed
        except DeltaError as error:
            set_aside(item.key, str(error))
            continue
        if delta.upserts:
            dimension = dimension or delta.dimension
        parsed = parse_delta_key(item.key)
        assert parsed is not None  # listed as pending, so named like a delta
        intake.deltas.append((delta, parsed[1]))
        intake.keys.append(item.key)
        if len(intake.keys) % 100 == 0:
            reporter.step(f"loaded {len(intake.keys)} deltas")
    return intake
