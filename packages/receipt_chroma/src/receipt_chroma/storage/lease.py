"""The compactor lease: one S3 object, taken, renewed and released by conditional writes.

S3 rather than DynamoDB: the bucket is already there (no table to provision, no second service
for Lambda roles and tests), and S3 conditional writes (`IfNoneMatch='*'` to take a free lease,
`IfMatch=<etag>` to renew, take over an expired one or release) give the same compare-and-swap a
DynamoDB condition expression would. The lease only keeps compactors from wasting work:
correctness never depends on it (clocks may disagree, a process may stall past its expiry),
because the conditional pointer write is the fence.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

from receipt_chroma.errors import LeaseHeldError, LeaseLostError, ObjectMissingError
from receipt_chroma.storage.objects import ObjectStore, PreconditionFailed

Clock = Callable[[], float]
DEFAULT_TTL_SECONDS = 300.0


@dataclass(frozen=True, slots=True, kw_only=True)
class LeaseState:
    owner: str
    expires_at: float
    nonce: str = field(default_factory=lambda: uuid.uuid4().hex)
    """Makes every write unique, so a retried write whose reply was lost is known as ours."""

    def to_bytes(self) -> bytes:
        return json.dumps(
            {"owner": self.owner, "expires_at": self.expires_at, "nonce": self.nonce}
        ).encode()


class Lease:
    """A lease on one collection's compaction, held by `owner` for `ttl_seconds` at a time."""

    def __init__(
        self,
        *,
        store: ObjectStore,
        owner: str,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        clock: Clock = time.time,
    ) -> None:
        self._store = store
        self.owner = owner
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._etag: str | None = None

    @property
    def key(self) -> str:
        return self._store.config.lease_key

    @property
    def held(self) -> bool:
        return self._etag is not None

    def _read(self) -> tuple[LeaseState | None, str | None]:
        try:
            data, etag = self._store.get(self.key, what="lease")
        except ObjectMissingError:
            return None, None
        try:
            raw = json.loads(data)
            return LeaseState(owner=str(raw["owner"]), expires_at=float(raw["expires_at"])), etag
        except (ValueError, KeyError, TypeError):
            return LeaseState(owner="<unreadable>", expires_at=0.0), etag  # treated as expired

    def _state(self) -> LeaseState:
        return LeaseState(owner=self.owner, expires_at=self._clock() + self.ttl_seconds)

    def acquire(self) -> None:
        """Take the lease if it is free or expired; LeaseHeldError naming the holder if not."""
        current, etag = self._read()
        url = self._store.config.url(self.key)
        if current is not None and current.owner != self.owner:
            remaining = current.expires_at - self._clock()
            if remaining > 0:
                raise LeaseHeldError(
                    f"lease {url} is held by {current.owner!r} for {remaining:.0f} s more: another "
                    "compactor is running. Nothing was changed; run again later (a crashed "
                    "holder's lease expires on its own)",
                    key=self.key,
                )
        try:
            self._etag = self._store.put(
                self.key, self._state().to_bytes(), if_match=etag, if_absent=etag is None
            )
        except PreconditionFailed:
            raise LeaseHeldError(
                f"lease {url} was taken by another compactor a moment ago; run again later",
                key=self.key,
            ) from None

    def renew(self) -> None:
        """Extend the lease (the heartbeat); LeaseLostError if another compactor took it over."""
        if self._etag is None:
            raise LeaseLostError(f"lease {self._store.config.url(self.key)} is not held",
                                 key=self.key)  # fmt: skip
        try:
            self._etag = self._store.put(self.key, self._state().to_bytes(), if_match=self._etag)
        except PreconditionFailed:
            self._etag = None
            raise LeaseLostError(
                f"lease {self._store.config.url(self.key)} expired and was taken over by another "
                f"compactor while {self.owner!r} worked: its work is discarded",
                key=self.key,
            ) from None

    def release(self) -> None:
        """Give the lease up (if still ours): it is marked expired, never deleted."""
        if self._etag is None:
            return
        expired = LeaseState(owner=self.owner, expires_at=0.0).to_bytes()
        with contextlib.suppress(PreconditionFailed):  # taken over: theirs now
            self._store.put(self.key, expired, if_match=self._etag)
        self._etag = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
