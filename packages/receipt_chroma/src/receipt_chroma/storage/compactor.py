"""One compaction: lease, pointer, deltas, merge, verify, archive, upload, publish, consume.

The order is what keeps every write: a new snapshot is complete and checked before the pointer
names it; the pointer moves only if it still names the version this run started from (the
fence); deltas are marked consumed only after that, and a rerun finishes marking the deltas the
current version's manifest lists. A crash between any two steps therefore loses nothing and
applies nothing twice.
"""

from __future__ import annotations

import enum
import os
import shutil
import socket
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from receipt_chroma.client import ChromaClient
from receipt_chroma.errors import FenceError, LeaseHeldError, LeaseLostError
from receipt_chroma.install import require_full
from receipt_chroma.storage.archive import make_archive, pull_snapshot
from receipt_chroma.storage.catalog import collect_garbage, holds_anything, is_published
from receipt_chroma.storage.delta import DeltaLimits
from receipt_chroma.storage.delta_store import mark_consumed, scan_deltas
from receipt_chroma.storage.intake import Intake, finish_previous, take
from receipt_chroma.storage.layout import StorageConfig
from receipt_chroma.storage.lease import DEFAULT_TTL_SECONDS, Clock, Lease
from receipt_chroma.storage.locks import FileLock, remove_if_stale
from receipt_chroma.storage.merge import apply_plan, plan_merge, touched_ids, verify
from receipt_chroma.storage.objects import ObjectStore
from receipt_chroma.storage.pointer import Manifest, Pointer, publish, read_manifest, read_pointer
from receipt_chroma.storage.progress import Reporter, SilentReporter
from receipt_chroma.storage.quarantine import QuarantinedDelta
from receipt_chroma.storage.stamps import StampBook

WORK_PREFIX = "compact-"
_LOCK = ".lock"


class Step(enum.StrEnum):
    """The boundaries of a compaction, in order (hooks run after each)."""

    LEASE_TAKEN = "lease-taken"
    POINTER_READ = "pointer-read"
    PREVIOUS_FINISHED = "previous-finished"
    DELTAS_LOADED = "deltas-loaded"
    SNAPSHOT_OPENED = "snapshot-opened"
    DELTAS_APPLIED = "deltas-applied"
    VERIFIED = "verified"
    ARCHIVED = "archived"
    SNAPSHOT_UPLOADED = "snapshot-uploaded"
    POINTER_MOVED = "pointer-moved"
    DELTAS_CONSUMED = "deltas-consumed"
    LEASE_RELEASED = "lease-released"


class Outcome(enum.StrEnum):
    PUBLISHED = "published"
    NOTHING_TO_DO = "nothing-to-do"
    LEASE_HELD = "lease-held"
    FENCED = "fenced"
    """The pointer moved while this run worked: nothing published, its uploads removed."""
    LEASE_LOST = "lease-lost"
    """The lease was taken over while this run worked: nothing published, uploads removed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CompactionResult:
    outcome: Outcome
    collection: str
    version: int | None
    """The version the pointer names after this run (as far as this run knows)."""
    deltas_applied: int = 0
    records_upserted: int = 0
    records_deleted: int = 0
    record_count: int | None = None
    seconds: float = 0.0
    message: str = ""
    quarantined: tuple[QuarantinedDelta, ...] = ()
    """Deltas no merge can apply, moved to quarantine/ by this run (each with its reason)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (plain types), e.g. for a Lambda handler's response."""
        return {**asdict(self), "outcome": self.outcome.value}


StepHook = Callable[[Step], None]


@dataclass(slots=True)
class _Run:
    """Mutable state of one run (what to clean up when it is discarded)."""

    started: float
    run: str
    workdir: Path
    uploaded: tuple[str, ...] = ()
    quarantined: tuple[QuarantinedDelta, ...] = ()


