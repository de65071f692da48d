"""Embedded stores: they work with `[full]` and refuse clearly with `[lambda]`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import RecordFactory

from receipt_chroma import ChromaClient, ChromaInstallError, Flavour, ReadOnlyError


def test_the_thin_client_refuses_embedded_stores_with_the_fix(flavour: Flavour) -> None:
    if flavour is Flavour.LAMBDA:
        with pytest.raises(ChromaInstallError, match=r"receipt-chroma\[full\]"):
            ChromaClient.persistent(Path("/tmp/never-created"))
        assert not Path("/tmp/never-created").exists()
    else:
        with ChromaClient.in_memory() as client:
            assert client.words(create=True).count() == 0


@pytest.mark.embedded
def test_in_memory_store_round_trip(records: RecordFactory) -> None:
    with ChromaClient.in_memory() as client:
        client.drop("words")
        words = client.words(create=True)
        words.upsert([records.word(1, 0, valid=["DATE"])])
        assert words.get([records.word(1, 0).id])[0].metadata["valid_labels"] == ["DATE"]


@pytest.mark.embedded
def test_persistent_store_survives_reopen_and_read_only_refuses_writes(
    tmp_path: Path, records: RecordFactory
) -> None:
    with ChromaClient.persistent(tmp_path / "db") as client:
        client.words(create=True).upsert([records.word(1, 0), records.word(1, 1)])
    with ChromaClient.persistent(tmp_path / "db", read_only=True) as reader:
        words = reader.words()
        assert words.count() == 2
        with pytest.raises(ReadOnlyError):
            words.upsert([records.word(1, 2)])
        assert [r.id for r in words.all_records(batch_size=1)] == sorted(
            [records.word(1, 0).id, records.word(1, 1).id]
        ) or words.count() == 2


def _descriptors_into(directory: Path) -> list[str]:
    """Paths under `directory` this process holds open (read from /proc/self/fd)."""
    held = []
    for entry in Path("/proc/self/fd").iterdir():
        try:
            target = str(entry.readlink())
        except FileNotFoundError:  # closed while we looked (another thread)
            continue
        if target.startswith(str(directory)):
            held.append(target)
    return held


def _descriptor_count() -> int:
    return sum(1 for _ in Path("/proc/self/fd").iterdir())


@pytest.mark.embedded
def test_close_releases_the_directory_for_archive_replace_and_reopen(
    tmp_path: Path, records: RecordFactory
) -> None:
    live = tmp_path / "live"
    counts = []
    for round_number in range(50):
        # GIVEN the live directory holds `round_number + 1` records, written and closed
        staging = tmp_path / f"staging-{round_number}"
        with ChromaClient.persistent(staging) as client:
            client.words(create=True).upsert(
                [records.word(1, word) for word in range(round_number + 1)]
            )
        assert _descriptors_into(tmp_path) == []
        # WHEN it is archived, replaced by the new version, and reopened at the same path
        if live.exists():
            with tarfile.open(tmp_path / "previous.tar", "w") as archive:
                archive.add(live, arcname="live")
            shutil.rmtree(live)
        staging.rename(live)
        with ChromaClient.persistent(live, read_only=True) as reader:
            # THEN the reopened store serves the new contents, not cached old ones
            assert reader.words().count() == round_number + 1
        # AND closing let go of every file in it
        assert _descriptors_into(tmp_path) == []
        counts.append(_descriptor_count())
    # Background threads open and close a few descriptors of their own; the count must not grow.
    assert max(counts[-10:]) <= max(counts[:10])


# Amazon Linux 2's sqlite3 (3.7.17) cannot be had here: a stand-in module reports that version,
# the only fault mocked in these tests.
OLD_SQLITE = """
import sqlite3, sys, types
old = types.ModuleType("sqlite3")
old.__dict__.update(sqlite3.__dict__)
old.sqlite_version_info, old.sqlite_version = (3, 7, 17), "3.7.17"
sys.modules["sqlite3"] = old
if sys.argv[2] == "no-pysqlite3":
    sys.modules["pysqlite3"] = None  # as on arm64, where pysqlite3-binary has no wheel
"""
PERSIST = """
from pathlib import Path
from receipt_chroma import ChromaClient, Record
with ChromaClient.persistent(Path(sys.argv[1])) as client:
    scratch = client.collection("scratch", create=True)
    scratch.upsert([Record(id="a", embedding=(1.0, 0.0), document="", metadata={})])
    module = sys.modules["sqlite3"]
    print(scratch.count(), module.__name__, module is old)
"""


def _run(code: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, check=False
    )


@pytest.mark.embedded
def test_chromadb_refuses_an_old_sqlite3_on_its_own(tmp_path: Path) -> None:
    refused = _run(OLD_SQLITE + "import chromadb", str(tmp_path), "no-pysqlite3")
    assert "unsupported version of sqlite3" in refused.stderr


@pytest.mark.embedded
def test_an_old_sqlite3_is_passed_through_the_gate_when_pysqlite3_is_missing(
    tmp_path: Path,
) -> None:
    result = _run(OLD_SQLITE + PERSIST, str(tmp_path / "db"), "no-pysqlite3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "sqlite3", "True"]  # the real module is back
    assert "older than chromadb's gate" in result.stderr


@pytest.mark.embedded
def test_an_old_sqlite3_is_replaced_by_pysqlite3_where_it_is_installed(tmp_path: Path) -> None:
    try:
        import pysqlite3  # noqa: F401
    except ImportError:
        pytest.fail("pysqlite3-binary should be installed with [full] on x86_64 python3.11")
    result = _run(OLD_SQLITE + PERSIST, str(tmp_path / "db"), "with-pysqlite3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "pysqlite3", "False"]
