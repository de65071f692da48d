"""The operator console `receipt-chroma`, against moto in server mode."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Scenario, Storage

from live_services import MotoEndpoint
from live_services.moto import moto_server
from live_services.process import free_port
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


# ------------------------------------------------------------------ pull --to (fault 3)


def test_pull_refuses_a_directory_it_did_not_make_and_replaces_one_it_did(
    storage: Storage, scenario: Scenario, work_dir: Path, aws_environment: MotoEndpoint,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    scenario.publish_first(storage, work_dir, rest=False)
    project = tmp_path / "project"
    project.mkdir()
    (project / "notes.txt").write_text("mine")
    # WHEN pulling into a directory holding someone's files THEN refused, files untouched
    assert main(["pull", *_where(storage), "--to", str(project)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "--force" in error and error.count("\n") == 1
    assert [p.name for p in project.iterdir()] == ["notes.txt"]
    # AND a fresh directory, then the same one again (a snapshot this tool unpacked), work
    copy = tmp_path / "copy"
    assert main(["pull", *_where(storage), "--to", str(copy)]) == 0
    assert main(["pull", *_where(storage), "--to", str(copy)]) == 0
    with ChromaClient.persistent(copy, read_only=True) as client:
        assert client.words().count() == 10
    # AND --force replaces what is there
    assert main(["pull", *_where(storage), "--to", str(project), "--force"]) == 0
    assert not (project / "notes.txt").exists()


# ------------------------------------------------------------------ quarantine


def test_compact_reports_quarantined_deltas_and_deltas_lists_them(
    storage: Storage, scenario: Scenario, work_dir: Path, aws_environment: MotoEndpoint,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    scenario.publish_first(storage, work_dir)
    stray = storage.config.deltas_prefix + "notes.txt"
    storage.store.put(stray, b"not a delta")
    assert main(["compact", *_where(storage), "--work-dir", str(tmp_path)]) == 4
    out = capsys.readouterr()
    assert json.loads(out.out)["outcome"] == "published"
    assert f"quarantined {storage.config.url(stray)}: " in out.err
    assert "not named like a delta" in out.err
    assert main(["deltas", *_where(storage), "--quarantined"]) == 0
    listed = capsys.readouterr()
    assert stray in listed.out and "not named like a delta" in listed.out
    assert "1 quarantined deltas" in listed.err


# ------------------------------------------------------------------ the console itself


def test_version_and_help_show_what_and_where(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"receipt-chroma {metadata.version('receipt-chroma')}"
    monkeypatch.delenv("RECEIPT_CHROMA_PREFIX", raising=False)
    monkeypatch.setenv("RECEIPT_CHROMA_BUCKET", "receipts")
    with pytest.raises(SystemExit):
        main(["compact", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option in ("--bucket", "--collection", "--prefix"):
        assert option in text
    assert "RECEIPT_CHROMA_BUCKET" in text and "receipts" in text
    assert "RECEIPT_CHROMA_COLLECTION" in text and "RECEIPT_CHROMA_PREFIX" in text
    assert "default: chroma" in text


def test_snapshots_fails_before_printing_a_table_and_names_stray_objects(
    storage: Storage, scenario: Scenario, work_dir: Path, aws_environment: MotoEndpoint,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    scenario.publish_first(storage, work_dir, rest=False)
    storage.store.put(storage.config.manifest_key(version=7, run="5a7e"), b"{}")
    storage.store.put(storage.config.snapshots_prefix + "notes.json", b"{}")
    assert main(["snapshots", *_where(storage)]) == 0
    listed = capsys.readouterr()
    assert "None" not in listed.out and "orphan" not in listed.out
    rows = listed.out.splitlines()
    assert "current" in rows[1] and "incomplete" in rows[2] and "v000000000007-5a7e.json" in rows[2]
    assert "notes.json" in listed.err
    # WHEN the pointer is unreadable THEN only the error is printed
    storage.store.put(storage.config.pointer_key, b"not json")
    assert main(["snapshots", *_where(storage)]) == 1
    failed = capsys.readouterr()
    assert failed.out == "" and failed.err.startswith("error: pointer")


def test_compact_with_a_mistyped_collection_leaves_no_lease(
    storage: Storage, scenario: Scenario, work_dir: Path, aws_environment: MotoEndpoint,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    scenario.publish_first(storage, work_dir, rest=False)
    typo = storage.for_collection("wrods")
    where = ["--bucket", typo.bucket, "--collection", typo.collection, "--prefix", typo.prefix]
    assert main(["compact", *where]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "'wrods'" in error and "words" in error
    assert storage.keys(typo.root) == []


# ------------------------------------------------------------------ S3 refusals


def _one_error_line(capsys: pytest.CaptureFixture[str], *fragments: str) -> None:
    captured = capsys.readouterr()
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err
    for fragment in fragments:
        assert fragment in captured.err, captured.err


def test_missing_credentials_are_one_line_and_exit_5(
    storage: Storage, aws_environment: MotoEndpoint, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["deltas", *_where(storage)]) == 5
    _one_error_line(capsys, "credentials", "AWS_ACCESS_KEY_ID")


def test_an_unreachable_endpoint_is_one_line_and_exit_5(
    storage: Storage, aws_environment: MotoEndpoint, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    closed = f"http://127.0.0.1:{free_port()}"
    assert main(["snapshots", *_where(storage), "--endpoint-url", closed]) == 5
    _one_error_line(capsys, closed, "--endpoint-url")


def test_a_missing_bucket_is_one_line_and_exit_5(
    storage: Storage, aws_environment: MotoEndpoint, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--bucket", "no-such-bucket-here", "--collection", "words"]
    assert main(["deltas", *where]) == 5
    _one_error_line(capsys, "no-such-bucket-here", "does not exist", "--bucket")


def test_a_wrong_access_key_is_one_line_and_exit_5(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("INITIAL_NO_AUTH_ACTION_COUNT", "0")  # this moto checks credentials
    with moto_server() as strict:
        for key, value in {**strict.client_settings(), "endpoint_url": strict.url}.items():
            name = {"region_name": "AWS_DEFAULT_REGION", "endpoint_url": "AWS_ENDPOINT_URL",
                    "aws_access_key_id": "AWS_ACCESS_KEY_ID",
                    "aws_secret_access_key": "AWS_SECRET_ACCESS_KEY"}[key]  # fmt: skip
            monkeypatch.setenv(name, value)
        assert main(["deltas", "--bucket", "some-bucket", "--collection", "words"]) == 5
    _one_error_line(capsys, "AWS_ACCESS_KEY_ID", "InvalidAccessKeyId")
