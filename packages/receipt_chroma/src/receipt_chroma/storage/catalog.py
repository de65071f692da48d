"""What is stored for a collection: snapshots (published or orphaned), lineage, repointing."""

from __future__ import annotations

from dataclasses import dataclass

from receipt_chroma.errors import ObjectMissingError, PointerError, StorageError
from receipt_chroma.storage.layout import parse_snapshot_key
from receipt_chroma.storage.objects import ObjectStore
from receipt_chroma.storage.pointer import Pointer, publish, read_manifest, read_pointer


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


def lineage(store: ObjectStore, pointer: Pointer | None, *, limit: int | None = None) -> list[str]:
    """Manifest keys of published versions, newest first (stops at a missing manifest)."""
    keys: list[str] = []
    key = pointer.manifest_key if pointer else None
    while key is not None and (limit is None or len(keys) < limit):
        keys.append(key)
        try:
            key = read_manifest(store, key).parent
        except (ObjectMissingError, PointerError):
            break
    return keys


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
    """Point the collection at an existing snapshot (an operator's repair), conditionally."""
    manifest = read_manifest(store, manifest_key)
    if manifest.collection != store.config.collection:
        raise StorageError(f"{store.config.url(manifest_key)} is a snapshot of "
                           f"{manifest.collection!r}, not {store.config.collection!r}")  # fmt: skip
    if store.head(manifest.archive_key) is None:
        url = store.config.url(manifest.archive_key)
        raise ObjectMissingError(
            f"snapshot archive {url} is gone: choose another manifest", key=manifest.archive_key
        )
    try:
        current = read_pointer(store)
    except PointerError:
        current = None
        etag = store.head(store.config.pointer_key)
        new = Pointer.for_manifest(manifest, manifest_key)
        if etag is not None:  # replace the unreadable pointer, still conditionally
            store.put(store.config.pointer_key, new.to_bytes(), if_match=etag.etag)
            return new
    new = Pointer.for_manifest(manifest, manifest_key)
    publish(store, new=new, expected=current)
    return new
