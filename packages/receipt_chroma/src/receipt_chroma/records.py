"""What goes in and comes out of a collection: records with IDs, embeddings, text and metadata."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

MetadataValue = str | int | float | bool | list[str] | list[int] | list[float] | list[bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """One stored record. `embedding` is None when a read did not ask for embeddings."""

    id: str
    embedding: tuple[float, ...] | None
    document: str | None
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Match(Record):
    """A record returned by a nearest-neighbour query, with its cosine distance to the query."""

    distance: float
