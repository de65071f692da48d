"""Records for the `words` and `lines` vector collections, and the metadata schema they follow.

Every store (receipt_chroma's collections, the in-memory index) holds these records. Metadata keys:

| key | collections | type | rule |
| --- | --- | --- | --- |
| receipt_id | both | str | `IMAGE#<uuid>#RECEIPT#<5 digits>` |
| image_id | both | str | lower-case UUID |
| receipt_number, line_number | both | int | >= 0 |
| word_number | words | int | >= 0 |
| merchant_name | both | str | upper-case canonical name, "" when unknown |
| text | both | str | the word's or line's text |
| x, y, width, height | both | float | 0..1, image-normalised |
| confidence | both | float | 0..1 |
| label_status | words | str | validated, proposed, invalid or unlabeled |
| valid_labels, invalid_labels | words | list[str] | taxonomy names; an EMPTY list is left out |
| proposed_label | words | str | a taxonomy name or "" |
| normalized_phone | lines | str | 10 digits or "" |
| normalized_address | lines | str | normalised street line or "" |
| normalized_url | lines | str | host and path or "" |

Chroma refuses empty lists, so a store omits an empty label list and reads a missing one back as [].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from receipt_label.embedding import SEGMENT_SEPARATOR, Embedder
from receipt_label.model import Line, Receipt, Word
from receipt_label.patterns import find_phones, find_urls, is_address_line, normalize_address
from receipt_label.patterns.amounts import find_amounts
from receipt_label.vector_index import MetadataValue

WORDS = "words"
LINES = "lines"
LABEL_STATUSES = ("validated", "proposed", "invalid", "unlabeled")
LABEL_LIST_KEYS = ("valid_labels", "invalid_labels")
COMMON_KEYS = frozenset(
    {"receipt_id", "image_id", "receipt_number", "line_number", "merchant_name", "text",
     "x", "y", "width", "height", "confidence"}
)  # fmt: skip
WORD_KEYS = COMMON_KEYS | {"word_number", "label_status", "proposed_label", *LABEL_LIST_KEYS}
LINE_KEYS = COMMON_KEYS | {"normalized_phone", "normalized_address", "normalized_url"}


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexRecord:
    """One record for a vector collection (structurally a `VectorRecord`)."""

    id: str
    embedding: tuple[float, ...]
    document: str | None
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)


def _position(word: Word) -> str:
    center = word.bounding_box.center_x
    column = "LEFT" if center < 0.35 else "RIGHT" if center > 0.65 else "MIDDLE"
    return f"POS{column}"


def word_text(line: Line, word: Word) -> str:
    """What is embedded for a word: the word, its line, and where on the line it sits."""
    return SEGMENT_SEPARATOR.join((word.text, line.text, _position(word)))


def line_text(line: Line) -> str:
    """What is embedded for a line: its text."""
    return line.text


def _common(receipt: Receipt, line: Line) -> dict[str, MetadataValue]:
    return {
        "receipt_id": receipt.key,
        "image_id": receipt.image_id,
        "receipt_number": receipt.receipt_number,
        "line_number": line.line_number,
        "merchant_name": receipt.merchant_name,
    }


def _geometry(item: Line | Word) -> dict[str, MetadataValue]:
    box = item.bounding_box
    return {
        "text": item.text,
        "x": box.x,
        "y": box.y,
        "width": box.width,
        "height": box.height,
        "confidence": item.confidence,
    }


def word_metadata(receipt: Receipt, line: Line, word: Word) -> dict[str, MetadataValue]:
    labels = word.labels
    metadata: dict[str, MetadataValue] = {
        **_common(receipt, line),
        **_geometry(word),
        "word_number": word.word_number,
        "label_status": labels.status,
        "proposed_label": labels.proposed.value if labels.proposed else "",
        "valid_labels": sorted(label.value for label in labels.valid),
        "invalid_labels": sorted(label.value for label in labels.invalid),
    }
    return metadata


def line_metadata(receipt: Receipt, line: Line) -> dict[str, MetadataValue]:
    phones = find_phones(line.text)
    urls = find_urls(line.text)
    street = is_address_line(line.text) and not find_amounts(line.text)
    return {
        **_common(receipt, line),
        **_geometry(line),
        "normalized_phone": phones[0][1] if phones else "",
        "normalized_address": normalize_address(line.text) if street else "",
        "normalized_url": urls[0][1] if urls else "",
    }


def word_records(receipt: Receipt, embedder: Embedder) -> list[IndexRecord]:
    """A record per word of `receipt` for the `words` collection."""
    pairs = list(receipt.words())
    vectors = embedder.embed([word_text(line, word) for line, word in pairs])
    return [
        IndexRecord(
            id=receipt.word_id(line, word),
            embedding=tuple(vector),
            document=word.text,
            metadata=word_metadata(receipt, line, word),
        )
        for (line, word), vector in zip(pairs, vectors, strict=True)
    ]


def line_records(receipt: Receipt, embedder: Embedder) -> list[IndexRecord]:
    """A record per line of `receipt` for the `lines` collection."""
    vectors = embedder.embed([line_text(line) for line in receipt.lines])
    return [
        IndexRecord(
            id=receipt.line_id(line),
            embedding=tuple(vector),
            document=line.text,
            metadata=line_metadata(receipt, line),
        )
        for line, vector in zip(receipt.lines, vectors, strict=True)
    ]
