"""What is stored for a collection: snapshots (published or orphaned), lineage, repointing."""

from __future__ import annotations

import json
from dataclasses import dataclass

from receipt_chroma.errors import ObjectMissingError, PointerError, StorageError
from receipt_chroma.storage.layout import parse_snapshot_key
from receipt_chroma.storage.objects import ObjectStore
from receipt_chroma.storage.pointer import (
    Pointer,
    publish,
    read_manifest,
    read_pointer,
    write_pointer,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotEntry:
    version: int
    run: str
    archive_key: str | None
    manifest_key: str | None
    size: int
    current: bool
    published: bool
    """On the lineage from the pointer back through each manifest's parent."""

    @property
    def state(self) -> str:
        """current, published, orphan (complete, never published) or incomplete (an archive
        or a manifest alone: an upload in flight, a stray object)."""
        if self.current:
            return "current"
        if self.published:
            return "published"
        return "orphan" if self.archive_key and self.manifest_key else "incomplete"


def lineage(store: ObjectStore, pointer: Pointer | None, *, limit: int | None = None) -> list[str]:
    """Manifest keys of published versions, newest first, from the pointer back through each
    manifest's parent. Stops at a missing manifest (collected); PointerError for an unusable
    one (read_manifest checks each parent is older, so the walk always ends)."""
    return _lineage_from(store, pointer.manifest_key if pointer else None, limit=limit)


def _lineage_from(store: ObjectStore, key: str | None, *, limit: int | None = None) -> list[str]:
    keys: list[str] = []
    while key is not None and (limit is None or len(keys) < limit):
        try:
            parent = read_manifest(store, key).parent
        except ObjectMissingError:
            break
        keys.append(key)
        key = parent
    return keys


def holds_anything(store: ObjectStore) -> bool:
    """Whether the collection has a pointer or anything under deltas/ (else: a typo?)."""
    config = store.config
    listed = store.list(config.deltas_prefix)
    return store.head(config.pointer_key) is not None or next(listed, None) is not None


def is_published(store: ObjectStore, manifest_key: str, *, version: int) -> bool:
    """Whether the pointer names `manifest_key` or a version built on it (a writer that lost
    the reply to its pointer write asks this before it calls the write lost)."""
    pointer = read_pointer(store)
    key = pointer.manifest_key if pointer else None
    while key is not None and key != manifest_key:
        manifest = read_manifest(store, key)
        if manifest.version <= version:
            return False
        key = manifest.parent
    return key is not None


def list_snapshots(store: ObjectStore) -> list[SnapshotEntry]:
    pointer = read_pointer(store)
    published = set(lineage(store, pointer))
    found: dict[tuple[int, str], dict[str, tuple[str, int]]] = {}
    for item in store.list(store.config.snapshots_prefix):
        name = parse_snapshot_key(item.key)
        if name is not None:
            found.setdefault((name.version, name.run), {})[name.kind] = (item.key, item.size)
    entries = []
    for (version, run), kinds in sorted(found.items()):
        manifest = kinds.get("json", (None, 0))[0]
        entries.append(
            SnapshotEntry(
                version=version, run=run, archive_key=kinds.get("tar", (None, 0))[0],
                manifest_key=manifest, size=kinds.get("tar", ("", 0))[1],
                current=pointer is not None and manifest == pointer.manifest_key,
                published=manifest in published,
            )
        )  # fmt: skip
    return entries


def stray_objects(store: ObjectStore) -> list[str]:
    """Keys under snapshots/ that are not named like a snapshot archive or manifest."""
    listed = store.list(store.config.snapshots_prefix)
    return [item.key for item in listed if parse_snapshot_key(item.key) is None]


def collect_garbage(store: ObjectStore, *, keep: int = 3, dry_run: bool = False) -> list[str]:
    """Delete snapshots older than the pointer's, keeping the last `keep` published versions.

    Never deletes the version the pointer names nor any newer object (a compaction may be
    uploading it). Orphans (uploaded, never published) at or below the current version go.
    Returns the deleted keys.
    """
    if keep < 1:
        raise StorageError("keep must be at least 1: the current snapshot is always kept")
    pointer = read_pointer(store)
    if pointer is None:
        return []
    kept = set(lineage(store, pointer, limit=keep))
    doomed = []
    for entry in list_snapshots(store):
        if entry.version > pointer.version or entry.manifest_key in kept or entry.current:
            continue
        doomed += [key for key in (entry.archive_key, entry.manifest_key) if key]
    if not dry_run:
        for key in doomed:
            store.delete(key)
    return doomed


def repoint(store: ObjectStore, *, manifest_key: str) -> Pointer:
    """Point the collection at an existing snapshot (an operator's repair or rollback),
    conditionally, as a new generation. Its whole lineage is checked first."""
    manifest = read_manifest(store, manifest_key)
    _lineage_from(store, manifest.parent)  # PointerError for an unusable ancestor
    if store.head(manifest.archive_key) is None:
        url = store.config.url(manifest.archive_key)
        raise ObjectMissingError(
            f"snapshot archive {url} is gone: choose another manifest", key=manifest.archive_key
        )
    try:
        current = read_pointer(store)
    except PointerError:
        stored = store.head(store.config.pointer_key)
        if stored is None:  # removed meanwhile
            return publish(store, manifest=manifest, manifest_key=manifest_key, expected=None)
        # replace the unreadable pointer, still conditionally, after any generation it had
        new = Pointer.for_manifest(
            manifest, manifest_key, generation=_salvaged_generation(store) + 1
        )
        return write_pointer(store, new, if_match=stored.etag)
    return publish(store, manifest=manifest, manifest_key=manifest_key, expected=current)


def _salvaged_generation(store: ObjectStore) -> int:
    """The `generation` of an otherwise unreadable pointer, when it still holds one (else 0)."""
    try:
        raw = json.loads(store.get(store.config.pointer_key)[0])
        generation = raw.get("generation") if isinstance(raw, dict) else None
    except (ValueError, ObjectMissingError):
        return 0
    return generation if isinstance(generation, int) and not isinstance(generation, bool) else 0
