"""Label validation and merchant matching give the fixture set's expected decisions."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from receipt_label import (
    Decision,
    HashingEmbedder,
    InMemoryVectorIndex,
    LabelValidator,
    MatchStatus,
    MerchantMatcher,
    Receipt,
)


def test_the_fixture_set_is_big_enough(history: list[Receipt], queries: dict[str, Receipt]) -> None:
    assert len(history) + len(queries) >= 20
    assert len({receipt.merchant_name for receipt in history}) >= 6


def test_every_query_matches_its_merchant_or_nothing(
    queries: dict[str, Receipt],
    expectations: dict[str, Any],
    line_index: InMemoryVectorIndex,
    embedder: HashingEmbedder,
) -> None:
    matcher = MerchantMatcher(lines=line_index, embedder=embedder)
    outcomes = {name: matcher.match(receipt) for name, receipt in queries.items()}
    for name, expected in expectations.items():
        outcome = outcomes[name]
        if expected["merchant"] is None:
            assert outcome.status is MatchStatus.NO_MATCH, (name, outcome)
        else:
            assert outcome.status is MatchStatus.MATCHED, (name, outcome.reason)
            assert outcome.merchant_name == expected["merchant"], name
            assert sorted(outcome.matched_on) == sorted(expected["matched_on"]), name


def test_a_lookalike_store_is_refused_although_its_header_is_close(
    queries: dict[str, Receipt], line_index: InMemoryVectorIndex, embedder: HashingEmbedder
) -> None:
    outcome = MerchantMatcher(lines=line_index, embedder=embedder).match(
        queries["costco-wholesale-lookalike"]
    )
    assert outcome.status is MatchStatus.NO_MATCH
    assert outcome.candidates[0].merchant_name == "COSTCO WHOLESALE"
    assert outcome.candidates[0].agreed_on == ()
    assert "no phone number or address agrees" in outcome.reason


def _proposal_cases(expectations: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (name, position, proposal["proposed"], proposal["expect"])
        for name, expected in expectations.items()
        for position, proposal in expected["proposals"].items()
    ]


def test_every_proposed_label_gets_the_expected_decision(
    queries: dict[str, Receipt],
    expectations: dict[str, Any],
    word_index: InMemoryVectorIndex,
    embedder: HashingEmbedder,
) -> None:
    validator = LabelValidator(words=word_index, embedder=embedder)
    cases = _proposal_cases(expectations)
    assert len(cases) >= 40
    wrong = []
    for name, position, proposed, expect in cases:
        receipt = dataclasses.replace(
            queries[name], merchant_name=expectations[name]["validate_as"]
        )
        results = {result.word_id: result for result in validator.validate_proposals(receipt)}
        line_number, word_number = (int(part) for part in position.split("/"))
        line = receipt.lines[line_number]
        result = results[receipt.word_id(line, line.words[word_number])]
        assert result.label == proposed
        if result.decision != Decision(expect):
            wrong.append((name, position, result.text, proposed, expect, result.reason))
    assert wrong == []


@pytest.mark.parametrize("decision", list(Decision))
def test_each_decision_kind_occurs_with_evidence_or_reason(
    decision: Decision,
    queries: dict[str, Receipt],
    expectations: dict[str, Any],
    word_index: InMemoryVectorIndex,
    embedder: HashingEmbedder,
) -> None:
    validator = LabelValidator(words=word_index, embedder=embedder)
    receipt = dataclasses.replace(queries["target-query"], merchant_name="TARGET")
    results = [r for r in validator.validate_proposals(receipt) if r.decision is decision]
    assert results, f"no {decision} decision on the Target query"
    for result in results:
        assert result.reason
        if decision is Decision.VALID:
            assert result.evidence
            assert all(item.neighbour_id.startswith("IMAGE#") for item in result.evidence)
            assert any(item.verdict is Decision.VALID for item in result.evidence)


def test_validation_never_uses_the_word_itself_as_evidence(
    history: list[Receipt], word_index: InMemoryVectorIndex, embedder: HashingEmbedder
) -> None:
    receipt = history[0]
    line, word = next((ln, w) for ln, w in receipt.words() if w.labels.valid)
    label = next(iter(word.labels.valid))
    result = LabelValidator(words=word_index, embedder=embedder).validate(
        receipt=receipt, line=line, word=word, label=label
    )
    own_receipt = {item.neighbour_id.split("#LINE#")[0] for item in result.evidence}
    assert receipt.key not in own_receipt
