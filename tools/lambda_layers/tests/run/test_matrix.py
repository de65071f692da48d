"""The import matrix: one row per stack, written as JSON and Markdown and shown as a table."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from lambda_layers.layer.contents import read_layer
from lambda_layers.layer.functions import load_functions
from lambda_layers.platform.facts import Architecture, runtime
from lambda_layers.run.matrix import render_table, stack_row, write_matrix

PY313 = runtime("python3.13")
ZipFactory = Callable[..., Path]


def test_the_matrix_is_written_as_json_and_markdown(
    make_zip: ZipFactory, tmp_path: Path, repository: Path
) -> None:
    function = next(f for f in load_functions(repository) if f.name == "label-receipt")
    good = read_layer(
        make_zip(
            "receipt-label-python3.13-x86_64",
            {
                "python/receipt_label/__init__.py": "",
                "python/receipt_label/patterns/__init__.py": "",
            },
        )
    )
    nested = read_layer(
        make_zip(
            "receipt-label-python3.13-arm64",
            {"python/lib/python3.12/site-packages/receipt_label/__init__.py": ""},
        )
    )
    code = function.code_directory(repository)
    rows = [
        stack_row(function=function, runtime=PY313, architecture=arch, layers=[layer], code=code)
        for arch, layer in ((Architecture.X86_64, good), (Architecture.ARM64, nested))
    ]
    assert [row.passed for row in rows] == [True, False]
    json_path, markdown_path = write_matrix(rows, tmp_path / "out")
    data = json.loads(json_path.read_text())
    assert [stack["passed"] for stack in data["stacks"]] == [True, False]
    assert data["stacks"][1]["results"]["imports"]["problems"]
    markdown = markdown_path.read_text()
    assert "| label-receipt python3.13 x86_64 | receipt-label-python3.13-x86_64.zip | ✓" in markdown
    assert "/opt/python/lib/python3.12/site-packages" in markdown
    assert render_table(rows).row_count == 2
