"""Label validation: a proposed label is judged by the word's nearest validated neighbours.

Neighbours are words of the same merchant that were reviewed for the same label: confirmed
(`valid_labels` holds it) or rejected (`invalid_labels` holds it). Their votes are weighted by
similarity; a clear majority decides, anything else goes to a person. Labels with a checkable
pattern (dates, phones, amounts...) are refused outright when the word does not fit the pattern.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from receipt_label.embedding import Embedder
from receipt_label.labels import Label
from receipt_label.model import Line, Receipt, Word
from receipt_label.patterns import find_amounts, find_dates, find_phones, find_times, find_urls
from receipt_label.records import word_text
from receipt_label.vector_index import VectorIndex, VectorMatch, Where


class Decision(enum.StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """One neighbour that voted, and how."""

    neighbour_id: str
    text: str
    distance: float
    verdict: Decision


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationResult:
    word_id: str
    text: str
    label: Label
    decision: Decision
    confidence: float
    reason: str
    evidence: tuple[Evidence, ...] = ()


Finder = Callable[[str], Sequence[tuple[str, object]]]


def _amount_word(text: str) -> bool:
    return bool(find_amounts(text))


def _on_a_match(finder: Finder) -> Callable[[str, str], bool]:
    """The word is one of the tokens of something `finder` recognises on its line."""

    def check(word: str, line: str) -> bool:
        return any(word in raw.split() or word == raw for raw, _ in finder(line))

    return check


def _amount(word: str, line: str) -> bool:
    return _amount_word(word) or (_amount_word(line) and word in {"$", "-"})


# Labels with a checkable shape: a word proposed for one of them must fit it (given its line).
_PATTERN_CHECKS: dict[Label, Callable[[str, str], bool]] = {
    Label.DATE: _on_a_match(find_dates),
    Label.TIME: _on_a_match(find_times),
    Label.PHONE_NUMBER: _on_a_match(find_phones),
    Label.WEBSITE: _on_a_match(find_urls),
    Label.LINE_TOTAL: _amount,
    Label.UNIT_PRICE: _amount,
    Label.SUBTOTAL: _amount,
    Label.TAX: _amount,
    Label.GRAND_TOTAL: _amount,
}


class LabelValidator:
    """Decide valid / invalid / needs review for proposed labels, with neighbours as evidence."""

    def __init__(
        self,
        *,
        words: VectorIndex,
        embedder: Embedder,
        n_neighbours: int = 10,
        max_distance: float = 0.5,
        agreement: float = 0.75,
    ) -> None:
        self._words = words
        self._embedder = embedder
        self._n_neighbours = n_neighbours
        self._max_distance = max_distance
        self._agreement = agreement

    def _where(self, receipt: Receipt, label: Label) -> Where:
        reviewed = {
            "$or": [
                {"valid_labels": {"$contains": label.value}},
                {"invalid_labels": {"$contains": label.value}},
            ]
        }
        conditions: list[Where] = [reviewed, {"receipt_id": {"$ne": receipt.key}}]
        if receipt.merchant_name:
            conditions.append({"merchant_name": receipt.merchant_name})
        return {"$and": conditions}

    def _verdict(self, match: VectorMatch, label: Label) -> Decision:
        valid = match.metadata.get("valid_labels", [])
        return Decision.VALID if isinstance(valid, list) and label in valid else Decision.INVALID

    def validate(
        self, *, receipt: Receipt, line: Line, word: Word, label: Label
    ) -> ValidationResult:
        """Judge `label` for `word` (on `line` of `receipt`)."""
        word_id = receipt.word_id(line, word)

        result = functools.partial(ValidationResult, word_id=word_id, text=word.text, label=label)

        pattern = _PATTERN_CHECKS.get(label)
        if pattern and not pattern(word.text, line.text):
            return result(
                decision=Decision.INVALID,
                confidence=1.0,
                reason=f"{word.text!r} does not look like a {label}",
            )

        embedding = self._embedder.embed([word_text(line, word)])[0]
        neighbours = [
            match
            for match in self._words.query(
                embedding, n_results=self._n_neighbours, where=self._where(receipt, label)
            )
            if match.id != word_id and match.distance <= self._max_distance
        ]
        evidence = [
            Evidence(
                neighbour_id=match.id,
                text=match.document or "",
                distance=round(match.distance, 4),
                verdict=self._verdict(match, label),
            )
            for match in neighbours
        ]
        if not evidence:
            scope = f"merchant {receipt.merchant_name}" if receipt.merchant_name else "any merchant"
            return result(
                decision=Decision.NEEDS_REVIEW,
                confidence=0.0,
                reason=f"no word reviewed for {label} at {scope} within {self._max_distance}",
            )
        weights = {Decision.VALID: 0.0, Decision.INVALID: 0.0}
        for item in evidence:
            weights[item.verdict] += 1.0 - item.distance
        total = weights[Decision.VALID] + weights[Decision.INVALID]
        share = weights[Decision.VALID] / total if total > 0 else 0.5
        summary = (
            f"{sum(e.verdict is Decision.VALID for e in evidence)} of {len(evidence)} nearest "
            f"reviewed neighbours confirm {label} (weighted share {share:.2f})"
        )
        if share >= self._agreement:
            decision, confidence = Decision.VALID, share
        elif share <= 1 - self._agreement:
            decision, confidence = Decision.INVALID, 1 - share
        else:
            decision, confidence = Decision.NEEDS_REVIEW, max(share, 1 - share)
        return result(
            decision=decision,
            confidence=round(confidence, 4),
            reason=summary,
            evidence=tuple(evidence),
        )

    def validate_proposals(self, receipt: Receipt) -> list[ValidationResult]:
        """Judge every word of `receipt` that carries a proposed label."""
        return [
            self.validate(receipt=receipt, line=line, word=word, label=word.labels.proposed)
            for line, word in receipt.words()
            if word.labels.proposed is not None
        ]
