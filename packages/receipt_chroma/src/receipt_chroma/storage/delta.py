"""Deltas: a compact, versioned file of upserts and deletes for one collection.

Layout (little-endian):

    b"RCDELTA\\n"                 magic, 8 bytes
    u32 format version            2 (1 is still read)
    u32 header length, header     JSON: collection, dimension, created_ms, sequence, producer,
                                  counts, sizes
    body                          zlib of one JSON array per line: ["u", id, document, metadata]
                                  per upsert (in order), ["d", id] per delete
    embeddings                    float32 x upserts x dimension

The body is inflated with a limit and parsed line by line (`DeltaLimits`), so a small delta
cannot inflate into a huge one in memory; a line or key this reader does not know is refused.
Format 1 (the body one JSON object of ids, documents, metadatas and deletes; no sequence) is read
with the same limit. Needs only the standard library: producers write deltas with `[lambda]`.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from receipt_chroma.errors import DeltaError
from receipt_chroma.records import Record, RecordLike, as_record
from receipt_chroma.storage import fields
from receipt_chroma.storage.delta_checks import check_delta

MAGIC = b"RCDELTA\n"
FORMAT_VERSION = 2
_PREAMBLE = struct.Struct("<8sII")
_MAX_HEADER = 1 << 16
_CHUNK = 1 << 16
MIB = 1 << 20


@dataclass(frozen=True, slots=True, kw_only=True)
class DeltaLimits:
    """What a compactor accepts from one delta; beyond it, the delta is quarantined.

    Defaults are well under a compactor Lambda's memory: a delta of 1,000 128-d records is
    about 1 MB, its body a few hundred kB.
    """

    max_object_bytes: int = 256 * MIB
    """The stored object (the embeddings are raw float32, so this is mostly vectors)."""
    max_body_bytes: int = 64 * MIB
    """The inflated body (IDs, documents, metadata)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Delta:
    """Upserts and deletes for one collection, made by one producer at one time.

    `created_ms`, then `sequence`, then `producer` order deltas: per record ID the greatest
    wins (see receipt_chroma.storage.merge)."""

    collection: str
    dimension: int
    created_ms: int
    producer: str = ""
    sequence: int = 0
    upserts: tuple[Record, ...] = ()
    deletes: tuple[str, ...] = ()


def _fail(where: str, problem: str, fix: str) -> DeltaError:
    return DeltaError(f"delta {where}: {problem}; {fix}")


