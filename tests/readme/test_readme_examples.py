"""Every ```python block of both package READMEs runs as written, in an environment holding
exactly the extra it names, against real servers (a `chroma run` server, moto's S3).

A block's first line names what it needs: `# [lambda]`, `# [full]`, `# [lambda] or [full]`, or
`# [none]` (receipt_label alone, no ChromaDB). The `integration-lambda` and `integration-full`
targets each run the blocks for their extra; `[none]` blocks run in both with `chromadb` and
`receipt_chroma` made unimportable. Blocks of one README run in document order in fresh
interpreters that share the servers, as a reader pasting them one by one would; each runs as
`__main__`, so a Lambda handler's `if __name__ == "__main__":` demo is exercised too.
The lint session type-checks every block with `mypy --strict` (the `typing` mark).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

from live_services import ChromaEndpoint, MotoEndpoint
from receipt_chroma import ChromaClient, installed_flavour

REPO = Path(__file__).resolve().parents[2]
READMES = (REPO / "packages" / "receipt_chroma" / "README.md",
           REPO / "packages" / "receipt_label" / "README.md")  # fmt: skip
EXTRAS = frozenset({"lambda", "full", "none"})
_FENCE = re.compile(r"^```python\n(?P<code>.*?)^```", re.DOTALL | re.MULTILINE)
_MARKER = re.compile(r"^# (?P<extras>\[[a-z]+\](?: or \[[a-z]+\])*)")
_NO_CHROMA = (
    "import runpy, sys\n"
    "sys.modules['chromadb'] = sys.modules['receipt_chroma'] = None  # [none]: not importable\n"
    "runpy.run_path(sys.argv[1], run_name='__main__')\n"
)


@dataclass(frozen=True)
class Block:
    """One ```python block: where it is, the extras its first line names, its code."""

    readme: Path
    line: int
    extras: frozenset[str]
    code: str

    @property
    def name(self) -> str:
        return f"{self.readme.parent.name}:{self.line}"

    @property
    def module(self) -> str:
        return f"readme_{self.readme.parent.name}_{self.line}"


def blocks(readme: Path) -> list[Block]:
    text = readme.read_text()
    found = []
    for fence in _FENCE.finditer(text):
        code = fence["code"]
        marker = _MARKER.match(code)
        extras = frozenset(re.findall(r"\[([a-z]+)\]", marker["extras"])) if marker else frozenset()
        line = text.count("\n", 0, fence.start()) + 1
        found.append(Block(readme=readme, line=line, extras=extras, code=code))
    return found


ALL_BLOCKS = [block for readme in READMES for block in blocks(readme)]


def _runs_here(block: Block) -> bool:
    flavour = installed_flavour().value
    return flavour in block.extras or "none" in block.extras


def test_every_block_names_the_extra_it_needs() -> None:
    unmarked = [f"{b.readme.relative_to(REPO)}:{b.line}" for b in ALL_BLOCKS if not b.extras]
    unknown = [f"{b.readme.relative_to(REPO)}:{b.line} {sorted(b.extras - EXTRAS)}"
               for b in ALL_BLOCKS if b.extras - EXTRAS]  # fmt: skip
    assert (unmarked, unknown) == ([], []), (
        "begin every ```python block with the extra it needs: `# [lambda]`, `# [full]`, "
        "`# [lambda] or [full]` or `# [none]`"
    )
    assert {"lambda", "full", "none"} <= {extra for b in ALL_BLOCKS for extra in b.extras}


@dataclass(frozen=True)
class Services:
    """What the blocks are pointed at, through the environment a Lambda function would have."""

    environment: dict[str, str]


@pytest.fixture(scope="module")
def services(chroma_endpoint: ChromaEndpoint, moto_endpoint: MotoEndpoint) -> Iterator[Services]:
    bucket = f"readme-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", **moto_endpoint.client_settings()).create_bucket(Bucket=bucket)
    with ChromaClient.http(chroma_endpoint.host, chroma_endpoint.port) as client:
        for name in client.collection_names():
            client.drop(name)
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("AWS_")},
        "RECEIPT_CHROMA_HOST": chroma_endpoint.host,
        "RECEIPT_CHROMA_PORT": str(chroma_endpoint.port),
        "RECEIPT_CHROMA_BUCKET": bucket,
        "RECEIPT_CHROMA_COLLECTION": "words",
        "AWS_ENDPOINT_URL": moto_endpoint.url,
        "AWS_DEFAULT_REGION": moto_endpoint.region,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
    yield Services(environment=environment)


@pytest.mark.parametrize(
    "block", [b for b in ALL_BLOCKS if _runs_here(b)], ids=lambda block: block.name
)
def test_the_block_runs_as_written(block: Block, services: Services, tmp_path: Path) -> None:
    script = tmp_path / f"{block.module}.py"
    script.write_text(block.code)
    prefix = [sys.executable, "-c", _NO_CHROMA] if block.extras == {"none"} else [sys.executable]
    result = subprocess.run(
        [*prefix, str(script)], cwd=REPO, env=services.environment,
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, (
        f"{block.readme.relative_to(REPO)}, block at line {block.line} failed:\n"
        f"{result.stdout}\n{result.stderr}"
    )


@pytest.mark.typing
def test_the_blocks_type_check_strictly(tmp_path: Path) -> None:
    """The documented flow across both packages passes `mypy --strict` (both ship py.typed)."""
    for block in ALL_BLOCKS:
        (tmp_path / f"{block.module}.py").write_text(block.code)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(REPO / "pyproject.toml"),
         "--cache-dir", str(tmp_path / ".mypy_cache"), *sorted(map(str, tmp_path.glob("*.py")))],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, _in_readme_lines(result.stdout + result.stderr)


def _in_readme_lines(report: str) -> str:
    """mypy's `<dir>/readme_<package>_<line>.py:<n>` as `packages/<package>/README.md:<line>`."""

    def where(found: re.Match[str]) -> str:
        line = int(found["start"]) + int(found["offset"])
        return f"packages/{found['package']}/README.md:{line}"

    return re.sub(r"\S*readme_(?P<package>\w+?)_(?P<start>\d+)\.py:(?P<offset>\d+)", where, report)
