"""The pointer (which snapshot is current) and the manifests (what each snapshot holds).

The pointer moves only by a conditional write: `IfMatch` on the ETag the compactor read when it
started, or `IfNoneMatch='*'` for a collection's first snapshot. A compactor that started from
version N can therefore publish only while the pointer still names N: that write is the fence.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Self

from receipt_chroma.errors import FenceError, ObjectMissingError, PointerError
from receipt_chroma.storage.layout import StorageConfig
from receipt_chroma.storage.objects import ObjectStore, PreconditionFailed

POINTER_FORMAT = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class Manifest:
    """What one snapshot version holds; immutable, written beside its archive."""

    collection: str
    version: int
    archive_key: str
    sha256: str
    size: int
    record_count: int
    dimension: int | None
    parent: str | None
    applied_deltas: tuple[str, ...] = ()
    publisher: str = ""
    created_at: float = 0.0

    def to_bytes(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Self:
        raw: dict[str, Any] = json.loads(data)
        raw["applied_deltas"] = tuple(raw.get("applied_deltas", ()))
        return cls(**raw)


@dataclass(frozen=True, slots=True, kw_only=True)
class Pointer:
    """The current version of a collection, as stored in `pointer.json`."""

    collection: str
    version: int
    manifest_key: str
    archive_key: str
    sha256: str
    size: int
    record_count: int
    dimension: int | None
    format: int = POINTER_FORMAT
    etag: str = field(default="", compare=False)

    @classmethod
    def for_manifest(cls, manifest: Manifest, manifest_key: str) -> Self:
        return cls(
            collection=manifest.collection,
            version=manifest.version,
            manifest_key=manifest_key,
            archive_key=manifest.archive_key,
            sha256=manifest.sha256,
            size=manifest.size,
            record_count=manifest.record_count,
            dimension=manifest.dimension,
        )

    def to_bytes(self) -> bytes:
        raw = asdict(self)
        del raw["etag"]
        return json.dumps(raw, indent=1, sort_keys=True).encode()


def _unreadable(config: StorageConfig, problem: str) -> PointerError:
    return PointerError(
        f"pointer {config.url(config.pointer_key)} is unreadable: {problem}. Nothing was changed. "
        "Fix: list the snapshots (`receipt-chroma snapshots ...`) and point at the last good one "
        "with `receipt-chroma repoint --manifest <snapshots/v...json>`",
        key=config.pointer_key,
    )


def read_pointer(store: ObjectStore) -> Pointer | None:
    """The current pointer (with its ETag), or None when the collection has no snapshot yet."""
    config = store.config
    try:
        data, etag = store.get(config.pointer_key, what="pointer")
    except ObjectMissingError:
        return None
    try:
        raw = json.loads(data)
        if not isinstance(raw, dict):
            raise TypeError(f"a JSON {type(raw).__name__}, not an object")
        pointer = Pointer(**raw, etag=etag)
        if pointer.format != POINTER_FORMAT:
            raise ValueError(f"format {pointer.format}, expected {POINTER_FORMAT}")
        if not isinstance(pointer.version, int) or not pointer.archive_key:
            raise ValueError("no version or archive key")
    except (ValueError, TypeError) as error:
        raise _unreadable(config, str(error)) from None
    if pointer.collection != config.collection:
        raise _unreadable(config, f"it names collection {pointer.collection!r}")
    return pointer


def read_manifest(store: ObjectStore, key: str) -> Manifest:
    data, _ = store.get(key, what="snapshot manifest",
                        fix="the snapshot was removed; point at another with `receipt-chroma "
                        "repoint`")  # fmt: skip
    try:
        return Manifest.from_bytes(data)
    except (ValueError, TypeError) as error:
        raise PointerError(
            f"manifest {store.config.url(key)} is unreadable ({error}): point at another "
            "snapshot with `receipt-chroma repoint`",
            key=key,
        ) from None


def publish(store: ObjectStore, *, new: Pointer, expected: Pointer | None) -> str:
    """Move the pointer to `new` only if it still is `expected` (None: only if absent).

    Raises FenceError when someone moved it first; returns the new ETag.
    """
    config = store.config
    try:
        if expected is None:
            return store.put(config.pointer_key, new.to_bytes(), if_absent=True)
        return store.put(config.pointer_key, new.to_bytes(), if_match=expected.etag)
    except PreconditionFailed:
        started = "no snapshot" if expected is None else f"version {expected.version}"
        raise FenceError(
            f"pointer {config.url(config.pointer_key)} moved since this compactor read it "
            f"(it started from {started}): version {new.version} was not published and this "
            "run's work is discarded; the deltas stay pending for the next compaction",
            key=config.pointer_key,
        ) from None
