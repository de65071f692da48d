"""A Chroma collection seen through the schema: validated writes, embedding-only queries."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from receipt_chroma.errors import MissingEmbeddingError, ReadOnlyError, SchemaError
from receipt_chroma.lifetime import Lifetime
from receipt_chroma.records import Match, MetadataValue, Record, RecordLike
from receipt_chroma.schema import (
    from_chroma_metadata,
    schema_for,
    to_chroma_metadata,
    validate,
)

_NO_TEXT_EMBEDDING = (
    "receipt_chroma never embeds text itself (Chroma's default embedder would download an ONNX "
    "model): embed with your embedder, e.g. receipt_label.HashingEmbedder, and pass the vectors"
)


def _refuse_single_id(ids: Sequence[str]) -> None:
    """A lone string is a Sequence[str] too: Chroma would take each character for an ID."""
    if isinstance(ids, str):
        raise TypeError(f"pass a list of IDs, e.g. [{ids!r}], not a single string")


class ReceiptCollection:
    """One collection (`words`, `lines`, ...). Satisfies receipt_label's `VectorIndex`."""

    def __init__(
        self, *, collection: Any, name: str, read_only: bool, lifetime: Lifetime | None = None
    ) -> None:
        self._collection = collection
        self._lifetime = lifetime or Lifetime(f"collection {name!r}")
        self.name = name
        self._schema = schema_for(name)
        self._read_only = read_only
        self._dimension: int | None = None

    def _refuse_writes(self, action: str) -> None:
        self._lifetime.check(f"{action} collection {self.name!r}")
        if self._read_only:
            raise ReadOnlyError(
                f"cannot {action} collection {self.name!r}: this client was opened read-only"
            )

    def dimension(self) -> int | None:
        """The embedding dimension of the stored records (None while the collection is empty)."""
        if self._dimension is None:
            self._lifetime.check(f"read collection {self.name!r}")
            sample = self._collection.get(limit=1, include=["embeddings"])
            embeddings = sample.get("embeddings")
            if embeddings is not None and len(embeddings) > 0:
                self._dimension = len(embeddings[0])
        return self._dimension

    def _check(self, records: Sequence[RecordLike]) -> None:
        expected = self.dimension()
        for record in records:
            if record.embedding is None or len(record.embedding) == 0:
                raise MissingEmbeddingError(
                    f"{self.name} record {record.id!r} has no embedding. {_NO_TEXT_EMBEDDING}"
                )
            if self._schema is not None:
                validate(self._schema, record)
            expected = expected or len(record.embedding)
            if len(record.embedding) != expected:
                raise SchemaError(
                    collection=self.name,
                    record_id=record.id,
                    field="embedding",
                    problem=f"has {len(record.embedding)} dimensions; this collection holds "
                    f"{expected}-dimensional embeddings",
                )

    def upsert(self, records: Sequence[RecordLike]) -> None:
        """Insert or replace records, each validated against the schema first (all or none)."""
        self._refuse_writes("write to")
        if not records:
            return
        self._check(records)
        self._collection.upsert(
            ids=[record.id for record in records],
            embeddings=[list(record.embedding or ()) for record in records],
            documents=[record.document or "" for record in records],
            metadatas=[to_chroma_metadata(record.metadata) or None for record in records],
        )
        if self._dimension is None:
            self._dimension = len(records[0].embedding or ())

    def delete(self, ids: Sequence[str]) -> None:
        self._refuse_writes("delete from")
        _refuse_single_id(ids)
        if ids:
            self._collection.delete(ids=list(ids))

    def count(self) -> int:
        self._lifetime.check(f"count collection {self.name!r}")
        return int(self._collection.count())

    def query(
        self,
        embedding: Sequence[float] | None,
        *,
        n_results: int,
        where: Mapping[str, object] | None = None,
    ) -> list[Match]:
        """The nearest records to `embedding` satisfying `where`, nearest first."""
        self._lifetime.check(f"query collection {self.name!r}")
        if isinstance(embedding, str | bytes) or embedding is None or len(embedding) == 0:
            found_text = f", not text: {embedding!r}" if isinstance(embedding, str | bytes) else ""
            raise MissingEmbeddingError(f"a query of {self.name!r} needs an embedding"
                                        f"{found_text}. {_NO_TEXT_EMBEDDING}")  # fmt: skip
        found = self._collection.query(
            query_embeddings=[list(embedding)],
            n_results=n_results,
            where=dict(where) if where else None,
            include=["documents", "metadatas", "distances"],
        )
        return [
            Match(
                id=record_id,
                embedding=None,
                document=document,
                metadata=self._metadata(record_id, metadata),
                distance=float(distance),
            )
            for record_id, document, metadata, distance in zip(
                found["ids"][0],
                found["documents"][0],
                found["metadatas"][0],
                found["distances"][0],
                strict=True,
            )
        ]

    def _metadata(
        self, record_id: str, metadata: Mapping[str, MetadataValue] | None
    ) -> dict[str, MetadataValue]:
        return from_chroma_metadata(self._schema, metadata, record_id=record_id)

    def _records(self, found: Mapping[str, Any]) -> list[Record]:
        embeddings = found.get("embeddings")
        return [
            Record(
                id=record_id,
                embedding=tuple(float(v) for v in embeddings[index])
                if embeddings is not None
                else None,
                document=found["documents"][index],
                metadata=self._metadata(record_id, found["metadatas"][index]),
            )
            for index, record_id in enumerate(found["ids"])
        ]

    def get(self, ids: Sequence[str], *, with_embeddings: bool = False) -> list[Record]:
        """The records with these IDs that exist, in the order asked for."""
        self._lifetime.check(f"read collection {self.name!r}")
        _refuse_single_id(ids)
        if not ids:
            return []
        include = ["documents", "metadatas"] + (["embeddings"] if with_embeddings else [])
        by_id = {
            r.id: r for r in self._records(self._collection.get(ids=list(ids), include=include))
        }
        return [by_id[key] for key in ids if key in by_id]

    def all_records(self, *, batch_size: int = 1000) -> Iterator[Record]:
        """Every record with its embedding, in batches (for snapshots and compaction)."""
        offset = 0
        while True:
            self._lifetime.check(f"read collection {self.name!r}")
            found = self._collection.get(
                limit=batch_size,
                offset=offset,
                include=["embeddings", "documents", "metadatas"],
            )
            batch = self._records(found)
            yield from batch
            if len(batch) < batch_size:
                return
            offset += batch_size
