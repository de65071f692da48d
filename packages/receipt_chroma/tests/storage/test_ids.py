"""Look-alike IDs and keys: only the canonical ASCII text is accepted (no trailing newline, no
non-ASCII digits), by the writer's schema check and by the storage key parsers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from conftest import RecordFactory, Storage

from receipt_chroma import Record
from receipt_chroma.errors import DeltaError
from receipt_chroma.storage import DeltaWriter, list_pending
from receipt_chroma.storage.delta import make_delta
from receipt_chroma.storage.layout import StorageConfig, parse_delta_key, parse_snapshot_key

CONFIG = StorageConfig(bucket="b", collection="words", prefix="p")
SHA = "ab" * 32


def _look_alike(text: str, position: int, character: str, replace: bool) -> str:
    cut = min(position, len(text))
    return text[:cut] + character + text[cut + int(replace) :]


def _with_id(record: Record, record_id: str) -> Record:
    return Record(id=record_id, embedding=record.embedding, document=record.document,
                  metadata=record.metadata)  # fmt: skip


@pytest.mark.moto
@pytest.mark.parametrize(
    "mangle",
    [lambda key: key + "\n", lambda key: key.replace("#LINE#00002", "#LINE#\uff10\uff10\uff1002")],
    ids=["trailing-newline", "full-width-digits"],
)
def test_the_writer_refuses_a_look_alike_of_an_id(
    storage: Storage, records: RecordFactory, mangle: Any
) -> None:
    canonical = records.word(2, 0)
    writer = DeltaWriter(config=storage.config, s3=storage.s3)
    with pytest.raises(DeltaError, match="field 'id'"):
        writer.write(upserts=[_with_id(canonical, mangle(canonical.id))], created_ms=1)
    assert list_pending(storage.store) == []


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300)
@given(position=st.integers(0, 120), character=st.characters(), replace=st.booleans())
@example(position=999, character="\n", replace=False)
@example(position=70, character="\uff17", replace=True)
def test_an_id_the_schema_accepts_is_exactly_the_canonical_id(
    records: RecordFactory, position: int, character: str, replace: bool
) -> None:
    canonical = records.word(2, 7)
    text = _look_alike(canonical.id, position, character, replace)
    try:
        make_delta(collection="words", upserts=[_with_id(canonical, text)], created_ms=1)
    except DeltaError:
        return
    assert text == canonical.id


@given(position=st.integers(0, 100), character=st.characters(), replace=st.booleans())
@example(position=999, character="\n", replace=False)
@example(position=3, character="\u0663", replace=True)
def test_a_storage_key_that_parses_is_exactly_the_key_its_parts_make(
    position: int, character: str, replace: bool
) -> None:
    delta = CONFIG.delta_key(created_ms=1_000, sha256=SHA)
    name = _look_alike(delta.rsplit("/", 1)[-1], position, character, replace)
    parsed = parse_delta_key(CONFIG.deltas_prefix + name)
    assert parsed is None or CONFIG.delta_key(created_ms=parsed[0], sha256=parsed[1]) == (
        CONFIG.deltas_prefix + name
    )
    snapshot = CONFIG.manifest_key(version=12, run="abc123")
    name = _look_alike(snapshot.rsplit("/", 1)[-1], position, character, replace)
    found = parse_snapshot_key(CONFIG.snapshots_prefix + name)
    assert found is None or CONFIG.manifest_key(version=found.version, run=found.run) == (
        CONFIG.snapshots_prefix + name
    )
