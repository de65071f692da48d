"""The repository's receipt fixture set, loaded once and served to pytest as fixtures."""

from receipt_fixtures.fixture_set import FIXTURES_VARIABLE, ReceiptFixtures

__all__ = ["FIXTURES_VARIABLE", "ReceiptFixtures"]
