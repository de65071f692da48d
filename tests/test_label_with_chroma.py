"""Label validation and merchant matching with receipt_chroma as the vector index.

The same fixture set and expectations as receipt_label's own tests, through a real Chroma server
(thin client or full) and through an embedded PersistentClient (full only).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from receipt_chroma import ChromaClient
from receipt_label import (
    Decision,
    HashingEmbedder,
    LabelValidator,
    MatchStatus,
    MerchantMatcher,
    Receipt,
    VectorIndex,
)


def test_collections_are_vector_indexes(store: ChromaClient, history: list[Receipt]) -> None:
    assert isinstance(store.words(), VectorIndex)
    assert isinstance(store.lines(), VectorIndex)
    assert store.lines().count() == sum(len(receipt.lines) for receipt in history)


def test_merchant_matching_gives_the_expected_merchants(
    store: ChromaClient,
    queries: dict[str, Receipt],
    expectations: dict[str, Any],
    embedder: HashingEmbedder,
) -> None:
    matcher = MerchantMatcher(lines=store.lines(), embedder=embedder)
    for name, expected in expectations.items():
        outcome = matcher.match(queries[name])
        if expected["merchant"] is None:
            assert outcome.status is MatchStatus.NO_MATCH, (name, outcome.reason)
        else:
            assert outcome.merchant_name == expected["merchant"], (name, outcome.reason)
            assert sorted(outcome.matched_on) == sorted(expected["matched_on"]), name


def test_label_validation_gives_the_expected_decisions(
    store: ChromaClient,
    queries: dict[str, Receipt],
    expectations: dict[str, Any],
    embedder: HashingEmbedder,
) -> None:
    validator = LabelValidator(words=store.words(), embedder=embedder)
    checked = 0
    wrong = []
    for name, expected in expectations.items():
        if not expected["proposals"]:
            continue
        receipt = dataclasses.replace(queries[name], merchant_name=expected["validate_as"])
        results = {result.word_id: result for result in validator.validate_proposals(receipt)}
        for position, proposal in expected["proposals"].items():
            line_number, word_number = (int(part) for part in position.split("/"))
            line = receipt.lines[line_number]
            result = results[receipt.word_id(line, line.words[word_number])]
            checked += 1
            if result.decision is not Decision(proposal["expect"]):
                wrong.append((name, position, proposal, result.decision, result.reason))
    assert checked >= 40
    assert wrong == []


def test_match_then_validate_end_to_end(
    store: ChromaClient, queries: dict[str, Receipt], embedder: HashingEmbedder
) -> None:
    """The pipeline as a Lambda function runs it: find the merchant, then judge the labels."""
    receipt = queries["home-depot-query"]
    match = MerchantMatcher(lines=store.lines(), embedder=embedder).match(receipt)
    assert match.status is MatchStatus.MATCHED
    matched = dataclasses.replace(receipt, merchant_name=match.merchant_name or "")
    results = LabelValidator(words=store.words(), embedder=embedder).validate_proposals(matched)
    decisions = {result.text: result.decision for result in results}
    assert decisions["63.16"] is Decision.VALID
    assert decisions["57.88"] is Decision.INVALID
