"""A real moto server (S3, DynamoDB, Lambda, ...) on 127.0.0.1, reached through boto3."""

from __future__ import annotations

import contextlib
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from live_services.process import LOOPBACK, ServiceStartError, free_port, running_server

REGION = "us-east-1"


@dataclass(frozen=True, slots=True)
class MotoEndpoint:
    url: str
    region: str = REGION

    def client_settings(self) -> dict[str, str]:
        """Keyword arguments for `boto3.client(...)` that reach this server with dummy keys."""
        return {
            "endpoint_url": self.url,
            "region_name": self.region,
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
        }


def _moto_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("moto_server")
    found = str(beside_python) if beside_python.is_file() else shutil.which("moto_server")
    if found is None:
        raise ServiceStartError(
            "moto_server is not installed in this environment: install `moto[server]` "
            "(it is in the `test` dependency group of the packages that need it)."
        )
    return [found]


@contextlib.contextmanager
def moto_server() -> Iterator[MotoEndpoint]:
    port = free_port()
    command = [*_moto_command(), "-H", LOOPBACK, "-p", str(port)]
    url = f"http://{LOOPBACK}:{port}"
    with running_server(name="moto", command=command, health_url=f"{url}/moto-api/data.json"):
        yield MotoEndpoint(url=url)
