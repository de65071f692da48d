"""What `import receipt_chroma` loads: nothing of chromadb, and none of the costly standard
library that finding the installed flavour needs (that happens when a client is made).

Its time is measured, as a ratio to `import json`, by `nox -s benchmark_import`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

LOADED_BY = (
    "import json, sys\n"
    "before = set(sys.modules)\n"
    "import {module}\n"
    "print(json.dumps(sorted(set(sys.modules) - before)))\n"
)


def _loaded_by(module: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", LOADED_BY.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: list[str] = json.loads(result.stdout)
    return loaded


@pytest.mark.parametrize("module", ["receipt_chroma", "receipt_chroma.storage"])
def test_importing_loads_no_chromadb_and_no_distribution_metadata(module: str) -> None:
    loaded = _loaded_by(module)
    assert module in loaded
    heavy = ("chromadb", "importlib.metadata", "email")
    assert [name for name in loaded if name.split(".")[0] in heavy or name.startswith(heavy)] == []
