"""Collections made elsewhere are checked on open; opening never creates anything.

A collection is ours when it is in cosine space and its metadata carries receipt_chroma's schema
marker. Collections are made here with raw `chromadb` in another process, as another team or an
older tool would, on a real `chroma run` server and (with `[full]`) in an embedded store.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from live_services import ChromaEndpoint
from receipt_chroma import (
    ChromaClient,
    CollectionNotFoundError,
    SchemaError,
    StoreNotFoundError,
)
from receipt_chroma.identity import SCHEMA_KEY

if TYPE_CHECKING:
    from conftest import RecordFactory


@dataclass(frozen=True)
class Place:
    """One Chroma database, reached raw (another process) or through receipt_chroma."""

    kind: str
    endpoint: ChromaEndpoint
    directory: Path

    def raw(self, statements: str) -> str:
        """Run `statements` with `client` bound to a raw chromadb client of this place."""
        if self.kind == "http":
            host, port = self.endpoint.host, self.endpoint.port
            opening = f"client = chromadb.HttpClient(host={host!r}, port={port})"
        else:
            opening = f"client = chromadb.PersistentClient(path={str(self.directory)!r})"
        code = f"import chromadb\n{opening}\n{statements}\n"
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def open(self, *, read_only: bool = False) -> ChromaClient:
        if self.kind == "http":
            return ChromaClient.http(self.endpoint.host, self.endpoint.port, read_only=read_only)
        return ChromaClient.persistent(self.directory, read_only=read_only)


@pytest.fixture(params=["http", pytest.param("persistent", marks=pytest.mark.embedded)])
def place(
    request: pytest.FixtureRequest, chroma_endpoint: ChromaEndpoint, tmp_path: Path
) -> Iterator[Place]:
    found = Place(kind=request.param, endpoint=chroma_endpoint, directory=tmp_path / "store")
    with found.open() as client:
        for name in client.collection_names():
            client.drop(name)
    yield found


def test_a_collection_in_l2_space_is_refused_naming_both_spaces(place: Place) -> None:
    # GIVEN `words` made with Chroma's defaults (L2 distance, not cosine)
    place.raw("client.create_collection('words', embedding_function=None)")
    # WHEN it is opened, for reading or "creating"
    with place.open() as client:
        for opening in (client.words, lambda: client.words(create=True)):
            # THEN it is refused: distances would mean something else, silently
            with pytest.raises(SchemaError, match=r"space: .*'l2'.* needs 'cosine'") as failure:
                opening()
            assert failure.value.collection == "words"
            assert failure.value.record_id is None
    # AND it was left as it was
    space = "print(client.get_collection('words').configuration_json['hnsw']['space'])"
    assert place.raw(space).strip() == "l2"


def test_a_collection_without_the_schema_marker_is_refused(place: Place) -> None:
    place.raw(
        "client.create_collection('words', configuration={'hnsw': {'space': 'cosine'}},"
        " metadata={'owner': 'pricing-team'}, embedding_function=None)"
    )
    with place.open(read_only=True) as client, pytest.raises(SchemaError) as failure:
        client.words()
    message = str(failure.value)
    assert SCHEMA_KEY in message
    assert "'words/v1'" in message
    assert "{'owner': 'pricing-team'}" in message
    # nothing was stamped on it by the attempt
    assert "receipt_chroma" not in place.raw("print(client.get_collection('words').metadata)")


def test_a_collection_marked_for_another_schema_is_refused(place: Place) -> None:
    place.raw(
        "client.create_collection('words', configuration={'hnsw': {'space': 'cosine'}},"
        f" metadata={{'{SCHEMA_KEY}': 'lines/v1'}}, embedding_function=None)"
    )
    with place.open() as client, pytest.raises(SchemaError, match=r"'lines/v1'.*'words/v1'"):
        client.words()


def test_a_record_with_foreign_metadata_is_named_when_read(
    place: Place, records: RecordFactory
) -> None:
    with place.open() as client:
        client.words(create=True).upsert([records.word(1, 0)])
    foreign_id = records.word(1, 1).id
    place.raw(
        f"client.get_collection('words').add(ids=[{foreign_id!r}],"
        f" embeddings=[{list(records.vector(101))}], metadatas=[{{'label': 'TOTAL'}}])"
    )
    with place.open(read_only=True) as client:
        words = client.words()
        assert [r.id for r in words.get([records.word(1, 0).id])] == [records.word(1, 0).id]
        for read in (
            lambda: words.get([foreign_id]),
            lambda: words.query(records.vector(101), n_results=1),
        ):
            with pytest.raises(SchemaError, match=r"field 'label'.*written without") as failure:
                read()
            assert failure.value.record_id == foreign_id


def test_a_typo_creates_nothing(place: Place) -> None:
    with place.open() as client:
        client.words(create=True)
        with pytest.raises(CollectionNotFoundError, match=r"'wrods' does not exist.*'words'"):
            client.collection("wrods")
        assert client.collection_names() == ["words"]


def test_creating_is_explicit_and_marks_the_collection(place: Place) -> None:
    with place.open() as client:
        with pytest.raises(CollectionNotFoundError, match="create=True"):
            client.lines()
        assert client.collection_names() == []
        client.lines(create=True)
    stored = place.raw(
        "c = client.get_collection('lines')\n"
        "print(c.metadata)\n"
        "print(c.configuration_json['hnsw']['space'])"
    )
    assert stored.split("\n")[:2] == [f"{{'{SCHEMA_KEY}': 'lines/v1'}}", "cosine"]
    with place.open(read_only=True) as client:
        assert client.lines().count() == 0


@pytest.mark.embedded
def test_a_read_only_store_is_never_created(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-store"
    with pytest.raises(StoreNotFoundError, match=rf"{missing}.*read-only client never creates"):
        ChromaClient.persistent(missing, read_only=True)
    assert not missing.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(StoreNotFoundError):
        ChromaClient.persistent(empty, read_only=True)
    assert list(empty.iterdir()) == []


def test_a_dropped_collection_leaves_no_label_lists_behind(
    place: Place, records: RecordFactory
) -> None:
    # GIVEN a words collection whose first record carries labels, dropped
    with place.open() as client:
        client.words(create=True).upsert([records.word(1, 0, valid=["TAX"], invalid=["DATE"])])
        client.drop("words")
        # WHEN a new collection gets its first record, one with no labels at all
        words = client.words(create=True)
        words.upsert([records.word(2, 0)])
        # THEN it reads back with no labels (Chroma 1.5 alone hands it the dropped record's
        # lists: chroma-core/chroma#7594)
        stored = words.get([records.word(2, 0).id])[0].metadata
        assert (stored["valid_labels"], stored["invalid_labels"]) == ([], [])
