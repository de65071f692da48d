"""The pointer (which snapshot is current) and the manifests (what each snapshot holds).

The pointer moves only by a conditional write: `IfMatch` on the ETag the compactor read when it
started, or `IfNoneMatch='*'` for a collection's first snapshot. A compactor that started from
version N can therefore publish only while the pointer still names N: that write is the fence.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field, replace
from typing import Self

from receipt_chroma.errors import FenceError, ObjectMissingError, PointerError
from receipt_chroma.storage import fields
from receipt_chroma.storage.layout import StorageConfig, parse_snapshot_key
from receipt_chroma.storage.objects import ObjectStore, PreconditionFailed

POINTER_FORMAT = 2
"""2 added `generation` and `nonce`; format 1 pointers (without them) are still read."""


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
        raw = fields.read_object(data, required=_MANIFEST, optional_fields=_MANIFEST_OPTIONAL)
        raw["applied_deltas"] = tuple(raw.get("applied_deltas", ()))
        return cls(**raw)


_SNAPSHOT: dict[str, fields.Rule] = {
    "collection": fields.text,
    "version": fields.positive,
    "archive_key": fields.key,
    "sha256": fields.sha256_hex,
    "size": fields.natural,
    "record_count": fields.natural,
    "dimension": fields.optional(fields.positive),
}
_MANIFEST = {**_SNAPSHOT, "parent": fields.optional(fields.key)}
_MANIFEST_OPTIONAL = {
    "applied_deltas": fields.keys,
    "publisher": fields.text,
    "created_at": fields.number,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Pointer:
    """The current version of a collection, as stored in `pointer.json`.

    `generation` grows by one with every write and `nonce` is new with every write, so no two
    writes have the same bytes, hence the same ETag: after a rollback to an earlier snapshot the
    pointer is not the object a stale compactor read, and its `IfMatch` fails (no ETag ABA).
    """

    collection: str
    version: int
    manifest_key: str
    archive_key: str
    sha256: str
    size: int
    record_count: int
    dimension: int | None
    generation: int = 0
    nonce: str = ""
    format: int = POINTER_FORMAT
    etag: str = field(default="", compare=False)

    @classmethod
    def for_manifest(cls, manifest: Manifest, manifest_key: str, *, generation: int) -> Self:
        return cls(
            collection=manifest.collection,
            version=manifest.version,
            manifest_key=manifest_key,
            archive_key=manifest.archive_key,
            sha256=manifest.sha256,
            size=manifest.size,
            record_count=manifest.record_count,
            dimension=manifest.dimension,
            generation=generation,
            nonce=uuid.uuid4().hex,
        )

    def to_bytes(self) -> bytes:
        raw = asdict(self)
        del raw["etag"]
        return json.dumps(raw, indent=1, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes, *, etag: str) -> Self:
        raw = fields.read_object(data, required=_POINTER, optional_fields=_POINTER_OPTIONAL)
        if raw["format"] not in {1, POINTER_FORMAT}:
            raise ValueError(f"format {raw['format']}; this receipt_chroma reads 1 and 2")
        if raw["format"] == POINTER_FORMAT and not {"generation", "nonce"} <= set(raw):
            raise ValueError("field 'generation' or 'nonce' is missing")
        return cls(**raw, etag=etag)


_POINTER = {**_SNAPSHOT, "manifest_key": fields.key, "format": fields.positive}
_POINTER_OPTIONAL = {"generation": fields.natural, "nonce": fields.text}


def _snapshot_key_problem(
    config: StorageConfig, key: str, *, name: str, kind: str, older_than: int | None = None
) -> str | None:
    """Why `key` is not this collection's snapshot object of `kind` (older than a version)."""
    parsed = parse_snapshot_key(key)
    if not key.startswith(config.snapshots_prefix) or parsed is None or parsed.kind != kind:
        return (f"field {name!r}: {key!r} is not a snapshot {kind} under "
                f"{config.url(config.snapshots_prefix)}")  # fmt: skip
    if older_than is not None and parsed.version >= older_than:
        return (f"field {name!r}: names version {parsed.version} ({key}), not one older than "
                f"{older_than}: a lineage only goes back in time")  # fmt: skip
    return None


