"""A brute-force `VectorIndex` held in memory: exact and dependency-free, for tests and demos."""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from receipt_label.embedding import cosine_distance
from receipt_label.vector_index import MetadataValue, VectorRecord, Where


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredRecord:
    id: str
    document: str | None
    metadata: Mapping[str, MetadataValue]


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredMatch(StoredRecord):
    distance: float


class UnsupportedFilterError(ValueError):
    """A `where` filter uses an operator this index does not implement."""


_ORDERINGS: dict[str, Callable[[float, float], bool]] = {
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
}


def _compare(value: MetadataValue | None, name: str, expected: object) -> bool:
    if name in _ORDERINGS:
        numbers = (int, float)
        if not isinstance(value, numbers) or not isinstance(expected, numbers):
            return False
        return _ORDERINGS[name](value, expected)
    listed = isinstance(value, list) and expected in value
    tests: dict[str, Callable[[], bool]] = {
        "$eq": lambda: value == expected,
        "$ne": lambda: value != expected,
        "$in": lambda: isinstance(expected, list) and value in expected,
        "$nin": lambda: isinstance(expected, list) and value not in expected,
        "$contains": lambda: listed,
        "$not_contains": lambda: not listed,
    }
    if name not in tests:
        raise UnsupportedFilterError(f"unsupported operator {name!r} in where filter")
    return tests[name]()


def matches(metadata: Mapping[str, MetadataValue], where: Where | None) -> bool:
    """Whether `metadata` satisfies a Chroma-style `where` filter."""
    if not where:
        return True
    for key, condition in where.items():
        if key == "$and":
            if not all(matches(metadata, part) for part in _parts(condition)):
                return False
        elif key == "$or":
            if not any(matches(metadata, part) for part in _parts(condition)):
                return False
        elif isinstance(condition, Mapping):
            if not all(_compare(metadata.get(key), op, arg) for op, arg in condition.items()):
                return False
        elif metadata.get(key) != condition:
            return False
    return True


def _parts(condition: object) -> list[Where]:
    if not isinstance(condition, list):
        raise UnsupportedFilterError("$and/$or take a list of filters")
    return condition


class InMemoryVectorIndex:
    """Exact nearest-neighbour search over records kept in a dict (cosine distance)."""

    def __init__(self, records: Iterable[VectorRecord] = ()) -> None:
        self._records: dict[str, tuple[tuple[float, ...], StoredRecord]] = {}
        self.add(records)

    def add(self, records: Iterable[VectorRecord]) -> None:
        for record in records:
            embedding = getattr(record, "embedding", None)
            if embedding is None:
                raise ValueError(f"record {record.id} has no embedding")
            stored = StoredRecord(
                id=record.id, document=record.document, metadata=dict(record.metadata)
            )
            self._records[record.id] = (tuple(embedding), stored)

    def __len__(self) -> int:
        return len(self._records)

    def query(
        self, embedding: Sequence[float], *, n_results: int, where: Where | None = None
    ) -> list[StoredMatch]:
        scored = [
            (cosine_distance(embedding, vector), stored)
            for vector, stored in self._records.values()
            if matches(stored.metadata, where)
        ]
        scored.sort(key=lambda pair: (pair[0], pair[1].id))
        return [
            StoredMatch(
                id=stored.id, document=stored.document, metadata=stored.metadata, distance=distance
            )
            for distance, stored in scored[:n_results]
        ]

    def get(self, ids: Sequence[str]) -> list[StoredRecord]:
        return [self._records[key][1] for key in ids if key in self._records]
