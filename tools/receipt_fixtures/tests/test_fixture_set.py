"""The fixture set is found, complete and consistent; a missing one is named with the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from receipt_fixtures import FIXTURES_VARIABLE, ReceiptFixtures
from receipt_label import Receipt


def test_the_set_is_served_whole(
    history: list[Receipt], queries: dict[str, Receipt], expectations: dict[str, Any]
) -> None:
    assert len(history) == 21
    assert len({receipt.merchant_name for receipt in history}) == 7
    assert len(queries) == 9
    assert set(expectations) <= set(queries)
    assert all(receipt.merchant_name == "" for receipt in queries.values())


def test_a_missing_set_names_the_directory_and_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(FIXTURES_VARIABLE, raising=False)
    with pytest.raises(FileNotFoundError, match=FIXTURES_VARIABLE) as failure:
        ReceiptFixtures.under(tmp_path)
    assert str(tmp_path / "tests" / "fixtures" / "receipts") in str(failure.value)


def test_the_variable_points_elsewhere(
    receipt_fixtures: ReceiptFixtures, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FIXTURES_VARIABLE, str(receipt_fixtures.directory))
    assert ReceiptFixtures.under(tmp_path).directory == receipt_fixtures.directory
