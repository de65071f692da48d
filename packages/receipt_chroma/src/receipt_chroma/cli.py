"""`receipt-chroma`: the operator's console for S3 snapshots, deltas and compaction.

argparse and plain progress lines only: this package ships in Lambda layers, so no CLI framework.
Every command takes --bucket/--collection/--prefix (defaults from RECEIPT_CHROMA_BUCKET,
RECEIPT_CHROMA_COLLECTION, RECEIPT_CHROMA_PREFIX); boto3 finds credentials and honours
AWS_ENDPOINT_URL as usual, or --endpoint-url.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from receipt_chroma.errors import ReceiptChromaError
from receipt_chroma.storage.archive import pull_snapshot
from receipt_chroma.storage.catalog import collect_garbage, list_snapshots, repoint
from receipt_chroma.storage.compactor import Compactor, Outcome
from receipt_chroma.storage.delta_store import list_pending
from receipt_chroma.storage.layout import StorageConfig
from receipt_chroma.storage.objects import ObjectStore
from receipt_chroma.storage.pointer import read_manifest, read_pointer
from receipt_chroma.storage.progress import TextReporter

EXIT_ERROR = 1
EXIT_LOST_RACE = 3


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--bucket", default=os.environ.get("RECEIPT_CHROMA_BUCKET"))
    common.add_argument("--collection", default=os.environ.get("RECEIPT_CHROMA_COLLECTION"))
    common.add_argument("--prefix", default=os.environ.get("RECEIPT_CHROMA_PREFIX", "chroma"))
    common.add_argument("--endpoint-url", help="S3 endpoint (a local moto server, say)")
    parser = argparse.ArgumentParser(prog="receipt-chroma", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    compact = commands.add_parser("compact", parents=[common], help="merge pending deltas")
    compact.add_argument("--max-deltas", type=int, help="merge at most this many deltas")
    compact.add_argument("--lease-ttl", type=float, default=300.0, help="seconds (default 300)")
    compact.add_argument("--work-dir", type=Path, help="scratch space (default: system temp)")
    compact.add_argument("--keep", type=int, help="then delete all but the last K snapshots")
    commands.add_parser("snapshots", parents=[common], help="list snapshots")
    commands.add_parser("deltas", parents=[common], help="list pending deltas")
    pull = commands.add_parser("pull", parents=[common], help="download and unpack a snapshot")
    pull.add_argument("--to", type=Path, required=True, help="directory to unpack into")
    pull.add_argument("--manifest", help="snapshot manifest key (default: the current one)")
    gc = commands.add_parser("gc", parents=[common], help="delete old snapshots")
    gc.add_argument("--keep", type=int, default=3, help="published versions kept (default 3)")
    gc.add_argument("--dry-run", action="store_true")
    point = commands.add_parser("repoint", parents=[common], help="point at another snapshot")
    point.add_argument("--manifest", required=True, help="key of the snapshot's manifest")
    return parser


def _store(arguments: argparse.Namespace) -> ObjectStore:
    if not arguments.bucket or not arguments.collection:
        raise ReceiptChromaError(
            "--bucket and --collection are required (or set RECEIPT_CHROMA_BUCKET and "
            "RECEIPT_CHROMA_COLLECTION)"
        )
    import boto3

    config = StorageConfig(
        bucket=arguments.bucket, collection=arguments.collection, prefix=arguments.prefix
    )
    return ObjectStore(config=config, s3=boto3.client("s3", endpoint_url=arguments.endpoint_url))


def _compact(store: ObjectStore, arguments: argparse.Namespace) -> int:
    compactor = Compactor(
        config=store.config, s3=store.s3, work_dir=arguments.work_dir,
        lease_ttl_seconds=arguments.lease_ttl, max_deltas=arguments.max_deltas,
        reporter=TextReporter(),
    )  # fmt: skip
    result = compactor.run()
    print(json.dumps(result.to_dict(), indent=1))
    if arguments.keep:
        for key in collect_garbage(store, keep=arguments.keep):
            print(f"deleted {store.config.url(key)}")
    lost = {Outcome.FENCED, Outcome.LEASE_HELD, Outcome.LEASE_LOST}
    return EXIT_LOST_RACE if result.outcome in lost else 0


def _snapshots(store: ObjectStore) -> int:
    print(f"{'version':>8}  {'state':<9}  {'MB':>9}  archive")
    for entry in list_snapshots(store):
        state = "current" if entry.current else "published" if entry.published else "orphan"
        print(f"{entry.version:>8}  {state:<9}  {entry.size / 1e6:>9.2f}  {entry.archive_key}")
    return 0


def _deltas(store: ObjectStore) -> int:
    keys = list_pending(store)
    for key in keys:
        print(key)
    print(f"{len(keys)} pending deltas", file=sys.stderr)
    return 0


def _pull(store: ObjectStore, arguments: argparse.Namespace) -> int:
    key = arguments.manifest
    if key is None:
        pointer = read_pointer(store)
        if pointer is None:
            raise ReceiptChromaError(f"{store.config.url(store.config.root)} has no snapshot yet")
        key = pointer.manifest_key
    manifest = read_manifest(store, key)
    destination = Path(arguments.to).resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    pull_snapshot(
        store, archive_key=manifest.archive_key, sha256=manifest.sha256,
        destination=destination, progress=TextReporter().transfer("download", manifest.size),
    )  # fmt: skip
    print(f"version {manifest.version} ({manifest.record_count} records) unpacked in {destination}")
    return 0


def _gc(store: ObjectStore, arguments: argparse.Namespace) -> int:
    for key in collect_garbage(store, keep=arguments.keep, dry_run=arguments.dry_run):
        print(("would delete " if arguments.dry_run else "deleted ") + key)
    return 0


def _repoint(store: ObjectStore, arguments: argparse.Namespace) -> int:
    pointer = repoint(store, manifest_key=arguments.manifest)
    print(f"pointer now names version {pointer.version}: {pointer.archive_key}")
    return 0


_COMMANDS: dict[str, Callable[[ObjectStore, argparse.Namespace], int]] = {
    "compact": _compact,
    "snapshots": lambda store, _: _snapshots(store),
    "deltas": lambda store, _: _deltas(store),
    "pull": _pull,
    "gc": _gc,
    "repoint": _repoint,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a user error prints one line (no traceback) and exits 1."""
    arguments = _parser().parse_args(argv)
    try:
        return _COMMANDS[arguments.command](_store(arguments), arguments)
    except ReceiptChromaError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


def run() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
