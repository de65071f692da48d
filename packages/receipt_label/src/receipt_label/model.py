"""The receipt domain model: receipts made of lines made of words, with geometry and labels."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from receipt_label.ids import line_key, receipt_key, word_key
from receipt_label.labels import Label


@dataclass(frozen=True, slots=True, kw_only=True)
class BoundingBox:
    """A box in image coordinates normalised to 0..1 (origin top-left)."""

    x: float
    y: float
    width: float
    height: float

    def __post_init__(self) -> None:
        for name in ("x", "y", "width", "height"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"bounding box {name}={value} is outside 0..1")

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def center_y(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True, slots=True, kw_only=True)
class WordLabels:
    """What is known about a word's label: confirmed, rejected, and a proposal awaiting review."""

    valid: frozenset[Label] = frozenset()
    invalid: frozenset[Label] = frozenset()
    proposed: Label | None = None

    @property
    def status(self) -> str:
        """`validated`, `proposed`, `invalid` or `unlabeled` (the stored `label_status`)."""
        if self.valid:
            return "validated"
        if self.proposed is not None:
            return "proposed"
        if self.invalid:
            return "invalid"
        return "unlabeled"


@dataclass(frozen=True, slots=True, kw_only=True)
class Word:
    word_number: int
    text: str
    bounding_box: BoundingBox
    confidence: float
    labels: WordLabels = field(default_factory=WordLabels)


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    line_number: int
    text: str
    bounding_box: BoundingBox
    confidence: float
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Receipt:
    image_id: str
    receipt_number: int
    merchant_name: str = ""
    lines: tuple[Line, ...] = ()

    @property
    def key(self) -> str:
        return receipt_key(self.image_id, self.receipt_number)

    def line_id(self, line: Line) -> str:
        return line_key(self.image_id, self.receipt_number, line.line_number)

    def word_id(self, line: Line, word: Word) -> str:
        return word_key(self.image_id, self.receipt_number, line.line_number, word.word_number)

    def words(self) -> Iterator[tuple[Line, Word]]:
        """Every word with the line it is on, in reading order."""
        for line in self.lines:
            for word in line.words:
                yield line, word

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)
