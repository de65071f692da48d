"""pytest fixtures over the receipt fixture set (session-scoped: it is read once per run)."""

from __future__ import annotations

from typing import Any

import pytest

from receipt_fixtures.fixture_set import ReceiptFixtures
from receipt_label import HashingEmbedder, Receipt


@pytest.fixture(scope="session")
def receipt_fixtures(pytestconfig: pytest.Config) -> ReceiptFixtures:
    return ReceiptFixtures.under(pytestconfig.rootpath)


@pytest.fixture(scope="session")
def history(receipt_fixtures: ReceiptFixtures) -> list[Receipt]:
    return receipt_fixtures.history()


@pytest.fixture(scope="session")
def queries(receipt_fixtures: ReceiptFixtures) -> dict[str, Receipt]:
    return receipt_fixtures.queries()


@pytest.fixture(scope="session")
def expectations(receipt_fixtures: ReceiptFixtures) -> dict[str, Any]:
    return receipt_fixtures.expectations()


@pytest.fixture(scope="session")
def embedder() -> HashingEmbedder:
    return HashingEmbedder()
