"""Both ChromaDB distributions in one environment, then one uninstalled, with plain `pip`.

`chromadb-client` and `chromadb` install the same `chromadb` files: pip installs the second over
the first without a word, and uninstalling either removes the shared files, leaving the other's
metadata behind. receipt_chroma must judge by what is importable, and name the one command that
repairs the environment. Only the two conflicting wheels matter here, so the second one is
installed with `--no-deps` (its other dependencies share no files).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Built, PipEnvironment

CHROMA = "1.5.9"
MAKE_A_CLIENT = (
    "from receipt_chroma import ChromaClient, ChromaInstallError, installed_flavour\n"
    "try:\n"
    "    ChromaClient.http('127.0.0.1', 9)\n"
    "except ChromaInstallError as error:\n"
    "    print('ERROR', error)\n"
    "except Exception as error:  # past the install check: the port is closed\n"
    "    print('CLIENT', installed_flavour().value, type(error).__name__)\n"
)


def _install_problem(environment: PipEnvironment) -> str:
    result = environment.run_python(MAKE_A_CLIENT)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _repair_command(message: str) -> list[str]:
    found = re.search(r"`pip (install [^`]+)`", message)
    assert found, f"no pip command in: {message}"
    return found[1].replace("'", "").split()


@pytest.mark.slow
def test_after_a_half_uninstall_the_message_names_the_repair(
    built: Built, pip_environment: PipEnvironment
) -> None:
    # GIVEN [lambda], then the full chromadb over it (as `pip install 'receipt-chroma[full]'` does)
    pip_environment.pip("install", "--quiet", f"{built.wheel('receipt_chroma')}[lambda]")
    assert _install_problem(pip_environment).startswith("CLIENT lambda")
    pip_environment.pip("install", "--quiet", "--no-deps", f"chromadb=={CHROMA}")
    assert "both chromadb-client" in _install_problem(pip_environment)

    # WHEN the full one is uninstalled again: chromadb-client's metadata stays, the files go
    pip_environment.pip("uninstall", "--yes", "chromadb")
    assert pip_environment.run_python("from chromadb import HttpClient").returncode != 0
    message = _install_problem(pip_environment)
    # THEN making a client says so, and names the one command that repairs it
    assert message.startswith("ERROR chromadb-client 1.5.9 is installed but")
    pip_environment.pip(*_repair_command(message))
    assert _install_problem(pip_environment).startswith("CLIENT lambda")

    # AND the other way round: the thin client uninstalled under the full one
    pip_environment.pip("install", "--quiet", "--no-deps", f"chromadb=={CHROMA}")
    pip_environment.pip("uninstall", "--yes", "chromadb-client")
    message = _install_problem(pip_environment)
    assert message.startswith("ERROR chromadb 1.5.9 is installed but")
    assert _repair_command(message) == [
        "install",
        "--force-reinstall",
        "--no-deps",
        f"chromadb=={CHROMA}",
    ]
