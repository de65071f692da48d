"""What goes in and comes out of a collection: records with IDs, embeddings, text and metadata.

Named tuples rather than dataclasses: `dataclasses` (with the `inspect` module it loads) would
cost as much as the rest of `import receipt_chroma` together.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

MetadataValue = str | int | float | bool | list[str] | list[int] | list[float] | list[bool]
NO_METADATA: Mapping[str, MetadataValue] = MappingProxyType({})


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
