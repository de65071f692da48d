"""What goes in and comes out of a collection: records with IDs, embeddings, text and metadata.

Writes take any `RecordLike` (a structural type: `receipt_label.IndexRecord` is one, without
either package importing the other); reads give `Record`s and `Match`es. Named tuples rather
than dataclasses: `dataclasses` (with the `inspect` module it loads) would cost as much as the
rest of `import receipt_chroma` together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple, Protocol, runtime_checkable

MetadataValue = str | int | float | bool | list[str] | list[int] | list[float] | list[bool]
NO_METADATA: Mapping[str, MetadataValue] = MappingProxyType({})


@runtime_checkable
class RecordLike(Protocol):
    """What a write accepts: an ID, an embedding (None only on reads), a document, metadata."""

    @property
    def id(self) -> str: ...

    @property
    def embedding(self) -> Sequence[float] | None: ...

    @property
    def document(self) -> str | None: ...

    @property
    def metadata(self) -> Mapping[str, MetadataValue]: ...


class Record(NamedTuple):
    """One stored record. `embedding` is None when a read did not ask for embeddings."""

    id: str
    embedding: tuple[float, ...] | None
    document: str | None
    metadata: Mapping[str, MetadataValue] = NO_METADATA


class Match(NamedTuple):
    """A record returned by a nearest-neighbour query, with its cosine distance to the query."""

    id: str
    embedding: tuple[float, ...] | None
    document: str | None
    metadata: Mapping[str, MetadataValue]
    distance: float


def as_record(record: RecordLike) -> Record:
    """`record` as a `Record` (itself when it is one already)."""
    if isinstance(record, Record):
        return record
    embedding = None if record.embedding is None else tuple(record.embedding)
    return Record(
        id=record.id, embedding=embedding, document=record.document, metadata=record.metadata
    )
