"""pytest fixtures: one real Chroma server and one moto server per test session, started lazily."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from live_services.chroma import ChromaEndpoint, chroma_server
from live_services.moto import MotoEndpoint, moto_server


@pytest.fixture(scope="session")
def chroma_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaEndpoint]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[MotoEndpoint]:
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def aws_environment(monkeypatch: pytest.MonkeyPatch, moto_endpoint: MotoEndpoint) -> MotoEndpoint:
    """Point every boto3 client made in the test at the moto server, with dummy credentials."""
    for key, value in {
        "AWS_ENDPOINT_URL": moto_endpoint.url,
        "AWS_DEFAULT_REGION": moto_endpoint.region,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        if key in os.environ:
            monkeypatch.delenv(key)
    return moto_endpoint