def manifest_problem(config: StorageConfig, manifest: Manifest, key: str) -> str | None:
    """Why `manifest`, stored at `key`, cannot be part of this collection's lineage."""
    parsed = parse_snapshot_key(key)
    if parsed is not None and parsed.version != manifest.version:
        return f"field 'version' is {manifest.version}, its name says {parsed.version}"
    if manifest.collection != config.collection:
        return f"field 'collection' is {manifest.collection!r}, not {config.collection!r}"
    return _snapshot_key_problem(
        config, key, name="(its own key)", kind="json"
    ) or _snapshot_key_problem(
        config, manifest.archive_key, name="archive_key", kind="tar"
    ) or (
        None
        if manifest.parent is None
        else _snapshot_key_problem(
            config, manifest.parent, name="parent", kind="json", older_than=manifest.version
        )
    )  # fmt: skip


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
        pointer = Pointer.from_bytes(data, etag=etag)
    except ValueError as error:
        raise _unreadable(config, str(error)) from None
    if pointer.collection != config.collection:
        raise _unreadable(config, f"field 'collection' names {pointer.collection!r}")
    problem = _snapshot_key_problem(
        config, pointer.manifest_key, name="manifest_key", kind="json"
    ) or _snapshot_key_problem(config, pointer.archive_key, name="archive_key", kind="tar")
    named = parse_snapshot_key(pointer.manifest_key)
    if problem is None and named is not None and named.version != pointer.version:
        problem = f"field 'version' is {pointer.version}, its manifest_key says {named.version}"
    if problem:
        raise _unreadable(config, problem)
    return pointer


def read_manifest(store: ObjectStore, key: str) -> Manifest:
    """The manifest at `key`, checked (fields, collection, keys, an older parent)."""
    data, _ = store.get(key, what="snapshot manifest",
                        fix="the snapshot was removed; point at another with `receipt-chroma "
                        "repoint`")  # fmt: skip
    try:
        manifest = Manifest.from_bytes(data)
        problem = manifest_problem(store.config, manifest, key)
        if problem:
            raise ValueError(problem)
    except ValueError as error:
        raise PointerError(
            f"manifest {store.config.url(key)} is unusable: {error}. Nothing was changed; point "
            "at another snapshot with `receipt-chroma repoint --manifest <snapshots/v...json>`",
            key=key,
        ) from None
    return manifest


def write_pointer(store: ObjectStore, new: Pointer, *, if_match: str | None) -> Pointer:
    """Write `new` if the stored pointer still has ETag `if_match` (None: if there is none).

    Raises FenceError when someone moved it first; returns `new` with its ETag.
    """
    config = store.config
    try:
        etag = store.put(config.pointer_key, new.to_bytes(), if_match=if_match,
                         if_absent=if_match is None)  # fmt: skip
    except PreconditionFailed:
        raise FenceError(
            f"pointer {config.url(config.pointer_key)} moved since it was read: it was not "
            f"moved to version {new.version}; nothing was changed",
            key=config.pointer_key,
        ) from None
    return replace(new, etag=etag)


def publish(
    store: ObjectStore, *, manifest: Manifest, manifest_key: str, expected: Pointer | None
) -> Pointer:
    """Point at `manifest` only if the pointer still is `expected` (None: only if absent), as
    the next generation. Raises FenceError when someone moved it first."""
    problem = manifest_problem(store.config, manifest, manifest_key)
    if problem:
        raise PointerError(f"manifest {store.config.url(manifest_key)}: {problem}",
                           key=manifest_key)  # fmt: skip
    generation = expected.generation + 1 if expected else 1
    new = Pointer.for_manifest(manifest, manifest_key, generation=generation)
    return write_pointer(store, new, if_match=expected.etag if expected else None)
