"""Embedders turn text into vectors. The default one is offline, deterministic and pure Python."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

SEGMENT_SEPARATOR = " || "
_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,:/\-]\d+)*|[$@#%&*/\-]")


@runtime_checkable
class Embedder(Protocol):
    """Anything that maps texts to vectors of one fixed dimension."""

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


# Words that stand for the same kind of thing on a receipt share a class feature.
_MONTH_NAMES = (
    "JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC JANUARY FEBRUARY MARCH APRIL JUNE JULY "
    "AUGUST SEPTEMBER OCTOBER NOVEMBER DECEMBER"
)
_WEEKDAY_NAMES = "MON TUE TUES WED THU THUR THURS FRI SAT SUN"
_CLASSES = {
    **dict.fromkeys(_MONTH_NAMES.split(), "MONTH"),
    **dict.fromkeys(_WEEKDAY_NAMES.split(), "WEEKDAY"),
    **dict.fromkeys(("AM", "PM"), "MERIDIEM"),
}


def _shape(token: str) -> str:
    shape = re.sub(r"[A-Z]", "A", token)
    shape = re.sub(r"[a-z]", "a", shape)
    shape = re.sub(r"\d", "9", shape)
    return re.sub(r"(.)\1{2,}", r"\1\1", shape)  # AAAAA -> AA: length matters little


class HashingEmbedder:
    """Feature hashing of tokens, token shapes and character trigrams into `dimension` floats.

    A text may hold segments separated by `" || "`: the first is the focus (a word), the later
    ones its context (the line, its position); context features weigh less and live in their own
    namespace, so "12.99" on a TAX line and "12.99" on an item line are near but not equal.
    Vectors are L2-normalised, so cosine distance is meaningful. Same text, same vector, always.
    """

    def __init__(self, *, dimension: int = 256, context_weight: float = 1.0) -> None:
        if dimension < 16:
            raise ValueError(f"dimension {dimension} is too small: use 16 or more")
        self._dimension = dimension
        self._context_weight = context_weight

    @property
    def dimension(self) -> int:
        return self._dimension

    def _add(self, vector: list[float], feature: str, weight: float) -> None:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        bucket = int.from_bytes(digest[:4], "little") % self._dimension
        sign = 1.0 if digest[4] & 1 else -1.0
        vector[bucket] += sign * weight

    def _segment(
        self, vector: list[float], text: str, namespace: str, weight: float, *, focus: bool
    ) -> None:
        for token in _TOKEN.findall(text):
            upper = token.upper()
            numeric = any(character.isdigit() for character in token)
            if numeric and not focus:
                continue  # a number near the word says little; the words around it say more
            # A number's value says little about what it is; its shape ("99.99") says more.
            self._add(vector, f"{namespace}tok:{upper}", weight * (0.3 if numeric else 1.0))
            if upper in _CLASSES:
                self._add(vector, f"{namespace}class:{_CLASSES[upper]}", weight * 1.5)
            if focus:
                self._add(vector, f"{namespace}shape:{_shape(token)}", weight * 0.6)
            padded = f"<{upper}>"
            trigram_weight = weight * (0.1 if numeric else 0.25)
            for start in range(len(padded) - 2):
                self._add(vector, f"{namespace}tri:{padded[start : start + 3]}", trigram_weight)

    def embed_one(self, text: str) -> list[float]:
        vector = [0.0] * self._dimension
        focus, *context = text.split(SEGMENT_SEPARATOR)
        self._segment(vector, focus, "f:", 1.0, focus=True)
        for index, segment in enumerate(context, start=1):
            self._segment(vector, segment, f"c{index}:", self._context_weight, focus=False)
        norm = math.sqrt(sum(value * value for value in vector))
        if norm == 0.0:
            return vector
        return [value / norm for value in vector]

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.embed_one(text) for text in texts]


def cosine_distance(left: Sequence[float], right: Sequence[float]) -> float:
    """1 - cosine similarity (0 = same direction, 2 = opposite)."""
    dot = sum(a * b for a, b in zip(left, right, strict=True))
    norms = math.sqrt(sum(a * a for a in left)) * math.sqrt(sum(b * b for b in right))
    return 1.0 - (dot / norms if norms else 0.0)
