"""A real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from live_services.process import LOOPBACK, ServiceStartError, free_port, running_server

EXECUTABLE_VARIABLE = "CHROMA_SERVER_EXECUTABLE"


@dataclass(frozen=True, slots=True)
class ChromaEndpoint:
    host: str
    port: int
    data_dir: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def chroma_executable() -> Path:
    """The `chroma` command to serve with: $CHROMA_SERVER_EXECUTABLE, else the one on PATH."""
    configured = os.environ.get(EXECUTABLE_VARIABLE)
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise ServiceStartError(
                f"{EXECUTABLE_VARIABLE}={configured} does not exist: run the tests through nox "
                "(`nox -s tests`), which builds the Chroma server environment from uv.lock."
            )
        return path
    found = shutil.which("chroma")
    if found is None:
        raise ServiceStartError(
            "No Chroma server to test against: set CHROMA_SERVER_EXECUTABLE to the `chroma` "
            "command of an environment holding the full `chromadb` (nox -s tests does this), or "
            "install "
            "`receipt-chroma[full]` in this environment."
        )
    return Path(found)


def _server_environment() -> dict[str, str]:
    # chromadb reads settings from un-prefixed environment variables; keep the caller's out.
    cleaned = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CHROMA_", "ANONYMIZED_", "IS_PERSISTENT", "PERSIST_"))
    }
    return {**cleaned, "ANONYMIZED_TELEMETRY": "False"}


@contextlib.contextmanager
def chroma_server(data_dir: Path | None = None) -> Iterator[ChromaEndpoint]:
    """Serve a Chroma database from `data_dir` (a fresh temporary one by default)."""
    with contextlib.ExitStack() as stack:
        directory = data_dir or Path(stack.enter_context(tempfile.TemporaryDirectory("-chroma")))
        port = free_port()
        command = [
            str(chroma_executable()), "run", "--path", str(directory),
            "--host", LOOPBACK, "--port", str(port),
        ]  # fmt: skip
        stack.enter_context(
            running_server(
                name="chroma",
                command=command,
                health_url=f"http://{LOOPBACK}:{port}/api/v2/heartbeat",
                env=_server_environment(),
                cwd=directory,
            )
        )
        os.environ.pop("CHROMA_SERVER_HOST", None)
        yield ChromaEndpoint(host=LOOPBACK, port=port, data_dir=directory)