class Compactor:
    """Merges a collection's pending deltas into its next snapshot. Needs the `[full]` extra.

    Lambda: `Compactor(config=StorageConfig.from_environment(), s3=boto3.client("s3"),
    owner=context.aws_request_id).run().to_dict()`. `keep_snapshots=K` collects garbage after
    publishing (the last K published versions stay); `max_deltas` bounds one run's work;
    `limits` bounds what one delta may hold (beyond it, the delta is quarantined).
    """

    def __init__(
        self,
        *,
        config: StorageConfig,
        s3: Any,
        owner: str | None = None,
        work_dir: Path | str | None = None,
        lease_ttl_seconds: float = DEFAULT_TTL_SECONDS,
        use_lease: bool = True,
        clock: Clock = time.time,
        max_deltas: int | None = None,
        keep_snapshots: int | None = None,
        on_step: StepHook | None = None,
        reporter: Reporter | None = None,
        limits: DeltaLimits | None = None,
    ) -> None:
        self.config = config
        self._store = ObjectStore(config=config, s3=s3)
        self.owner = owner or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._work_dir = Path(work_dir) if work_dir is not None else None
        self._lease = (
            Lease(store=self._store, owner=self.owner, ttl_seconds=lease_ttl_seconds, clock=clock)
            if use_lease
            else None
        )
        self._max_deltas = max_deltas
        self._keep = keep_snapshots
        self._on_step = on_step
        self._reporter = reporter or SilentReporter()
        self._limits = limits or DeltaLimits()

    def _result(self, run: _Run, outcome: Outcome, **fields: Any) -> CompactionResult:
        return CompactionResult(outcome=outcome, collection=self.config.collection,
                                seconds=time.monotonic() - run.started,
                                quarantined=run.quarantined, **fields)  # fmt: skip

    def _step(self, step: Step, *, renew: bool = True) -> None:
        if renew and self._lease is not None:
            self._lease.renew()  # the heartbeat: LeaseLostError when taken over
        self._reporter.step(step.value)
        if self._on_step is not None:
            self._on_step(step)

    def run(self) -> CompactionResult:
        """One compaction. Bad input raises (StorageError naming the object); losing a race
        returns FENCED / LEASE_LOST / LEASE_HELD with the reason in `message`; a delta no merge
        can apply is quarantined and listed in `quarantined`."""
        require_full("Compactor.run (it merges in an embedded store)")
        self._remove_stale_work_dirs()
        workdir = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=self._work_dir))
        run = _Run(started=time.monotonic(), run=uuid.uuid4().hex[:12], workdir=workdir)
        in_use = FileLock(workdir / _LOCK)
        try:
            if not holds_anything(self._store):  # a mistyped collection? leave no lease
                return self._result(run, Outcome.NOTHING_TO_DO, version=None, message=(
                    f"nothing stored under {self.config.url(self.config.root)}: no pointer, "
                    "no pending deltas"))  # fmt: skip
            if self._lease is not None:
                try:
                    self._lease.acquire()
                except LeaseHeldError as error:
                    return self._result(run, Outcome.LEASE_HELD, version=None, message=str(error))
                self._step(Step.LEASE_TAKEN, renew=False)
            try:
                result = self._compact(run)
            except (FenceError, LeaseLostError) as error:
                for key in run.uploaded:
                    self._store.delete(key)
                outcome = Outcome.FENCED if isinstance(error, FenceError) else Outcome.LEASE_LOST
                pointer = read_pointer(self._store)
                return self._result(run, outcome, version=pointer.version if pointer else None,
                                    message=f"{error} (removed this run's uploads: "
                                    f"{list(run.uploaded)})")  # fmt: skip
            if self._keep is not None and result.outcome is Outcome.PUBLISHED:
                collect_garbage(self._store, keep=self._keep)
            if self._lease is not None:
                self._lease.release()
                self._step(Step.LEASE_RELEASED, renew=False)
            return result
        finally:
            if self._lease is not None:
                self._lease.release()
            shutil.rmtree(run.workdir, ignore_errors=True)
            in_use.close()

    def _remove_stale_work_dirs(self) -> None:
        """Work directories of killed runs (a warm Lambda keeps /tmp): unlocked and old."""
        parent = self._work_dir or Path(tempfile.gettempdir())
        for directory in parent.glob(f"{WORK_PREFIX}*"):
            if directory.is_dir() and remove_if_stale(directory, directory / _LOCK):
                self._reporter.step(f"removed a killed run's work directory {directory}")

    def _compact(self, run: _Run) -> CompactionResult:
        store = self._store
        pointer = read_pointer(store)
        previous = read_manifest(store, pointer.manifest_key) if pointer else None
        self._step(Step.POINTER_READ)
        pending, foreign = scan_deltas(store)
        pending = finish_previous(store, pending, pointer=pointer, previous=previous)
        self._step(Step.PREVIOUS_FINISHED)
        intake = take(
            store, pending, foreign, dimension=pointer.dimension if pointer else None,
            max_deltas=self._max_deltas, limits=self._limits, owner=self.owner,
            reporter=self._reporter,
        )  # fmt: skip
        run.quarantined = tuple(intake.quarantined)
        version = pointer.version if pointer else None
        if not intake.deltas:
            for key in intake.duplicates:
                store.delete(key)
            count = pointer.record_count if pointer else None
            return self._result(run, Outcome.NOTHING_TO_DO, version=version, record_count=count,
                                message="no pending deltas to merge")  # fmt: skip
        self._step(Step.DELTAS_LOADED)
        directory = self._open_snapshot(run, pointer)
        self._step(Step.SNAPSHOT_OPENED)
        manifest = self._merge(run, directory, pointer, intake)
        manifest_key = self.config.manifest_key(version=manifest.version, run=run.run)
        self._publish(manifest, manifest_key, pointer)
        run.uploaded = ()  # published: never discard it now
        self._step(Step.POINTER_MOVED, renew=False)
        for key in [*intake.keys, *intake.duplicates]:
            mark_consumed(store, key, version=manifest.version, manifest_key=manifest_key)
        self._step(Step.DELTAS_CONSUMED, renew=False)
        deltas = [delta for delta, _ in intake.deltas]
        return self._result(
            run, Outcome.PUBLISHED, version=manifest.version, deltas_applied=len(deltas),
            records_upserted=sum(len(d.upserts) for d in deltas),
            records_deleted=sum(len(d.deletes) for d in deltas),
            record_count=manifest.record_count,
            message=f"published {self.config.url(manifest.archive_key)}",
        )  # fmt: skip

    def _publish(self, manifest: Manifest, manifest_key: str, pointer: Pointer | None) -> None:
        try:
            publish(self._store, manifest=manifest, manifest_key=manifest_key, expected=pointer)
        except FenceError:
            # our write may have landed (its reply lost) and another run built on it already
            if is_published(self._store, manifest_key, version=manifest.version):
                return
            started = "no snapshot" if pointer is None else f"version {pointer.version}"
            raise FenceError(
                f"pointer {self.config.url(self.config.pointer_key)} moved since this compactor "
                f"read it (it started from {started}): version {manifest.version} was not "
                "published and this run's work is discarded; the deltas stay pending for the "
                "next compaction",
                key=self.config.pointer_key,
            ) from None

    def _open_snapshot(self, run: _Run, pointer: Pointer | None) -> Path:
        directory = run.workdir / "store"
        if pointer is None:
            directory.mkdir()
            return directory
        pull_snapshot(
            self._store, archive_key=pointer.archive_key, sha256=pointer.sha256,
            destination=directory,
            progress=self._reporter.transfer("download snapshot", pointer.size),
        )  # fmt: skip
        return directory

    def _merge(
        self, run: _Run, directory: Path, pointer: Pointer | None, intake: Intake
    ) -> Manifest:
        with ChromaClient.persistent(directory) as client, closing(StampBook(directory)) as stamps:
            touched = touched_ids([delta for delta, _ in intake.deltas])
            plan = plan_merge(intake.deltas, stored=stamps.get(touched))
            collection = client.collection(self.config.collection, create=True)
            result = apply_plan(collection, plan)
            stamps.record(plan)
            self._step(Step.DELTAS_APPLIED)
            verify(collection, plan, result, seed=len(intake.keys))
            dimension = collection.dimension()
        self._step(Step.VERIFIED)
        version = (pointer.version if pointer else 0) + 1
        archive = make_archive(directory, run.workdir / "next.tar")
        self._step(Step.ARCHIVED)
        archive_key = self.config.archive_key(version=version, run=run.run)
        manifest_key = self.config.manifest_key(version=version, run=run.run)
        run.uploaded = (archive_key, manifest_key)
        progress = self._reporter.transfer("upload snapshot", archive.size)
        self._store.upload(archive.path, archive_key, progress=progress)
        manifest = Manifest(
            collection=self.config.collection, version=version, archive_key=archive_key,
            sha256=archive.sha256, size=archive.size, record_count=result.count_after,
            dimension=dimension, parent=pointer.manifest_key if pointer else None,
            applied_deltas=tuple(intake.keys), publisher=self.owner, created_at=time.time(),
        )  # fmt: skip
        self._store.put(manifest_key, manifest.to_bytes(), if_absent=True)
        self._step(Step.SNAPSHOT_UPLOADED)
        return manifest