def _line(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode() + b"\n"


def encode(delta: Delta) -> bytes:
    """The delta's bytes (deterministic: the same delta always gives the same bytes)."""
    packer = zlib.compressobj(6)
    parts = [
        packer.compress(_line(["u", r.id, r.document, dict(r.metadata)])) for r in delta.upserts
    ]
    parts += [packer.compress(_line(["d", key])) for key in delta.deletes]
    body = b"".join([*parts, packer.flush()])
    vectors = array("f", (value for record in delta.upserts for value in record.embedding or ()))
    if sys.byteorder == "big":
        vectors.byteswap()
    embeddings = vectors.tobytes()
    header = json.dumps(
        {
            "collection": delta.collection,
            "dimension": delta.dimension,
            "created_ms": delta.created_ms,
            "sequence": delta.sequence,
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


_HEADER: dict[str, fields.Rule] = {
    "collection": fields.text,
    "dimension": fields.natural,
    "created_ms": fields.natural,
    "producer": fields.text,
    "upserts": fields.natural,
    "deletes": fields.natural,
    "body_bytes": fields.natural,
    "embedding_bytes": fields.natural,
}
_FIRST_FORMAT_BODY = frozenset({"ids", "documents", "metadatas", "deletes"})
_REWRITE = "it is not a receipt_chroma delta or it was cut short: have the producer write it again"


def _header(data: bytes, where: str) -> tuple[int, dict[str, Any], int]:
    """(format, header, where the body starts)."""
    if len(data) < _PREAMBLE.size:
        raise _fail(where, f"only {len(data)} bytes", _REWRITE)
    magic, version, length = _PREAMBLE.unpack_from(data)
    if magic != MAGIC:
        raise _fail(where, f"starts with {magic!r}, not {MAGIC!r}", _REWRITE)
    if version not in {1, FORMAT_VERSION}:
        raise _fail(where, f"format version {version}; this receipt_chroma reads 1 and "
                    f"{FORMAT_VERSION}", "upgrade receipt_chroma in the compactor")  # fmt: skip
    rules = _HEADER if version == 1 else {**_HEADER, "sequence": fields.natural}
    try:
        if length > _MAX_HEADER:
            raise ValueError(f"{length} bytes long")
        header = fields.read_object(data[_PREAMBLE.size : _PREAMBLE.size + length], required=rules)
    except ValueError as error:
        raise _fail(where, f"unreadable header ({error})", _REWRITE) from None
    start = _PREAMBLE.size + length
    expected = start + header["body_bytes"] + header["embedding_bytes"]
    if expected != len(data):
        raise _fail(where, f"{len(data)} bytes, its header announces {expected}", _REWRITE)
    return version, header, start


def _inflate(compressed: bytes, limit: int) -> Iterator[bytes]:
    """The inflated body in pieces, never more than `limit` bytes in all (ValueError beyond)."""
    inflater = zlib.decompressobj()
    total = 0
    for start in range(0, len(compressed), _CHUNK):
        pending = compressed[start : start + _CHUNK]
        while pending:
            piece = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            total += len(piece)
            if total > limit:
                raise ValueError(f"its body inflates beyond {limit} bytes (DeltaLimits."
                                 "max_body_bytes): a decompression bomb or a delta too big; "
                                 "split it")  # fmt: skip
            yield piece
    if not inflater.eof or inflater.unused_data:
        raise ValueError("its body is not one complete zlib stream")


def _lines(compressed: bytes, limit: int) -> Iterator[Any]:
    """Each JSON line of the inflated body, parsed as soon as it is complete."""
    partial: list[bytes] = []
    for piece in _inflate(compressed, limit):
        start = 0
        while (end := piece.find(b"\n", start)) >= 0:
            partial.append(piece[start:end])
            yield json.loads(b"".join(partial))
            partial, start = [], end + 1
        partial.append(piece[start:])
    if any(partial):
        raise ValueError("its body's last line is cut short")


def _second_format_body(
    compressed: bytes, header: dict[str, Any], limit: int
) -> tuple[list[tuple[str, Any, Any]], list[str]]:
    upserts: list[tuple[str, Any, Any]] = []
    deletes: list[str] = []
    for index, line in enumerate(_lines(compressed, limit)):
        if isinstance(line, list) and len(line) == 4 and line[0] == "u":
            upserts.append((line[1], line[2], line[3]))
        elif isinstance(line, list) and len(line) == 2 and line[0] == "d":
            deletes.append(line[1])
        else:
            raise ValueError(f"body line {index + 1} is {str(line)[:80]!r}: unknown")
        if len(upserts) > header["upserts"] or len(deletes) > header["deletes"]:
            raise ValueError("its body holds more operations than its header announces")
    return upserts, deletes


def _first_format_body(
    compressed: bytes, limit: int
) -> tuple[list[tuple[str, Any, Any]], list[str]]:
    body = json.loads(b"".join(_inflate(compressed, limit)))
    if not isinstance(body, dict) or set(body) != _FIRST_FORMAT_BODY:
        found = sorted(body) if isinstance(body, dict) else type(body).__name__
        raise ValueError(f"its body holds {found}, not {sorted(_FIRST_FORMAT_BODY)}: unknown")
    upserts = list(zip(body["ids"], body["documents"], body["metadatas"], strict=True))
    return upserts, list(body["deletes"])


def decode(data: bytes, *, where: str, limits: DeltaLimits | None = None) -> Delta:
    """The delta in `data`; DeltaError naming `where` (the object) when it is unreadable.

    Not checked against what a merge needs: `check_delta` does that."""
    limit = (limits or DeltaLimits()).max_body_bytes
    version, header, start = _header(data, where)
    body_end = start + header["body_bytes"]
    count, dimension = header["upserts"], header["dimension"]
    try:
        if version == 1:
            upserts, deletes = _first_format_body(data[start:body_end], limit)
        else:
            upserts, deletes = _second_format_body(data[start:body_end], header, limit)
        if (len(upserts), len(deletes)) != (count, header["deletes"]):
            raise ValueError(f"{count} upserts and {header['deletes']} deletes announced, "
                             f"{len(upserts)} and {len(deletes)} found")  # fmt: skip
        if header["embedding_bytes"] != count * dimension * 4:
            raise ValueError(f"{header['embedding_bytes']} bytes of embeddings, not "
                             f"{count} x {dimension} float32")  # fmt: skip
    except (ValueError, TypeError, zlib.error) as error:
        raise _fail(where, f"unreadable body ({error})", _REWRITE) from None
    vectors = array("f")
    vectors.frombytes(data[body_end:])
    if sys.byteorder == "big":
        vectors.byteswap()
    return Delta(
        collection=header["collection"],
        dimension=dimension,
        created_ms=header["created_ms"],
        sequence=header.get("sequence", 0),
        producer=header["producer"],
        upserts=tuple(
            Record(
                id=record_id,
                document=document,
                metadata=metadata,
                embedding=tuple(vectors[index * dimension : (index + 1) * dimension]),
            )
            for index, (record_id, document, metadata) in enumerate(upserts)
        ),
        deletes=tuple(deletes),
    )


def make_delta(
    *,
    collection: str,
    upserts: Sequence[RecordLike] = (),
    deletes: Sequence[str] = (),
    created_ms: int,
    sequence: int = 0,
    producer: str = "",
    dimension: int | None = None,
) -> Delta:
    """A checked delta (`check_delta`); the dimension is taken from the first upsert unless
    given."""
    if dimension is None:
        first = upserts[0].embedding if upserts else None
        dimension = len(first) if first else 0
    delta = Delta(
        collection=collection,
        dimension=dimension,
        created_ms=created_ms,
        sequence=sequence,
        producer=producer,
        upserts=tuple(map(as_record, upserts)),
        deletes=tuple(deletes),
    )
    check_delta(delta)
    return delta
