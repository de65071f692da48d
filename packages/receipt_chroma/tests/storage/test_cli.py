"""The operator console `receipt-chroma`, against moto in server mode."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Scenario, Storage

from live_services import MotoEndpoint
from receipt_chroma import ChromaClient
from receipt_chroma.cli import main

pytestmark = [pytest.mark.moto, pytest.mark.embedded]


def _where(storage: Storage) -> list[str]:
    config = storage.config
    return ["--bucket", config.bucket, "--collection", config.collection, "--prefix", config.prefix]


def test_an_operator_lists_compacts_and_pulls(
    storage: Storage,
    scenario: Scenario,
    aws_environment: MotoEndpoint,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    keys = scenario.write_first(storage) + scenario.write_rest(storage)
    assert main(["deltas", *_where(storage)]) == 0
    listed = capsys.readouterr()
    assert listed.out.split() == keys and "3 pending deltas" in listed.err

    assert main(["compact", *_where(storage), "--work-dir", str(tmp_path)]) == 0
    compacted = capsys.readouterr()
    assert json.loads(compacted.out)["outcome"] == "published"
    assert "upload snapshot:" in compacted.err and "pointer-moved" in compacted.err

    assert main(["snapshots", *_where(storage)]) == 0
    assert "current" in capsys.readouterr().out

    assert main(["pull", *_where(storage), "--to", str(tmp_path / "copy")]) == 0
    assert "15 records" in capsys.readouterr().out
    with ChromaClient.persistent(tmp_path / "copy", read_only=True) as client:
        assert client.words().count() == 15


def test_a_user_error_is_one_line_and_exit_code_1(
    storage: Storage, aws_environment: MotoEndpoint, capsys: pytest.CaptureFixture[str]
) -> None:
    storage.store.put(storage.config.pointer_key, b"not json")
    assert main(["pull", *_where(storage), "--to", "/tmp/never"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: pointer s3://") and "repoint" in error
    assert error.count("\n") == 1 and not Path("/tmp/never").exists()
