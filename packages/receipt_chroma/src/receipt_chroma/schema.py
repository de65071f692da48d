"""The metadata schema of the `words` and `lines` collections, checked before every write.

| key | collections | type | rule |
| --- | --- | --- | --- |
| receipt_id | both | str | `IMAGE#<uuid>#RECEIPT#<5 digits>`, the prefix of the record's ID |
| image_id | both | str | lower-case UUID |
| receipt_number, line_number | both | int | >= 0, agree with the record's ID |
| word_number | words | int | >= 0, agrees with the record's ID |
| merchant_name | both | str | upper-case canonical name, "" when unknown |
| text | both | str | the word's or line's text |
| x, y, width, height | both | float | 0..1 |
| confidence | both | float | 0..1 |
| label_status | words | str | validated, proposed, invalid or unlabeled |
| valid_labels, invalid_labels | words | list[str] | taxonomy names, optional (empty = absent) |
| proposed_label | words | str | a taxonomy name or "" |
| normalized_phone | lines | str | 10 digits or "" |
| normalized_address, normalized_url | lines | str | any, "" when absent |

Chroma refuses empty lists in metadata: `to_chroma_metadata` leaves an empty label list out and
`from_chroma_metadata` reads a missing one back as [].
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from typing import NamedTuple

from receipt_chroma.errors import SchemaError
from receipt_chroma.records import MetadataValue, RecordLike


class CollectionName(enum.StrEnum):
    WORDS = "words"
    LINES = "lines"


_TAXONOMY = (
    "MERCHANT_NAME STORE_HOURS PHONE_NUMBER WEBSITE LOYALTY_ID ADDRESS_LINE DATE TIME "
    "PAYMENT_METHOD COUPON DISCOUNT PRODUCT_NAME QUANTITY UNIT_PRICE LINE_TOTAL SUBTOTAL TAX "
    "GRAND_TOTAL"
)
LABELS = frozenset(_TAXONOMY.split())
LABEL_STATUSES = frozenset({"validated", "proposed", "invalid", "unlabeled"})
LABEL_LISTS = ("valid_labels", "invalid_labels")

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Compiled on first use (re caches them), not at import. Matched with fullmatch and ASCII classes:
# no trailing newline (`$`), no non-ASCII digits (`\d`) in an ID.
_LINE_ID = rf"IMAGE#(?P<image>{_UUID})#RECEIPT#(?P<receipt>[0-9]{{5}})#LINE#(?P<line>[0-9]{{5}})"
_WORD_ID = _LINE_ID + r"#WORD#(?P<word>[0-9]{5})"


class FieldRule(NamedTuple):
    """A metadata field: its Python type, whether it must be present, and a value check."""

    kind: type
    required: bool = True
    check: Callable[[MetadataValue], str | None] | None = None


def _fraction(value: MetadataValue) -> str | None:
    inside = isinstance(value, int | float) and 0.0 <= value <= 1.0
    return None if inside else f"must be within 0..1, found {value}"


def _natural(value: MetadataValue) -> str | None:
    return None if isinstance(value, int) and value >= 0 else f"must be >= 0, found {value}"


def _label_list(value: MetadataValue) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"must be a list of label names, found {value!r}"
    unknown = sorted({str(item) for item in value} - LABELS)
    return f"unknown labels {unknown}; the taxonomy is {sorted(LABELS)}" if unknown else None


def _label_or_blank(value: MetadataValue) -> str | None:
    return None if value == "" or value in LABELS else f"{value!r} is not a taxonomy label"


def _status(value: MetadataValue) -> str | None:
    return None if value in LABEL_STATUSES else f"must be one of {sorted(LABEL_STATUSES)}"


def _phone(value: MetadataValue) -> str | None:
    text = str(value)
    if text == "" or (len(text) == 10 and text.isascii() and text.isdigit()):
        return None
    return "must be 10 digits or ''"


def _upper(value: MetadataValue) -> str | None:
    return None if str(value) == str(value).upper() else "must be upper-case"


_COMMON: dict[str, FieldRule] = {
    "receipt_id": FieldRule(str),
    "image_id": FieldRule(str),
    "receipt_number": FieldRule(int, check=_natural),
    "line_number": FieldRule(int, check=_natural),
    "merchant_name": FieldRule(str, check=_upper),
    "text": FieldRule(str),
    "x": FieldRule(float, check=_fraction),
    "y": FieldRule(float, check=_fraction),
    "width": FieldRule(float, check=_fraction),
    "height": FieldRule(float, check=_fraction),
    "confidence": FieldRule(float, check=_fraction),
}
SCHEMAS: dict[CollectionName, dict[str, FieldRule]] = {
    CollectionName.WORDS: {
        **_COMMON,
        "word_number": FieldRule(int, check=_natural),
        "label_status": FieldRule(str, check=_status),
        "valid_labels": FieldRule(list, required=False, check=_label_list),
        "invalid_labels": FieldRule(list, required=False, check=_label_list),
        "proposed_label": FieldRule(str, check=_label_or_blank),
    },
    CollectionName.LINES: {
        **_COMMON,
        "normalized_phone": FieldRule(str, check=_phone),
        "normalized_address": FieldRule(str),
        "normalized_url": FieldRule(str),
    },
}


# Per schema: every key, and the keys a record must have (what a read checks).
_KEYS = {
    collection: (frozenset(schema), frozenset(k for k, rule in schema.items() if rule.required))
    for collection, schema in SCHEMAS.items()
}


def schema_for(name: str) -> CollectionName | None:
    """The schema a collection of this name holds (None: its metadata is not checked)."""
    return next((schema for schema in SCHEMAS if schema.value == name), None)


def _type_problem(rule: FieldRule, value: MetadataValue) -> str | None:
    if isinstance(value, bool) and rule.kind is not bool:
        return f"expected {rule.kind.__name__}, found a boolean"
    if rule.kind is float and isinstance(value, int | float):
        return None
    if not isinstance(value, rule.kind):
        return f"expected {rule.kind.__name__}, found {type(value).__name__} {value!r}"
    return None


def _id_problems(collection: CollectionName, record: RecordLike) -> list[tuple[str, str]]:
    pattern = _WORD_ID if collection is CollectionName.WORDS else _LINE_ID
    found = re.fullmatch(pattern, record.id)
    if found is None:
        shape = "IMAGE#<uuid>#RECEIPT#<5 digits>#LINE#<5 digits>"
        if collection is CollectionName.WORDS:
            shape += "#WORD#<5 digits>"
        return [("id", f"must look like {shape}")]
    metadata = record.metadata
    expected: dict[str, MetadataValue] = {
        "image_id": found["image"],
        "receipt_id": f"IMAGE#{found['image']}#RECEIPT#{found['receipt']}",
        "receipt_number": int(found["receipt"]),
        "line_number": int(found["line"]),
    }
    if collection is CollectionName.WORDS:
        expected["word_number"] = int(found["word"])
    return [
        (key, f"is {metadata[key]!r} but the record's ID says {value!r}")
        for key, value in expected.items()
        if key in metadata and metadata[key] != value
    ]


def validate(collection: CollectionName, record: RecordLike) -> None:
    """Raise SchemaError for the first problem with `record` (ID, embedding, metadata)."""

    def fail(field: str, problem: str) -> SchemaError:
        return SchemaError(collection=collection, record_id=record.id, field=field, problem=problem)

    schema = SCHEMAS[collection]
    metadata = record.metadata
    unknown = sorted(set(metadata) - set(schema))
    if unknown:
        raise fail(unknown[0], f"is not in the {collection} schema (known: {sorted(schema)})")
    for key, rule in schema.items():
        if key not in metadata:
            if rule.required:
                raise fail(key, "is missing")
            continue
        problem = _type_problem(rule, metadata[key]) or (rule.check and rule.check(metadata[key]))
        if problem:
            raise fail(key, problem)
    for field, problem in _id_problems(collection, record):
        raise fail(field, problem)
    if record.embedding is not None and not all(
        isinstance(value, int | float) for value in record.embedding
    ):
        raise fail("embedding", "must be a sequence of numbers")


def to_chroma_metadata(metadata: Mapping[str, MetadataValue]) -> dict[str, MetadataValue]:
    """Metadata as Chroma stores it: empty lists left out (Chroma refuses them)."""
    return {
        key: value for key, value in metadata.items() if not (isinstance(value, list) and not value)
    }


def from_chroma_metadata(
    collection: CollectionName | None,
    metadata: Mapping[str, MetadataValue] | None,
    *,
    record_id: str,
) -> dict[str, MetadataValue]:
    """Metadata as the schema defines it (missing label lists read back as []), after a check
    of its keys: a record written around receipt_chroma (raw chromadb) is named, not served.
    Only the keys are checked on read, so reading stays cheap."""
    restored = dict(metadata or {})
    if collection is None:
        return restored
    if collection is CollectionName.WORDS:
        for key in LABEL_LISTS:
            restored.setdefault(key, [])
    known, required = _KEYS[collection]
    if restored.keys() <= known and required <= restored.keys():
        return restored
    unknown = sorted(restored.keys() - known)
    field = unknown[0] if unknown else sorted(required - restored.keys())[0]
    raise SchemaError(
        collection=collection, record_id=record_id, field=field,
        problem=f"{'is not in the schema' if unknown else 'is missing'} (stored metadata "
        f"{dict(metadata or {})!r}): the record was written without receipt_chroma's checks; "
        "write it again through ReceiptCollection.upsert or delete it",
    )  # fmt: skip
