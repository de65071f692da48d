"""Collections through a real Chroma server: schema checks, embeddings required, read-only mode.

These run with the thin client (`[lambda]`) and with the full `chromadb` (`[full]`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from live_services import ChromaEndpoint

if TYPE_CHECKING:
    from conftest import RecordFactory

from receipt_chroma import (
    ChromaClient,
    CollectionNotFoundError,
    MetadataValue,
    MissingEmbeddingError,
    ReadOnlyError,
    Record,
    RecordLike,
    SchemaError,
)
from receipt_chroma.identity import SCHEMA_KEY, marker
from receipt_chroma.storage import decode, encode, make_delta


def test_words_round_trip_with_label_arrays(
    http_client: ChromaClient, records: RecordFactory
) -> None:
    words = http_client.words(create=True)
    stored = [
        records.word(1, 0, valid=["TAX"], invalid=["LINE_TOTAL"]),
        records.word(1, 1),  # no labels at all: the empty lists are not sent to Chroma
        records.word(2, 0, valid=["GRAND_TOTAL"]),
    ]
    words.upsert(stored)
    assert words.count() == 3
    back = words.get([stored[1].id, stored[0].id])
    assert [record.id for record in back] == [stored[1].id, stored[0].id]
    assert back[0].metadata["valid_labels"] == []
    assert back[1].metadata["valid_labels"] == ["TAX"]
    assert back[1].metadata["invalid_labels"] == ["LINE_TOTAL"]


def test_query_by_embedding_with_a_label_filter(
    http_client: ChromaClient, records: RecordFactory
) -> None:
    words = http_client.words(create=True)
    words.upsert(
        [records.word(line, 0, valid=["TAX"] if line % 2 else ["DATE"]) for line in range(10)]
    )
    probe = records.vector(300)  # the embedding of word (3, 0)
    found = words.query(probe, n_results=3, where={"valid_labels": {"$contains": "TAX"}})
    assert found[0].id.endswith("#LINE#00003#WORD#00000")
    assert found[0].distance == pytest.approx(0.0, abs=1e-5)
    assert all("TAX" in match.metadata["valid_labels"] for match in found)  # type: ignore[operator]
    assert [m.distance for m in found] == sorted(m.distance for m in found)


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"colour": "red"}, "colour", "not in the words schema"),
        ({"x": 1.5}, "x", "within 0..1"),
        ({"line_number": "3"}, "line_number", "expected int"),
        ({"valid_labels": ["TOTAL"]}, "valid_labels", "unknown labels ['TOTAL']"),
        ({"label_status": "done"}, "label_status", "must be one of"),
        ({"line_number": 4}, "line_number", "the record's ID says 3"),
        ({"merchant_name": "Target"}, "merchant_name", "upper-case"),
        ({"confidence": True}, "confidence", "boolean"),
    ],
)
def test_a_record_breaking_the_schema_is_refused_and_nothing_is_written(
    http_client: ChromaClient,
    change: dict[str, object],
    field: str,
    problem: str,
    records: RecordFactory,
) -> None:
    words = http_client.words(create=True)
    good = records.word(3, 0)
    bad = records.word(3, 1, **change)
    with pytest.raises(SchemaError) as failure:
        words.upsert([good, bad])
    assert failure.value.record_id == bad.id
    assert failure.value.field == field
    assert problem in str(failure.value)
    assert words.count() == 0


def test_a_missing_field_and_a_malformed_id_are_named(
    http_client: ChromaClient, records: RecordFactory
) -> None:
    lines = http_client.lines(create=True)
    record = records.line(2)
    partial = Record(
        id=record.id,
        embedding=record.embedding,
        document=record.document,
        metadata={k: v for k, v in record.metadata.items() if k != "normalized_phone"},
    )
    with pytest.raises(SchemaError, match="'normalized_phone': is missing"):
        lines.upsert([partial])
    with pytest.raises(SchemaError, match="must be 10 digits"):
        lines.upsert([records.line(2, phone="555-0142")])
    renamed = Record(
        id="LINE-2", embedding=record.embedding, document=None, metadata=record.metadata
    )
    with pytest.raises(SchemaError, match=r"field 'id': must look like IMAGE#<uuid>"):
        lines.upsert([renamed])


def test_a_wrong_embedding_dimension_names_the_expected_one(
    http_client: ChromaClient, records: RecordFactory
) -> None:
    words = http_client.words(create=True)
    words.upsert([records.word(1, 0)])
    with pytest.raises(SchemaError, match=f"this collection holds {records.dimension}-dimensional"):
        words.upsert([records.word(1, 1, dimension=records.dimension + 1)])
    assert words.count() == 1


def test_writes_and_queries_without_embeddings_name_the_fix(
    http_client: ChromaClient, records: RecordFactory
) -> None:
    words = http_client.words(create=True)
    record = records.word(1, 0)
    unembedded = Record(id=record.id, embedding=None, document="TAX", metadata=record.metadata)
    with pytest.raises(MissingEmbeddingError, match="embed with your embedder"):
        words.upsert([unembedded])
    with pytest.raises(MissingEmbeddingError, match="needs an embedding"):
        words.query(None, n_results=1)
    with pytest.raises(MissingEmbeddingError, match="not text: 'TOTAL'"):
        words.query("TOTAL", n_results=1)  # type: ignore[arg-type]


def test_a_single_id_string_is_refused_not_split_into_characters(
    http_client: ChromaClient, records: RecordFactory
) -> None:
    words = http_client.words(create=True)
    words.upsert([records.word(1, 0)])
    record_id = records.word(1, 0).id
    with pytest.raises(TypeError, match=r"a list of IDs.*\[" + "'IMAGE"):
        words.delete(record_id)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a list of IDs"):
        words.get(record_id)  # type: ignore[arg-type]
    assert words.count() == 1


def test_a_collection_made_with_chromas_default_embedder_never_loads_onnx(
    chroma_endpoint: ChromaEndpoint, http_client: ChromaClient, records: RecordFactory
) -> None:
    # GIVEN a collection created elsewhere in the right space, with the schema marker, but with
    # Chroma's default embedding function recorded in its configuration
    code = (
        "import chromadb\n"
        f"c = chromadb.HttpClient(host='{chroma_endpoint.host}', port={chroma_endpoint.port})\n"
        "c.get_or_create_collection('legacy', configuration={'hnsw': {'space': 'cosine'}},\n"
        f"    metadata={{'{SCHEMA_KEY}': '{marker('legacy')}'}})\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    # WHEN we open it and write with and without embeddings
    legacy = http_client.collection("legacy")
    record = records.word(1, 0)
    legacy.upsert([record])
    with pytest.raises(MissingEmbeddingError):
        legacy.upsert([Record(id="x", embedding=None, document="TAX", metadata={})])
    # THEN the data went in and onnxruntime was never imported
    assert legacy.get([record.id])[0].document == record.document
    assert "onnxruntime" not in sys.modules


def test_a_read_only_client_refuses_every_write(
    chroma_endpoint: ChromaEndpoint, http_client: ChromaClient, records: RecordFactory
) -> None:
    http_client.words(create=True).upsert([records.word(1, 0)])
    with ChromaClient.http(chroma_endpoint.host, chroma_endpoint.port, read_only=True) as reader:
        words = reader.words()
        assert words.count() == 1
        with pytest.raises(ReadOnlyError, match="read-only"):
            words.upsert([records.word(1, 1)])
        with pytest.raises(ReadOnlyError):
            words.delete([records.word(1, 0).id])
        with pytest.raises(ReadOnlyError):
            reader.drop("words")
        with pytest.raises(CollectionNotFoundError, match="'lines' does not exist"):
            reader.lines()
    assert http_client.words().count() == 1


def test_delete_removes_records(http_client: ChromaClient, records: RecordFactory) -> None:
    words = http_client.words(create=True)
    words.upsert([records.word(1, 0), records.word(1, 1)])
    words.delete([records.word(1, 0).id])
    assert [r.id for r in words.get([records.word(1, 0).id, records.word(1, 1).id])] == [
        records.word(1, 1).id
    ]


def test_chroma_environment_variables_and_dotenv_do_not_leak_in(
    chroma_endpoint: ChromaEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("CHROMA_SERVER_HOST=somewhere.invalid\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CHROMA_SERVER_HOST", "elsewhere.invalid")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "True")
    with ChromaClient.http(chroma_endpoint.host, chroma_endpoint.port) as client:
        assert client.heartbeat() > 0
        assert client._api.get_settings().anonymized_telemetry is False
    assert os.environ["CHROMA_SERVER_HOST"] == "elsewhere.invalid"


def test_the_cloud_constructor_speaks_to_a_chroma_service(
    chroma_endpoint: ChromaEndpoint, records: RecordFactory
) -> None:
    # A self-hosted server stands in for Chroma Cloud / a distributed cluster: same HTTP API,
    # plus the token header the cloud client sends.
    with ChromaClient.cloud(
        api_key="ck-test",
        tenant="default_tenant",
        database="default_database",
        host=chroma_endpoint.host,
        port=chroma_endpoint.port,
        ssl=False,
    ) as client:
        client.drop("lines")
        lines = client.lines(create=True)
        lines.upsert([records.line(0, phone="6505550142")])
        found = lines.query(records.vector(10_000), n_results=1)
        assert found[0].metadata["normalized_phone"] == "6505550142"


@dataclass(frozen=True)
class ForeignRecord:
    """A record type of the caller's own (as receipt_label.IndexRecord is): not a Record."""

    id: str
    embedding: list[float]
    document: str | None
    metadata: Mapping[str, MetadataValue]


def test_any_record_like_is_written_and_read_back_as_records(
    http_client: ChromaClient, records: RecordFactory
) -> None:
    model = records.word(4, 2, valid=["TAX"])
    mine = ForeignRecord(model.id, list(model.embedding or ()), model.document, model.metadata)
    assert isinstance(mine, RecordLike)
    words = http_client.words(create=True)
    words.upsert([mine])
    (back,) = words.get([mine.id], with_embeddings=True)
    assert isinstance(back, Record)
    assert back.embedding == pytest.approx(model.embedding)
    delta = decode(
        encode(make_delta(collection="words", upserts=[mine], created_ms=1)), where="test"
    )
    assert delta.upserts[0] == Record(
        id=mine.id, embedding=delta.upserts[0].embedding, document=mine.document,
        metadata=dict(model.metadata),
    )  # fmt: skip
    assert delta.upserts[0].embedding == pytest.approx(model.embedding)
