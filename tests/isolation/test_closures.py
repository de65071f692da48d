"""What `pip install` of each distribution really pulls in, proven in fresh uv environments."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class FreshEnvironment:
    """A new venv with exactly one requirement installed the way a user would install it."""

    root: Path
    uv: str

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    def distributions(self) -> dict[str, str]:
        listing = subprocess.run(
            [self.uv, "pip", "list", "--format", "json", "--python", str(self.python)],
            check=True,
            capture_output=True,
            text=True,
        )
        return {row["name"].lower(): row["version"] for row in json.loads(listing.stdout)}

    def run_python(self, code: str) -> str:
        result = subprocess.run(
            [str(self.python), "-I", "-c", code], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        return result.stdout


def make_environment(directory: Path, requirement: str, uv: str) -> FreshEnvironment:
    subprocess.run([uv, "venv", "--quiet", "--python", "3.11", str(directory)], check=True)
    environment = FreshEnvironment(directory, uv)
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(environment.python), requirement],
        check=True,
        cwd=REPO,
    )
    return environment


@pytest.fixture(scope="module")
def receipt_label_env(tmp_path_factory: pytest.TempPathFactory, uv: str) -> FreshEnvironment:
    return make_environment(tmp_path_factory.mktemp("label"), "./packages/receipt_label", uv)


@pytest.fixture(scope="module")
def receipt_chroma_lambda_env(
    tmp_path_factory: pytest.TempPathFactory, uv: str
) -> FreshEnvironment:
    return make_environment(
        tmp_path_factory.mktemp("lambda"), "./packages/receipt_chroma[lambda]", uv
    )


HEAVY = {"onnxruntime", "pillow", "kubernetes", "tokenizers"}


def test_receipt_label_closure_has_no_vector_store_or_imaging(
    receipt_label_env: FreshEnvironment,
) -> None:
    installed = receipt_label_env.distributions()
    assert "receipt-label" in installed
    assert not installed.keys() & ({"chromadb", "chromadb-client", "receipt-chroma"} | HEAVY)


def test_import_receipt_label_loads_no_chromadb(receipt_label_env: FreshEnvironment) -> None:
    loaded = json.loads(
        receipt_label_env.run_python(
            "import json, sys, pkgutil, importlib, receipt_label\n"
            "for info in pkgutil.walk_packages(receipt_label.__path__, 'receipt_label.'):\n"
            "    importlib.import_module(info.name)\n"
            "print(json.dumps(sorted(sys.modules)))"
        )
    )
    assert "receipt_label" in loaded
    offenders = [
        name for name in loaded if name.split(".")[0] in {"chromadb", "onnxruntime", "PIL"}
    ]
    assert offenders == []


def test_receipt_chroma_lambda_is_the_thin_client_only(
    receipt_chroma_lambda_env: FreshEnvironment,
) -> None:
    installed = receipt_chroma_lambda_env.distributions()
    assert installed["chromadb-client"].startswith("1.5.")
    assert "chromadb" not in installed
    assert not installed.keys() & HEAVY


def test_import_receipt_chroma_defers_chromadb(receipt_chroma_lambda_env: FreshEnvironment) -> None:
    loaded = json.loads(
        receipt_chroma_lambda_env.run_python(
            "import json, sys, receipt_chroma; print(json.dumps(sorted(sys.modules)))"
        )
    )
    assert "receipt_chroma" in loaded
    assert [name for name in loaded if name.startswith("chromadb")] == []


CLIENT_ERROR = (
    "from receipt_chroma import ChromaClient, ChromaInstallError\n"
    "try:\n"
    "    ChromaClient.http('127.0.0.1', 9)\n"
    "except ChromaInstallError as error:\n"
    "    print(error)\n"
)


def test_with_neither_extra_making_a_client_says_what_to_install(
    tmp_path_factory: pytest.TempPathFactory, uv: str
) -> None:
    bare = make_environment(tmp_path_factory.mktemp("bare"), "./packages/receipt_chroma", uv)
    assert not bare.distributions().keys() & {"chromadb", "chromadb-client"}
    message = bare.run_python(CLIENT_ERROR)
    assert "no ChromaDB is installed" in message
    assert "receipt-chroma[lambda]" in message
    assert "receipt-chroma[full]" in message


@pytest.mark.slow
def test_with_both_extras_making_a_client_says_how_to_fix_it(
    tmp_path_factory: pytest.TempPathFactory, uv: str
) -> None:
    both = make_environment(
        tmp_path_factory.mktemp("both"), "./packages/receipt_chroma[lambda]", uv
    )
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(both.python),
         "chromadb>=1.5.9,<1.6"],
        check=True,
    )  # fmt: skip
    assert {"chromadb", "chromadb-client"} <= both.distributions().keys()
    message = both.run_python(CLIENT_ERROR)
    assert "both chromadb-client" in message
    assert "pip uninstall -y chromadb chromadb-client" in message
