"""Rows of words by geometry: words whose boxes overlap vertically are on one printed row.

OCR engines differ in what they call a line: Apple Vision emits `Total` and `$20.00` at either end
of a printed row as two lines, others merge neighbouring rows on a skewed photo. The fields are
read from rows rebuilt from word boxes, not from the engine's lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from receipt_label.model import BoundingBox, Receipt

# Two boxes share a row when their vertical overlap exceeds this share of the smaller height.
_OVERLAP = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class Token:
    """One word placed on a row: its text, its ID and its box."""

    text: str
    word_id: str
    box: BoundingBox


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """The words of one printed row, left to right; `index` counts rows from the top."""

    index: int
    tokens: tuple[Token, ...]

    @property
    def text(self) -> str:
        return " ".join(token.text for token in self.tokens)

    def spans(self) -> list[tuple[int, int]]:
        """Where each token sits in `text`, as (start, end) character offsets."""
        found, offset = [], 0
        for token in self.tokens:
            found.append((offset, offset + len(token.text)))
            offset += len(token.text) + 1
        return found

    def word_ids(self, start: int = 0, end: int | None = None) -> tuple[str, ...]:
        """IDs of the tokens that overlap characters start..end of `text` (all by default)."""
        stop = len(self.text) if end is None else end
        return tuple(
            token.word_id
            for token, (left, right) in zip(self.tokens, self.spans(), strict=True)
            if left < stop and right > start
        )


def _overlap(top: float, bottom: float, box: BoundingBox) -> float:
    return min(bottom, box.y + box.height) - max(top, box.y)


def rows_of(receipt: Receipt) -> tuple[Row, ...]:
    """The receipt's words grouped into rows by vertical overlap, top to bottom."""
    tokens = [
        Token(text=word.text, word_id=receipt.word_id(line, word), box=word.bounding_box)
        for line, word in receipt.words()
        if word.text.strip()
    ]
    tokens.sort(key=lambda token: (token.box.center_y, token.box.x))
    groups: list[list[Token]] = []
    for token in tokens:
        if groups:
            group = groups[-1]
            top = sum(t.box.y for t in group) / len(group)
            bottom = sum(t.box.y + t.box.height for t in group) / len(group)
            smaller = min(bottom - top, token.box.height)
            if smaller > 0 and _overlap(top, bottom, token.box) > _OVERLAP * smaller:
                group.append(token)
                continue
        groups.append([token])
    return tuple(
        Row(index=index, tokens=tuple(sorted(group, key=lambda token: token.box.x)))
        for index, group in enumerate(groups)
    )
