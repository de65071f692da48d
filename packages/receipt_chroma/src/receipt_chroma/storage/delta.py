"""Deltas: a compact, versioned file of upserts and deletes for one collection.

Layout (little-endian):

    b"RCDELTA\\n"                 magic, 8 bytes
    u32 format version            1
    u32 header length, header     JSON: collection, dimension, created_ms, producer, counts, sizes
    body                          zlib(JSON: ids, documents, metadatas, deletes)
    embeddings                    float32 x upserts x dimension

Needs only the standard library: producers write deltas with the `[lambda]` extra alone.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import zlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from receipt_chroma.errors import DeltaError, SchemaError
from receipt_chroma.records import Record, RecordLike, as_record
from receipt_chroma.schema import CollectionName, validate

MAGIC = b"RCDELTA\n"
FORMAT_VERSION = 1
_PREAMBLE = struct.Struct("<8sII")


@dataclass(frozen=True, slots=True, kw_only=True)
class Delta:
    """Upserts and deletes for one collection, made by one producer at one time."""

    collection: str
    dimension: int
    created_ms: int
    producer: str = ""
    upserts: tuple[Record, ...] = ()
    deletes: tuple[str, ...] = ()


def _fail(where: str, problem: str, fix: str) -> DeltaError:
    return DeltaError(f"delta {where}: {problem}; {fix}")


def check_delta(delta: Delta, *, where: str = "being written") -> None:
    """Raise DeltaError for the first problem: dimensions, duplicate IDs, schema."""
    fix = "fix the producer and write a new delta"
    seen: set[str] = set()
    for record in delta.upserts:
        if record.id in seen:
            raise _fail(where, f"record {record.id!r} is upserted twice", fix)
        seen.add(record.id)
        if record.embedding is None or len(record.embedding) != delta.dimension:
            found = 0 if record.embedding is None else len(record.embedding)
            raise _fail(where, f"record {record.id!r} has a {found}-dimensional embedding, the "
                        f"delta declares {delta.dimension}", fix)  # fmt: skip
        if delta.collection in CollectionName.__members__.values():
            try:
                validate(CollectionName(delta.collection), record)
            except SchemaError as error:
                raise _fail(where, str(error), fix) from None
    both = sorted(seen.intersection(delta.deletes))
    if both:
        raise _fail(where, f"IDs {both[:3]} are both upserted and deleted", fix)


def encode(delta: Delta) -> bytes:
    """The delta's bytes (deterministic: the same delta always gives the same bytes)."""
    body = zlib.compress(
        json.dumps(
            {
                "ids": [record.id for record in delta.upserts],
                "documents": [record.document for record in delta.upserts],
                "metadatas": [dict(record.metadata) for record in delta.upserts],
                "deletes": list(delta.deletes),
            },
            separators=(",", ":"),
            sort_keys=True,
        ).encode(),
        6,
    )
    vectors = array("f", (value for record in delta.upserts for value in record.embedding or ()))
    if sys.byteorder == "big":
        vectors.byteswap()
    embeddings = vectors.tobytes()
    header = json.dumps(
        {
            "collection": delta.collection,
            "dimension": delta.dimension,
            "created_ms": delta.created_ms,
            "producer": delta.producer,
            "upserts": len(delta.upserts),
            "deletes": len(delta.deletes),
            "body_bytes": len(body),
            "embedding_bytes": len(embeddings),
        },
        sort_keys=True,
    ).encode()
    return _PREAMBLE.pack(MAGIC, FORMAT_VERSION, len(header)) + header + body + embeddings


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _header(data: bytes, where: str) -> tuple[dict[str, Any], int]:
    fix = "it is not a receipt_chroma delta or it was cut short: delete it and have the producer "
    fix += "write it again"
    if len(data) < _PREAMBLE.size:
        raise _fail(where, f"only {len(data)} bytes", fix)
    magic, version, length = _PREAMBLE.unpack_from(data)
    if magic != MAGIC:
        raise _fail(where, f"starts with {magic!r}, not {MAGIC!r}", fix)
    if version != FORMAT_VERSION:
        raise _fail(where, f"format version {version}; this receipt_chroma reads version "
                    f"{FORMAT_VERSION}", "upgrade receipt_chroma in the compactor")  # fmt: skip
    try:
        header = json.loads(data[_PREAMBLE.size : _PREAMBLE.size + length])
        body_end = _PREAMBLE.size + length + int(header["body_bytes"])
        expected = body_end + int(header["embedding_bytes"])
    except (ValueError, KeyError, TypeError) as error:
        raise _fail(where, f"unreadable header ({error})", fix) from None
    if expected != len(data):
        raise _fail(where, f"{len(data)} bytes, its header announces {expected}", fix)
    return header, _PREAMBLE.size + length


def decode(data: bytes, *, where: str) -> Delta:
    """The delta in `data`; DeltaError naming `where` (the object) when it is unreadable."""
    header, start = _header(data, where)
    body_end = start + int(header["body_bytes"])
    try:
        body = json.loads(zlib.decompress(data[start:body_end]))
        count, dimension = int(header["upserts"]), int(header["dimension"])
        vectors = array("f")
        vectors.frombytes(data[body_end:])
        if sys.byteorder == "big":
            vectors.byteswap()
        if len(vectors) != count * dimension or len(body["ids"]) != count:
            raise ValueError(f"{count} upserts of dimension {dimension} announced, "
                             f"{len(body['ids'])} IDs and {len(vectors)} values found")  # fmt: skip
        upserts = tuple(
            Record(
                id=record_id,
                embedding=tuple(vectors[index * dimension : (index + 1) * dimension]),
                document=document,
                metadata=metadata,
            )
            for index, (record_id, document, metadata) in enumerate(
                zip(body["ids"], body["documents"], body["metadatas"], strict=True)
            )
        )
        return Delta(
            collection=str(header["collection"]),
            dimension=dimension,
            created_ms=int(header["created_ms"]),
            producer=str(header.get("producer", "")),
            upserts=upserts,
            deletes=tuple(str(key) for key in body["deletes"]),
        )
    except (ValueError, KeyError, TypeError, zlib.error) as error:
        raise _fail(where, f"unreadable body ({error})", "delete it and have the producer write "
                    "it again") from None  # fmt: skip


def make_delta(
    *,
    collection: str,
    upserts: Sequence[RecordLike] = (),
    deletes: Sequence[str] = (),
    created_ms: int,
    producer: str = "",
    dimension: int | None = None,
) -> Delta:
    """A checked delta; the dimension is taken from the first upsert unless given."""
    if dimension is None:
        first = upserts[0].embedding if upserts else None
        dimension = len(first) if first else 0
    delta = Delta(
        collection=collection,
        dimension=dimension,
        created_ms=created_ms,
        producer=producer,
        upserts=tuple(map(as_record, upserts)),
        deletes=tuple(deletes),
    )
    check_delta(delta)
    return delta
