"""Fixtures for receipt_chroma's tests: a real Chroma server, schema-valid records, the flavour."""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator

import pytest

from live_services import ChromaEndpoint
from receipt_chroma import ChromaClient, Flavour, Record, installed_flavour

DIMENSION = 16


@pytest.fixture(scope="session")
def flavour() -> Flavour:
    return installed_flavour()


@pytest.fixture
def http_client(chroma_endpoint: ChromaEndpoint) -> Iterator[ChromaClient]:
    with ChromaClient.http(chroma_endpoint.host, chroma_endpoint.port) as client:
        for name in client.collection_names():
            client.drop(name)
        yield client


def _unit_vector(seed: int, dimension: int = DIMENSION) -> tuple[float, ...]:
    rng = random.Random(seed)
    values = [rng.gauss(0, 1) for _ in range(dimension)]
    norm = math.sqrt(sum(v * v for v in values))
    return tuple(v / norm for v in values)


IMAGE = str(uuid.UUID(int=7))


def _word_record(
    line: int,
    word: int,
    *,
    seed: int | None = None,
    dimension: int = DIMENSION,
    merchant: str = "TARGET",
    valid: list[str] | None = None,
    invalid: list[str] | None = None,
    **overrides: object,
) -> Record:
    metadata: dict[str, object] = {
        "receipt_id": f"IMAGE#{IMAGE}#RECEIPT#00001",
        "image_id": IMAGE,
        "receipt_number": 1,
        "line_number": line,
        "word_number": word,
        "merchant_name": merchant,
        "text": f"W{line}-{word}",
        "x": 0.1,
        "y": 0.02 * line,
        "width": 0.1,
        "height": 0.02,
        "confidence": 0.9,
        "label_status": "validated" if valid else "unlabeled",
        "valid_labels": valid or [],
        "invalid_labels": invalid or [],
        "proposed_label": "",
        **overrides,
    }
    return Record(
        id=f"IMAGE#{IMAGE}#RECEIPT#00001#LINE#{line:05d}#WORD#{word:05d}",
        embedding=_unit_vector(seed if seed is not None else line * 100 + word, dimension),
        document=str(metadata["text"]),
        metadata=metadata,  # type: ignore[arg-type]
    )


def _line_record(line: int, *, phone: str = "", **overrides: object) -> Record:
    metadata: dict[str, object] = {
        "receipt_id": f"IMAGE#{IMAGE}#RECEIPT#00001",
        "image_id": IMAGE,
        "receipt_number": 1,
        "line_number": line,
        "merchant_name": "TARGET",
        "text": f"LINE {line}",
        "x": 0.1,
        "y": 0.02 * line,
        "width": 0.8,
        "height": 0.02,
        "confidence": 0.95,
        "normalized_phone": phone,
        "normalized_address": "",
        "normalized_url": "",
        **overrides,
    }
    return Record(
        id=f"IMAGE#{IMAGE}#RECEIPT#00001#LINE#{line:05d}",
        embedding=_unit_vector(10_000 + line),
        document=str(metadata["text"]),
        metadata=metadata,  # type: ignore[arg-type]
    )


class RecordFactory:
    """Schema-valid records and unit vectors for tests (a fixture: test modules can't import)."""

    dimension = DIMENSION
    vector = staticmethod(_unit_vector)
    word = staticmethod(_word_record)
    line = staticmethod(_line_record)


@pytest.fixture(scope="session")
def records() -> RecordFactory:
    return RecordFactory()
