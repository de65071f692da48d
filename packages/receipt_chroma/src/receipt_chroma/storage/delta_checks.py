"""What a merge or Chroma would refuse in a delta, found before it is written (the producer gets
the error) and again before it is merged (the compactor quarantines the delta).

Chroma refuses NaN/infinite embeddings, nested or mixed-type metadata, empty or reserved keys,
empty IDs and text that is not UTF-8; it silently drops or changes null, NaN and beyond-64-bit
metadata values and a missing document, which a merge's verification then fails on. A
`created_ms` must fit the 13 digits of a delta's name (milliseconds, not microseconds).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from receipt_chroma.errors import DeltaError, SchemaError
from receipt_chroma.records import Record
from receipt_chroma.schema import CollectionName, validate

if TYPE_CHECKING:
    from receipt_chroma.storage.delta import Delta

MAX_CREATED_MS = 10**13 - 1
"""13 digits, as in a delta's name: milliseconds since 1970 until the year 2286."""
MAX_SEQUENCE = 2**63 - 1
MAX_PRODUCER = 256
_FLOAT32_MAX = 3.4028234663852886e38
_INT64 = 2**63
_RESERVED_PREFIXES = ("#", "$", "chroma:")
WRITER_FIX = "fix the producer; nothing was written"


def _text_problem(value: object, what: str) -> str | None:
    if not isinstance(value, str):
        return f"{what} must be a string, found {type(value).__name__} {value!r}"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"{what} {value!r} is not encodable as UTF-8 (a lone surrogate?)"
    return None


def _integer_problem(value: object, what: str, top: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        return f"{what} must be an integer in 0..{top}, found {value!r}"
    return None


def _created_ms_problem(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_CREATED_MS:
        return (f"created_ms {value} has {len(str(value))} digits: that looks like "
                "microseconds; pass milliseconds since 1970")  # fmt: skip
    return _integer_problem(value, "created_ms", MAX_CREATED_MS)


def _scalar_problem(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        return _text_problem(value, "the string")
    if isinstance(value, int):
        inside = -_INT64 <= value < _INT64
        return None if inside else f"{value} is beyond 64 bits (Chroma would store a float)"
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value} is not finite (Chroma stores null)"
    if value is None:
        return "null (Chroma drops the field)"
    return (f"a {type(value).__name__} {value!r}: Chroma takes a string, integer, float, "
            "boolean or a list of one of them")  # fmt: skip


def _value_problem(value: object) -> str | None:
    if not isinstance(value, list):
        return _scalar_problem(value)
    if len({type(item) for item in value}) > 1:
        return f"the list {value!r} mixes types (Chroma takes one type per list)"
    if value and isinstance(value[0], list):
        return "a list of lists (Chroma takes a list of strings, numbers or booleans)"
    return next((problem for item in value if (problem := _scalar_problem(item))), None)


def _metadata_problem(metadata: object) -> str | None:
    if not isinstance(metadata, Mapping):
        return f"metadata must be a mapping, found {type(metadata).__name__}"
    for key, value in metadata.items():
        problem = _text_problem(key, "a metadata key")
        if problem is None and (not key or key.startswith(_RESERVED_PREFIXES)):
            problem = f"metadata key {key!r} is empty or reserved by Chroma ({_RESERVED_PREFIXES})"
        if problem is None and (found := _value_problem(value)):
            problem = f"field {key!r}: {found}"
        if problem:
            return problem
    return None


def _embedding_problem(embedding: object, dimension: int) -> str | None:
    if not isinstance(embedding, tuple | list) or len(embedding) != dimension:
        found = len(embedding) if isinstance(embedding, tuple | list) else 0
        return f"has a {found}-dimensional embedding, the delta declares {dimension}"
    try:
        if all(-_FLOAT32_MAX <= value <= _FLOAT32_MAX for value in embedding) and not any(
            isinstance(value, bool) for value in embedding
        ):
            return None
    except TypeError:
        pass
    return "embedding holds a value that is not a finite float32 (NaN, infinite or beyond 3.4e38)"


def _record_problem(record: Record, dimension: int, collection: str) -> str | None:
    problem = (
        _text_problem(record.id, "its id")
        or ("its id is empty" if record.id == "" else None)
        or _embedding_problem(record.embedding, dimension)
        or _text_problem(record.document, "its document (pass '' for none)")
        or _metadata_problem(record.metadata)
    )
    if problem is None and collection in CollectionName.__members__.values():
        try:
            validate(CollectionName(collection), record)
        except SchemaError as error:
            return str(error)
    return problem


def _heading_problem(delta: Delta) -> str | None:
    return (
        _text_problem(delta.collection, "collection")
        or _created_ms_problem(delta.created_ms)
        or _integer_problem(delta.sequence, "sequence", MAX_SEQUENCE)
        or _text_problem(delta.producer, "producer")
        or (f"producer is over {MAX_PRODUCER} characters" if len(delta.producer) > MAX_PRODUCER
            else None)
        or (_integer_problem(delta.dimension, "dimension", 1 << 16) if delta.upserts else None)
        or ("dimension must be at least 1" if delta.upserts and not delta.dimension else None)
    )  # fmt: skip


def check_delta(delta: Delta, *, where: str = "being written", fix: str = WRITER_FIX) -> None:
    """DeltaError for the first thing in `delta` a merge or Chroma would refuse."""

    def fail(problem: str) -> DeltaError:
        return DeltaError(f"delta {where}: {problem}; {fix}")

    problem = _heading_problem(delta)
    if problem:
        raise fail(problem)
    seen: set[str] = set()
    for record in delta.upserts:
        problem = _record_problem(record, delta.dimension, delta.collection)
        if problem:
            raise fail(f"record {record.id!r}: {problem}")
        if record.id in seen:
            raise fail(f"record {record.id!r} is upserted twice")
        seen.add(record.id)
    for key in delta.deletes:
        problem = _text_problem(key, "a deleted id") or (
            "a deleted id is empty" if not key else None
        )
        if problem:
            raise fail(problem)
    both = sorted(seen.intersection(delta.deletes))
    if both:
        raise fail(f"IDs {both[:3]} are both upserted and deleted")
