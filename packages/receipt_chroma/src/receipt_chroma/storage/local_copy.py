"""A snapshot unpacked into a directory an operator names (`receipt-chroma pull --to DIR`).

The directory is replaced only when it is new, empty, or a snapshot this tool unpacked before
(it holds the marker file written after every pull); anything else takes `force=True`, so a
mistyped `--to .` cannot replace a project's files.
"""

from __future__ import annotations

import json
from pathlib import Path

from receipt_chroma.errors import StorageError
from receipt_chroma.storage.archive import pull_snapshot
from receipt_chroma.storage.objects import ObjectStore
from receipt_chroma.storage.pointer import Manifest, read_manifest
from receipt_chroma.storage.progress import Reporter, SilentReporter

MARKER = ".receipt-chroma-snapshot.json"


def check_destination(destination: Path, *, force: bool) -> None:
    """StorageError unless `destination` may be replaced by a snapshot."""
    if destination.exists() and not destination.is_dir():
        raise StorageError(f"{destination} is a file, not a directory: choose another --to")
    if force or not destination.exists() or (destination / MARKER).is_file():
        return
    if any(destination.iterdir()):
        raise StorageError(
            f"{destination} is not empty and was not unpacked by receipt-chroma: nothing was "
            "changed; choose a new or empty directory, or pass --force to replace its contents"
        )


def pull_to(
    store: ObjectStore, *, manifest_key: str, destination: Path, force: bool = False,
    reporter: Reporter | None = None,
) -> Manifest:  # fmt: skip
    """Unpack the snapshot of `manifest_key` into `destination`, checksum-verified."""
    destination = destination.resolve()
    check_destination(destination, force=force)
    manifest = read_manifest(store, manifest_key)
    destination.parent.mkdir(parents=True, exist_ok=True)
    progress = (reporter or SilentReporter()).transfer("download", manifest.size)
    pull_snapshot(store, archive_key=manifest.archive_key, sha256=manifest.sha256,
                  destination=destination, progress=progress)  # fmt: skip
    marker = {"snapshot": store.config.url(manifest_key), "version": manifest.version,
              "sha256": manifest.sha256}  # fmt: skip
    (destination / MARKER).write_text(json.dumps(marker, indent=1))
    return manifest
