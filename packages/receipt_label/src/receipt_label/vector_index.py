"""The small vector-store interface receipt_label's logic is written against.

receipt_label never imports a vector store. Anything whose methods have these shapes is a
`VectorIndex` (structural typing): receipt_chroma's collections are one, a test double is another.
One index serves one collection of records (for example `words` or `lines`).

Metadata filters use the Chroma-compatible `where` dictionary form, which is a de-facto standard:
`{"merchant_name": "COSTCO"}`, `{"valid_labels": {"$contains": "TAX"}}`, `{"$and": [...]}`.
Distances are cosine distances (0 = same direction, 2 = opposite).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

MetadataValue = str | int | float | bool | list[str] | list[int] | list[float] | list[bool]
Where = Mapping[str, object]


@runtime_checkable
class VectorRecord(Protocol):
    """A stored record: its ID, document text and metadata."""

    @property
    def id(self) -> str: ...

    @property
    def document(self) -> str | None: ...

    @property
    def metadata(self) -> Mapping[str, MetadataValue]: ...


@runtime_checkable
class VectorMatch(VectorRecord, Protocol):
    """A record returned by a nearest-neighbour query, with its distance to the query."""

    @property
    def distance(self) -> float: ...


@runtime_checkable
class VectorIndex(Protocol):
    """Query by embedding with a metadata filter; get records by ID."""

    def query(
        self,
        embedding: Sequence[float],
        *,
        n_results: int,
        where: Where | None = None,
    ) -> Sequence[VectorMatch]:
        """The `n_results` nearest records to `embedding` that satisfy `where`, nearest first."""
        ...

    def get(self, ids: Sequence[str]) -> Sequence[VectorRecord]:
        """The records with these IDs that exist, in the order asked for."""
        ...
