"""Snapshot archives unpack only plain files and directories inside the destination, on every
Python the package supports (tarfile's own "data" filter is missing before 3.11.4)."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from receipt_chroma.errors import SnapshotCorruptError
from receipt_chroma.storage import archive as archive_module
from receipt_chroma.storage.archive import extract_stream, make_archive


@pytest.fixture(params=["tarfile filter", "our checks alone"], autouse=True)
def tar_filter(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test twice: with tarfile's "data" filter and as on a Python without it."""
    if request.param == "our checks alone":
        monkeypatch.setattr(archive_module, "_DATA_FILTER", {})


def _tar(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in members:
            info.size = len(data) if info.isfile() else 0
            tar.addfile(info, io.BytesIO(data) if info.isfile() else None)
    return buffer.getvalue()


def _file(name: str, data: bytes = b"x", mode: int = 0o644) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.mode = mode
    return info, data


def _link(name: str, target: str) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    return info, b""


def _extract(data: bytes, destination: Path) -> None:
    extract_stream(
        io.BytesIO(data), sha256=hashlib.sha256(data).hexdigest(), destination=destination,
        name="s3://bucket/snapshots/v000000000001-abc.tar",
    )  # fmt: skip


def test_a_closed_directory_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "store"
    (source / "segment").mkdir(parents=True)
    (source / "chroma.sqlite3").write_bytes(b"sqlite")
    (source / "segment" / "data_level0.bin").write_bytes(b"\0" * 4096)
    archive = make_archive(source, tmp_path / "snapshot.tar")
    destination = tmp_path / "copy"
    _extract(archive.path.read_bytes(), destination)
    assert (destination / "chroma.sqlite3").read_bytes() == b"sqlite"
    assert (destination / "segment" / "data_level0.bin").stat().st_size == 4096


@pytest.mark.parametrize(
    ("member", "problem"),
    [
        (_file("../escaped"), "would land outside the snapshot directory"),
        (_file("/etc/escaped"), "would land outside the snapshot directory"),
        (_link("chroma.sqlite3", "/etc/passwd"), "is not a plain file or directory"),
    ],
    ids=["parent path", "absolute path", "symlink"],
)
def test_a_hostile_member_is_refused_and_nothing_is_left(
    tmp_path: Path, member: tuple[tarfile.TarInfo, bytes], problem: str
) -> None:
    # GIVEN an archive whose checksum matches but which holds a member that leaves its directory
    data = _tar(_file("ok.bin"), member)
    destination = tmp_path / "work" / "copy"
    destination.parent.mkdir()
    # WHEN it is unpacked THEN it is refused as corrupt, naming the archive and the member
    with pytest.raises(SnapshotCorruptError, match=problem) as refused:
        _extract(data, destination)
    assert "s3://bucket/snapshots/v000000000001-abc.tar" in str(refused.value)
    # AND nothing was written, inside or outside the destination
    assert list(destination.parent.iterdir()) == []
    assert not (tmp_path / "escaped").exists()


def test_special_mode_bits_are_dropped(tmp_path: Path) -> None:
    data = _tar(_file("tool", mode=0o4777))
    _extract(data, tmp_path / "copy")
    assert (tmp_path / "copy" / "tool").stat().st_mode & 0o7777 == 0o755
