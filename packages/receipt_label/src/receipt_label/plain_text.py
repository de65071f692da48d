"""Receipts built from plain OCR text: lines in reading order, without boxes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from receipt_label.model import BoundingBox, Line, Receipt, Word

# UUIDs derived from a receipt's text live in their own namespace.
_NAMESPACE = uuid.UUID("5d0c3a52-8f4e-4b2a-9b0e-1c7f6a2d9e41")
_ROW_FILL = 0.8  # share of a row's pitch a line's box covers, leaving a gap between rows


def receipt_from_lines(
    lines: Sequence[str],
    *,
    image_id: str | None = None,
    receipt_number: int = 1,
    merchant_name: str = "",
) -> Receipt:
    """A Receipt from OCR text lines in reading order (blank lines are dropped).

    Words are the whitespace-separated pieces of a line (a line's text is its words joined by
    single spaces). Each line is laid out as its own row of
    equal height, words left to right by character position, so row-based reading (the row
    below, the header) works as on a receipt with measured boxes; the boxes are a layout, not a
    measurement, and confidence is 1.0. Without `image_id`, the ID is a UUID derived from the
    text: the same text always gets the same keys.
    """
    kept = [" ".join(text.split()) for text in lines if text.strip()]
    if image_id is None:
        image_id = str(uuid.uuid5(_NAMESPACE, "\n".join(kept)))
    pitch = 1.0 / max(len(kept), 1)
    widest = max((len(text) for text in kept), default=1)
    built = []
    for number, text in enumerate(kept):
        top, height = number * pitch, pitch * _ROW_FILL
        words, offset = [], 0
        for word_number, piece in enumerate(text.split()):
            offset = text.index(piece, offset)
            box = BoundingBox(x=offset / widest, y=top, width=len(piece) / widest, height=height)
            words.append(
                Word(word_number=word_number, text=piece, bounding_box=box, confidence=1.0)
            )
            offset += len(piece)
        line_box = BoundingBox(x=0.0, y=top, width=len(text) / widest, height=height)
        built.append(
            Line(
                line_number=number,
                text=" ".join(word.text for word in words),
                bounding_box=line_box,
                confidence=1.0,
                words=tuple(words),
            )
        )
    return Receipt(
        image_id=image_id,
        receipt_number=receipt_number,
        merchant_name=merchant_name.strip().upper(),
        lines=tuple(built),
    )
