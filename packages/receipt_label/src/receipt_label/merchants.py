"""Merchant matching: candidates come from line embeddings; a candidate is accepted only when the
receipt's phone number or street address agrees with one the merchant is known by."""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass

from receipt_label.embedding import Embedder
from receipt_label.model import Receipt
from receipt_label.patterns import find_phones, is_address_line, normalize_address
from receipt_label.patterns.amounts import find_amounts
from receipt_label.records import line_text
from receipt_label.vector_index import VectorIndex


class MatchStatus(enum.StrEnum):
    MATCHED = "matched"
    NO_MATCH = "no_match"


@dataclass(frozen=True, slots=True, kw_only=True)
class MerchantCandidate:
    merchant_name: str
    score: float
    known_phones: tuple[str, ...]
    known_addresses: tuple[str, ...]
    agreed_on: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MerchantMatch:
    status: MatchStatus
    merchant_name: str | None
    matched_on: tuple[str, ...]
    score: float
    reason: str
    candidates: tuple[MerchantCandidate, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiptContacts:
    """The phone numbers and street lines printed on a receipt, normalised."""

    phones: frozenset[str]
    addresses: frozenset[str]


def receipt_contacts(receipt: Receipt) -> ReceiptContacts:
    phones = {digits for line in receipt.lines for _, digits in find_phones(line.text)}
    addresses = {
        normalize_address(line.text)
        for line in receipt.lines
        if is_address_line(line.text) and not find_amounts(line.text)
    }
    return ReceiptContacts(phones=frozenset(phones), addresses=frozenset(addresses))


class MerchantMatcher:
    """Find which known merchant issued a receipt."""

    def __init__(
        self,
        *,
        lines: VectorIndex,
        embedder: Embedder,
        header_lines: int = 6,
        n_results: int = 8,
        max_distance: float = 0.45,
        max_candidates: int = 3,
    ) -> None:
        self._lines = lines
        self._embedder = embedder
        self._header_lines = header_lines
        self._n_results = n_results
        self._max_distance = max_distance
        self._max_candidates = max_candidates

    def _scores(self, receipt: Receipt) -> dict[str, float]:
        header = [line for line in receipt.lines if line.text.strip()][: self._header_lines]
        vectors = self._embedder.embed([line_text(line) for line in header])
        where = {"$and": [{"merchant_name": {"$ne": ""}}, {"receipt_id": {"$ne": receipt.key}}]}
        scores: dict[str, float] = defaultdict(float)
        for vector in vectors:
            best: dict[str, float] = {}
            for match in self._lines.query(vector, n_results=self._n_results, where=where):
                name = match.metadata.get("merchant_name")
                if isinstance(name, str) and match.distance <= self._max_distance:
                    best[name] = max(best.get(name, 0.0), 1.0 - match.distance)
            for name, similarity in best.items():
                scores[name] += similarity
        return dict(scores)

    def _known(self, merchant: str, key: str, receipt: Receipt) -> tuple[str, ...]:
        probe = self._embedder.embed([merchant])[0]
        where = {
            "$and": [
                {"merchant_name": merchant},
                {key: {"$ne": ""}},
                {"receipt_id": {"$ne": receipt.key}},
            ]
        }
        found = {
            str(match.metadata.get(key))
            for match in self._lines.query(probe, n_results=50, where=where)
        }
        return tuple(sorted(found))

    def match(self, receipt: Receipt) -> MerchantMatch:
        contacts = receipt_contacts(receipt)
        ranked = sorted(self._scores(receipt).items(), key=lambda item: (-item[1], item[0]))
        candidates = []
        for name, score in ranked[: self._max_candidates]:
            phones = self._known(name, "normalized_phone", receipt)
            addresses = self._known(name, "normalized_address", receipt)
            agreed = tuple(
                kind
                for kind, mine, theirs in (
                    ("phone", contacts.phones, phones),
                    ("address", contacts.addresses, addresses),
                )
                if mine & set(theirs)
            )
            candidates.append(
                MerchantCandidate(
                    merchant_name=name,
                    score=round(score, 4),
                    known_phones=phones,
                    known_addresses=addresses,
                    agreed_on=agreed,
                )
            )
        for candidate in candidates:
            if candidate.agreed_on:
                return MerchantMatch(
                    status=MatchStatus.MATCHED,
                    merchant_name=candidate.merchant_name,
                    matched_on=candidate.agreed_on,
                    score=candidate.score,
                    reason=f"{candidate.merchant_name}: {' and '.join(candidate.agreed_on)} agree",
                    candidates=tuple(candidates),
                )
        reason = (
            "no merchant's lines are similar to this receipt's header"
            if not candidates
            else "similar merchants found, but no phone number or address agrees: "
            + ", ".join(candidate.merchant_name for candidate in candidates)
        )
        return MerchantMatch(
            status=MatchStatus.NO_MATCH,
            merchant_name=None,
            matched_on=(),
            score=candidates[0].score if candidates else 0.0,
            reason=reason,
            candidates=tuple(candidates),
        )
