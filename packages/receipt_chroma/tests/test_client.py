"""Client conventions a Chroma user expects: tenant and database, a real close(), no
process-wide side effects. Against a real `chroma run` server, with `[lambda]` and `[full]`."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from live_services import ChromaEndpoint
from receipt_chroma import ChromaClient, ClientClosedError, DatabaseNotFoundError

if TYPE_CHECKING:
    from conftest import RecordFactory


def _create_database(endpoint: ChromaEndpoint, name: str) -> None:
    """A second database on the server, made with Chroma's own admin client (as an operator)."""
    code = (
        "import chromadb, sys\n"
        "settings = chromadb.Settings(chroma_api_impl='chromadb.api.fastapi.FastAPI',\n"
        "    chroma_server_host=sys.argv[1], chroma_server_http_port=int(sys.argv[2]),\n"
        "    anonymized_telemetry=False)\n"
        "admin = chromadb.AdminClient(settings)\n"
        "names = [database['name'] for database in admin.list_databases()]\n"
        "if sys.argv[3] not in names:\n"
        "    admin.create_database(sys.argv[3])\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, endpoint.host, str(endpoint.port), name],
        check=True, capture_output=True,
    )  # fmt: skip


def test_http_reaches_the_tenant_and_database_named(
    chroma_endpoint: ChromaEndpoint, http_client: ChromaClient, records: RecordFactory
) -> None:
    _create_database(chroma_endpoint, "shop_eu")
    with ChromaClient.http(
        chroma_endpoint.host, chroma_endpoint.port, tenant="default_tenant", database="shop_eu"
    ) as shop:
        shop.drop("words")
        shop.collection("words", create=True).upsert([records.word(1, 0)])
        assert shop.collection_names() == ["words"]
    # the default database is another namespace: nothing written there
    assert "words" not in http_client.collection_names()


def test_an_unknown_database_is_named_with_the_fix(chroma_endpoint: ChromaEndpoint) -> None:
    with pytest.raises(
        DatabaseNotFoundError, match=r"database 'nowhere'\).*not found.*Create the database"
    ):
        ChromaClient.http(chroma_endpoint.host, chroma_endpoint.port, database="nowhere")


def test_after_close_every_call_fails_clearly(
    chroma_endpoint: ChromaEndpoint, records: RecordFactory
) -> None:
    client = ChromaClient.http(chroma_endpoint.host, chroma_endpoint.port)
    words = client.collection("words", create=True)
    client.close()
    client.close()  # closing twice is harmless
    for call in (
        client.heartbeat,
        client.collection_names,
        lambda: client.collection("words"),
        words.count,
        lambda: words.upsert([records.word(1, 0)]),
        lambda: words.query(records.vector(1), n_results=1),
        lambda: words.get(["x"]),
    ):
        with pytest.raises(ClientClosedError, match=r"closed.*make a new client"):
            call()


def test_making_a_client_leaves_the_process_environment_alone(
    chroma_endpoint: ChromaEndpoint,
) -> None:
    code = (
        "import os, sys\n"
        "from receipt_chroma import ChromaClient\n"
        "with ChromaClient.http(sys.argv[1], int(sys.argv[2])) as client:\n"
        "    client.heartbeat()\n"
        "    print(client._api.get_settings().anonymized_telemetry)\n"
        "print(sorted(key for key in os.environ if 'TELEMETRY' in key))\n"
    )
    environment = {key: value for key, value in os.environ.items() if "TELEMETRY" not in key}
    result = subprocess.run(
        [sys.executable, "-c", code, chroma_endpoint.host, str(chroma_endpoint.port)],
        capture_output=True, text=True, env=environment, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["False", "[]"]
