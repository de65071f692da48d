"""The cold-start report names whatever two modules a function compares, as keys and headings."""

from __future__ import annotations

import json
from pathlib import Path

from lambda_layers.run.coldstart import ImportComparison, InitComparison, write_cold_start


def test_the_report_is_written_for_any_pair_of_modules(tmp_path: Path) -> None:
    init = InitComparison(
        function="f", runtime="python3.13", architecture="x86_64",
        with_pyc_ms=(100.0, 110.0), without_pyc_ms=(300.0, 330.0),
        first_response_with_pyc_ms=(150.0,), first_response_without_pyc_ms=(450.0,),
    )  # fmt: skip
    comparison = ImportComparison(
        runtime="python3.13", architecture="x86_64", layer="one + two",
        modules=("light", "heavy"), samples_ms=((10.0, 12.0), (100.0, 120.0)),
    )  # fmt: skip
    json_path, markdown_path = write_cold_start([init], [comparison], tmp_path)
    (record,) = json.loads(json_path.read_text())["imports"]
    assert record["modules"] == ["light", "heavy"] and record["stack"] == "one + two"
    assert (record["median_light_ms"], record["median_heavy_ms"]) == (11.0, 110.0)
    assert record["ratio_heavy_over_light"] == 10.0
    markdown = markdown_path.read_text()
    assert "## `import light` against `import heavy`" in markdown
    assert "| python3.13 | x86_64 | one + two | 11.0 | 110.0 | 10.0x |" in markdown
    assert json.loads(json_path.read_text())["init"][0]["ratio_without_over_with"] == 3.0
