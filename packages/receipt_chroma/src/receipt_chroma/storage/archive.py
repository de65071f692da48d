"""Snapshot archives: a closed Chroma persist directory as one tar file with a SHA-256."""

from __future__ import annotations

import hashlib
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, Protocol

from receipt_chroma.errors import SnapshotCorruptError
from receipt_chroma.storage.objects import ObjectStore, Progress

_CHUNK = 1 << 20


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchiveFile:
    path: Path
    sha256: str
    size: int


class _HashingWriter:
    """A write-only file that hashes and counts what passes through it."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: Any) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self._target.write(data)

    def flush(self) -> None:
        self._target.flush()


def make_archive(directory: Path, destination: Path) -> ArchiveFile:
    """Archive every file of `directory` (closed first!) into `destination`, uncompressed.

    Uncompressed on purpose: HNSW vectors barely compress and gzip would cost more time than
    the transfer it saves. Written via a temporary name, renamed when complete.
    """
    partial = destination.with_name(destination.name + ".partial")
    with partial.open("wb") as raw:
        writer = _HashingWriter(raw)
        with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:  # type: ignore[call-overload]
            for path in sorted(directory.rglob("*")):
                tar.add(path, arcname=str(path.relative_to(directory)), recursive=False)
    partial.replace(destination)
    return ArchiveFile(path=destination, sha256=writer.digest.hexdigest(), size=writer.size)


class _HashingReader:
    """A read-only stream that hashes what is read and reports progress."""

    def __init__(self, source: Readable, progress: Progress | None) -> None:
        self._source = source
        self._progress = progress
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self.digest.update(data)
        if self._progress is not None and data:
            self._progress(len(data))
        return data


# tarfile's "data" filter (refuses links, devices and paths leaving the directory) came with
# 3.11.4 and 3.12; older 3.11 releases (Debian 12's 3.11.2, say) get the same rules from us.
_DATA_FILTER: dict[str, Any] = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


def _checked(members: Iterator[tarfile.TarInfo]) -> Iterator[tarfile.TarInfo]:
    """Only plain files and directories, at relative paths inside the destination."""
    for member in members:
        path = PurePosixPath(member.name)
        if path.is_absolute() or ".." in path.parts:
            raise ValueError(f"member {member.name!r} would land outside the snapshot directory")
        if not (member.isfile() or member.isdir()):
            raise ValueError(f"member {member.name!r} is not a plain file or directory")
        member.mode &= 0o755  # no setuid/setgid/sticky bits, no group or world writes
        yield member


def _corrupt(name: str, problem: str) -> SnapshotCorruptError:
    return SnapshotCorruptError(
        f"snapshot {name} is corrupt: {problem}. Nothing was changed. Fix: point at an earlier "
        "snapshot with `receipt-chroma repoint --manifest <snapshots/v...json>` (list them with "
        "`receipt-chroma snapshots`), or compact again from one",
        key=name,
    )


def extract_stream(
    source: Readable, *, sha256: str, destination: Path, name: str,
    progress: Progress | None = None,
) -> None:  # fmt: skip
    """Unpack a tar stream into `destination` while hashing it; keep it only if the SHA-256
    matches. One pass, no archive copy on disk (Lambda's /tmp is small). It is unpacked into a
    temporary directory of its own beside `destination` and renamed when verified. `name` is
    what an error names; nothing is left at `destination` on failure (an old copy there is
    replaced only on success)."""
    partial = Path(tempfile.mkdtemp(prefix=f".{destination.name}.partial-", dir=destination.parent))
    reader = _HashingReader(source, progress)
    try:
        with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
            tar.extractall(partial, members=_checked(iter(tar)), **_DATA_FILTER)
        while reader.read(_CHUNK):  # the end-of-archive padding counts too
            pass
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise _corrupt(name, f"it cannot be unpacked ({error})") from None
    found = reader.digest.hexdigest()
    if found != sha256:
        shutil.rmtree(partial, ignore_errors=True)
        raise _corrupt(name, f"its SHA-256 is {found}, the manifest records {sha256}")
    shutil.rmtree(destination, ignore_errors=True)
    partial.replace(destination)


def extract_verified(archive: Path, *, sha256: str, destination: Path, name: str) -> None:
    """`extract_stream` over a local archive file."""
    with archive.open("rb") as handle:
        extract_stream(handle, sha256=sha256, destination=destination, name=name)


def pull_snapshot(
    store: ObjectStore, *, archive_key: str, sha256: str, destination: Path,
    progress: Progress | None = None,
) -> None:  # fmt: skip
    """Stream a snapshot archive from S3 into `destination`, verified (see `extract_stream`)."""
    body = store.open(
        archive_key, what="snapshot archive",
        fix="the pointer or manifest names a removed snapshot: point at another with "
        "`receipt-chroma repoint --manifest <snapshots/v...json>`; nothing was changed",
    )  # fmt: skip
    try:
        extract_stream(body, sha256=sha256, destination=destination,
                       name=store.config.url(archive_key), progress=progress)  # fmt: skip
    finally:
        body.close()
