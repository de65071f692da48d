"""Where a collection's objects live in S3: one prefix per collection, one job per sub-prefix.

s3://<bucket>/<prefix>/<collection>/
    pointer.json                         the current version (moved by conditional writes only)
    lease.json                           the compactor lease (owner, expiry)
    snapshots/v<version:012>-<run>.tar   immutable snapshot archives (a closed persist dir)
    snapshots/v<version:012>-<run>.json  their manifests (checksum, counts, deltas applied)
    deltas/<created ms:013>-<sha256>.delta   pending deltas, named by their content
    consumed/<same name>.json            a marker per delta already merged (and which version)
    quarantine/<same name>               a delta no merge can apply, moved aside
    quarantine/<same name>.reason.json   why (and by whom, when)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Self

from receipt_chroma.errors import StorageError

# fullmatch with ASCII classes: no trailing newline ($), no non-ASCII digits (\d) in a name
_SNAPSHOT = re.compile(r"v(?P<version>[0-9]{12})-(?P<run>[0-9a-f]+)\.(?P<kind>tar|json)")
_DELTA = re.compile(r"(?P<created>[0-9]{13})-(?P<sha>[0-9a-f]{64})\.delta")

ENVIRONMENT_KEYS = ("RECEIPT_CHROMA_BUCKET", "RECEIPT_CHROMA_PREFIX", "RECEIPT_CHROMA_COLLECTION")


@dataclass(frozen=True, slots=True, kw_only=True)
class StorageConfig:
    """A collection's place in S3: bucket, key prefix and collection name."""

    bucket: str
    collection: str
    prefix: str = "chroma"

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Self:
        """From RECEIPT_CHROMA_BUCKET, _COLLECTION and _PREFIX (optional, default "chroma")."""
        values = dict(os.environ if environ is None else environ)
        missing = [key for key in ENVIRONMENT_KEYS if key != "RECEIPT_CHROMA_PREFIX"
                   and not values.get(key)]  # fmt: skip
        if missing:
            raise StorageError(
                f"environment variables {missing} are not set: set RECEIPT_CHROMA_BUCKET and "
                "RECEIPT_CHROMA_COLLECTION (and optionally RECEIPT_CHROMA_PREFIX, default 'chroma')"
            )
        return cls(
            bucket=values["RECEIPT_CHROMA_BUCKET"],
            collection=values["RECEIPT_CHROMA_COLLECTION"],
            prefix=values.get("RECEIPT_CHROMA_PREFIX") or "chroma",
        )

    # ----------------------------------------------------------------- keys

    @property
    def root(self) -> str:
        return f"{self.prefix.strip('/')}/{self.collection}/".lstrip("/")

    @property
    def pointer_key(self) -> str:
        return f"{self.root}pointer.json"

    @property
    def lease_key(self) -> str:
        return f"{self.root}lease.json"

    @property
    def snapshots_prefix(self) -> str:
        return f"{self.root}snapshots/"

    @property
    def deltas_prefix(self) -> str:
        return f"{self.root}deltas/"

    @property
    def consumed_prefix(self) -> str:
        return f"{self.root}consumed/"

    @property
    def quarantine_prefix(self) -> str:
        return f"{self.root}quarantine/"

    def quarantine_key(self, delta_key: str) -> str:
        return f"{self.quarantine_prefix}{delta_key.rsplit('/', 1)[-1]}"

    def archive_key(self, *, version: int, run: str) -> str:
        return f"{self.snapshots_prefix}v{version:012d}-{run}.tar"

    def manifest_key(self, *, version: int, run: str) -> str:
        return f"{self.snapshots_prefix}v{version:012d}-{run}.json"

    def delta_key(self, *, created_ms: int, sha256: str) -> str:
        return f"{self.deltas_prefix}{created_ms:013d}-{sha256}.delta"

    def consumed_key(self, delta_key: str) -> str:
        return f"{self.consumed_prefix}{delta_key.rsplit('/', 1)[-1]}.json"

    def url(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SnapshotName:
    """The parts of a snapshot object's name."""

    version: int
    run: str
    kind: str


def parse_snapshot_key(key: str) -> SnapshotName | None:
    """The version, run and kind of a key under snapshots/, or None for a foreign object."""
    found = _SNAPSHOT.fullmatch(key.rsplit("/", 1)[-1])
    if found is None:
        return None
    return SnapshotName(version=int(found["version"]), run=found["run"], kind=found["kind"])


def parse_delta_key(key: str) -> tuple[int, str] | None:
    """(created ms, sha256) of a key under deltas/, or None for a foreign object."""
    found = _DELTA.fullmatch(key.rsplit("/", 1)[-1])
    return None if found is None else (int(found["created"]), found["sha"])
