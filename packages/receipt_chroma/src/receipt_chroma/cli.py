"""`receipt-chroma`: the operator's console for S3 snapshots, deltas and compaction.

argparse and plain progress lines only: this package ships in Lambda layers, so no CLI framework.
Every command takes --bucket/--collection/--prefix (defaults from RECEIPT_CHROMA_BUCKET,
RECEIPT_CHROMA_COLLECTION, RECEIPT_CHROMA_PREFIX); boto3 finds credentials and honours
AWS_ENDPOINT_URL as usual, or --endpoint-url.

Exit codes: 0 done; 1 an error in what is stored or asked (one `error:` line); 2 a mistyped
command line; 3 a compaction lost a race (lease held, lease lost, fenced); 4 a compaction put
deltas in quarantine; 5 S3 cannot be reached or refuses (credentials, endpoint, bucket).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from receipt_chroma.errors import ReceiptChromaError, S3AccessError
from receipt_chroma.storage.catalog import (
    collect_garbage,
    holds_anything,
    list_snapshots,
    repoint,
    stray_objects,
)
from receipt_chroma.storage.compactor import Compactor, Outcome
from receipt_chroma.storage.delta_store import scan_deltas
from receipt_chroma.storage.layout import StorageConfig
from receipt_chroma.storage.local_copy import pull_to
from receipt_chroma.storage.objects import ObjectStore, access_error
from receipt_chroma.storage.pointer import read_pointer
from receipt_chroma.storage.progress import TextReporter
from receipt_chroma.storage.quarantine import list_quarantined

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LOST_RACE = 3
EXIT_QUARANTINED = 4
EXIT_S3 = 5


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("receipt-chroma")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _from_environment(variable: str, what: str, fallback: str | None = None) -> dict[str, Any]:
    """add_argument keywords: the default from `variable`, and help that says so."""
    value = os.environ.get(variable) or fallback
    if fallback is None:
        origin = f"default: ${variable}, " + (f"now {value!r}" if value else "not set")
    else:
        origin = f"default: {fallback}, or ${variable} when set" + (
            f"; now {value!r}" if value != fallback else ""
        )
    return {"default": value, "help": f"{what} ({origin})"}


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--bucket", **_from_environment("RECEIPT_CHROMA_BUCKET", "S3 bucket"))
    common.add_argument("--collection", **_from_environment(
        "RECEIPT_CHROMA_COLLECTION", "collection, e.g. words or lines"))  # fmt: skip
    common.add_argument("--prefix", **_from_environment(
        "RECEIPT_CHROMA_PREFIX", "key prefix the collections live under", "chroma"))  # fmt: skip
    common.add_argument("--endpoint-url", help="S3 endpoint (default: AWS_ENDPOINT_URL or AWS)")
    parser = argparse.ArgumentParser(
        prog="receipt-chroma", description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n")[-1], formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("--version", action="version", version=f"receipt-chroma {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    compact = commands.add_parser("compact", parents=[common], help="merge pending deltas")
    compact.add_argument("--max-deltas", type=int, help="merge at most this many deltas")
    compact.add_argument("--lease-ttl", type=float, default=300.0, help="seconds (default 300)")
    compact.add_argument("--work-dir", type=Path, help="scratch space (default: system temp)")
    compact.add_argument("--keep", type=int, help="then delete all but the last K snapshots")
    commands.add_parser("snapshots", parents=[common], help="list snapshots")
    deltas = commands.add_parser("deltas", parents=[common], help="list pending deltas")
    deltas.add_argument("--quarantined", action="store_true",
                        help="list the quarantined deltas and why instead")  # fmt: skip
    pull = commands.add_parser("pull", parents=[common], help="download and unpack a snapshot")
    pull.add_argument("--to", type=Path, required=True, help="directory to unpack into")
    pull.add_argument("--manifest", help="snapshot manifest key (default: the current one)")
    pull.add_argument("--force", action="store_true",
                      help="replace the directory's contents even if receipt-chroma did not "
                      "unpack them")  # fmt: skip
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
    try:  # a session of its own: credentials as the environment says now
        s3 = boto3.session.Session().client("s3", endpoint_url=arguments.endpoint_url)
    except Exception as error:
        refused = access_error(error, endpoint=arguments.endpoint_url, bucket=config.bucket)
        if refused is None:
            raise
        raise refused from None
    return ObjectStore(config=config, s3=s3)


def _require_collection(store: ObjectStore) -> None:
    """ReceiptChromaError naming the collections there when this one holds nothing at all."""
    config = store.config
    if holds_anything(store):
        return
    parent = config.root.removesuffix(f"{config.collection}/")
    found = store.folders(parent)
    raise ReceiptChromaError(
        f"no collection {config.collection!r} under {config.url(parent)} (no pointer, no "
        f"deltas): check --collection and --prefix; collections there: {list(found) or 'none'}. "
        "Nothing was changed"
    )


def _compact(store: ObjectStore, arguments: argparse.Namespace) -> int:
    _require_collection(store)
    compactor = Compactor(
        config=store.config, s3=store.s3, work_dir=arguments.work_dir,
        lease_ttl_seconds=arguments.lease_ttl, max_deltas=arguments.max_deltas,
        reporter=TextReporter(),
    )  # fmt: skip
    result = compactor.run()
    print(json.dumps(result.to_dict(), indent=1))
    if arguments.keep:
        for key in collect_garbage(store, keep=arguments.keep):
            print(f"deleted {store.config.url(key)}", file=sys.stderr)
    if result.outcome in {Outcome.FENCED, Outcome.LEASE_HELD, Outcome.LEASE_LOST}:
        return EXIT_LOST_RACE
    return EXIT_QUARANTINED if result.quarantined else 0


def _snapshots(store: ObjectStore, arguments: argparse.Namespace) -> int:
    entries, strays = list_snapshots(store), stray_objects(store)  # all read before printing
    print(f"{'version':>8}  {'state':<10}  {'MB':>9}  archive")
    for entry in entries:
        size = f"{entry.size / 1e6:>9.2f}" if entry.archive_key else f"{'-':>9}"
        what = entry.archive_key or f"(no archive; manifest {entry.manifest_key})"
        print(f"{entry.version:>8}  {entry.state:<10}  {size}  {what}")
    for key in strays:
        print(f"not a snapshot (left alone): {store.config.url(key)}", file=sys.stderr)
    return 0


def _deltas(store: ObjectStore, arguments: argparse.Namespace) -> int:
    if arguments.quarantined:
        quarantined = list_quarantined(store)
        for entry in quarantined:
            print(f"{entry.delta_key}  {entry.reason}")
        print(f"{len(quarantined)} quarantined deltas", file=sys.stderr)
        return 0
    pending, foreign = scan_deltas(store)
    for item in pending:
        print(item.key)
    for item in foreign:
        print(f"not named like a delta (the next compaction quarantines it): "
              f"{store.config.url(item.key)}", file=sys.stderr)  # fmt: skip
    print(f"{len(pending)} pending deltas", file=sys.stderr)
    return 0


def _pull(store: ObjectStore, arguments: argparse.Namespace) -> int:
    key = arguments.manifest
    if key is None:
        pointer = read_pointer(store)
        if pointer is None:
            raise ReceiptChromaError(f"{store.config.url(store.config.root)} has no snapshot yet")
        key = pointer.manifest_key
    destination = Path(arguments.to)
    manifest = pull_to(store, manifest_key=key, destination=destination, force=arguments.force,
                       reporter=TextReporter())  # fmt: skip
    print(f"version {manifest.version} ({manifest.record_count} records) unpacked in "
          f"{destination.resolve()}")  # fmt: skip
    return 0


def _gc(store: ObjectStore, arguments: argparse.Namespace) -> int:
    for key in collect_garbage(store, keep=arguments.keep, dry_run=arguments.dry_run):
        print(("would delete " if arguments.dry_run else "deleted ") + key)
    return 0


def _repoint(store: ObjectStore, arguments: argparse.Namespace) -> int:
    pointer = repoint(store, manifest_key=arguments.manifest)
    print(f"pointer now names version {pointer.version} (generation {pointer.generation}): "
          f"{pointer.archive_key}")  # fmt: skip
    return 0


_COMMANDS: dict[str, Callable[[ObjectStore, argparse.Namespace], int]] = {
    "compact": _compact,
    "snapshots": _snapshots,
    "deltas": _deltas,
    "pull": _pull,
    "gc": _gc,
    "repoint": _repoint,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a failure prints one `error:` line (no traceback) and its exit code."""
    arguments = _parser().parse_args(argv)
    try:
        return _COMMANDS[arguments.command](_store(arguments), arguments)
    except S3AccessError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_S3
    except ReceiptChromaError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR


def run() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
