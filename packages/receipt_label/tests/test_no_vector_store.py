"""receipt_label runs every feature without loading ChromaDB, onnxruntime or Pillow."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "receipts"

SCRIPT = """
import json, sys
from pathlib import Path
from receipt_label import *
from receipt_label.records import line_records, word_records
from receipt_label.patterns import propose_labels
fixtures = Path(sys.argv[1])
history = [load_receipt(p) for p in sorted((fixtures / "history").glob("*.json"))]
query = load_receipt(next((fixtures / "queries").glob("*-query.json")))
embedder = HashingEmbedder()
words = InMemoryVectorIndex(r for h in history for r in word_records(h, embedder))
lines = InMemoryVectorIndex(r for h in history for r in line_records(h, embedder))
match = MerchantMatcher(lines=lines, embedder=embedder).match(query)
results = LabelValidator(words=words, embedder=embedder).validate_proposals(query)
proposals = [propose_labels(line.text.split()) for line in query.lines]
print(json.dumps({"modules": sorted(sys.modules), "match": match.status, "n": len(results)}))
"""


def test_every_feature_runs_without_heavy_modules() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(FIXTURES)], capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout)
    assert report["match"] == "matched"
    assert report["n"] > 0
    heavy = {"chromadb", "onnxruntime", "PIL", "numpy", "receipt_chroma"}
    assert [name for name in report["modules"] if name.split(".")[0] in heavy] == []


def test_chromadb_is_not_even_installed_here() -> None:
    from importlib import metadata

    installed = {dist.metadata["Name"].lower() for dist in metadata.distributions()}
    assert not installed & {"chromadb", "chromadb-client", "receipt-chroma"}
