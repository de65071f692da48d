"""The servers really start, answer on 127.0.0.1, and stop."""

from __future__ import annotations

import urllib.request

import pytest

from live_services import ServiceStartError, moto_server
from live_services.process import free_port, running_server


def test_moto_server_answers_and_stops() -> None:
    with moto_server() as endpoint:
        assert endpoint.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{endpoint.url}/moto-api/data.json") as response:
            assert response.status == 200
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{endpoint.url}/moto-api/data.json", timeout=2)


def test_a_server_that_never_answers_names_its_log() -> None:
    port = free_port()
    with (
        pytest.raises(ServiceStartError, match="did not answer") as failure,
        running_server(
            name="silent",
            command=["python3", "-c", "print('booting'); import sys; sys.exit(3)"],
            health_url=f"http://127.0.0.1:{port}/",
            start_timeout=5,
        ),
    ):
        pass
    assert "booting" in str(failure.value)
    assert "exit code 3" in str(failure.value)
