"""The cross-layer import matrix: one row per stack, one column per check; table, JSON, Markdown."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.table import Table

from lambda_layers.base.files import write_atomically
from lambda_layers.layer.checks.findings import Check, CheckResult
from lambda_layers.layer.checks.stack import stack_results
from lambda_layers.layer.contents import LayerContents
from lambda_layers.layer.functions import FunctionSpec
from lambda_layers.layer.probe import Imported
from lambda_layers.layer.targets import ZipName
from lambda_layers.platform.facts import Architecture, Runtime

MATRIX_NAME = "import-matrix"
_IMPORT_ROOTS = ("/opt/", "/var/task/")


@dataclass(frozen=True, slots=True, kw_only=True)
class StackRow:
    function: str
    runtime: str
    architecture: str
    layers: tuple[str, ...]
    results: dict[Check, CheckResult]
    probed: bool = False

    @property
    def stack(self) -> str:
        return f"{self.function} {self.runtime} {self.architecture}"

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results.values())

    def problems(self) -> list[str]:
        return [f"{check}: {problem}" for check, result in self.results.items()
                for problem in result.problems]  # fmt: skip


def stack_row(
    *,
    function: FunctionSpec,
    runtime: Runtime,
    architecture: Architecture,
    layers: Sequence[LayerContents],
    code: Path | None,
) -> StackRow:
    """The static checks of one stack (no container)."""
    return StackRow(
        function=function.name, runtime=runtime.name, architecture=architecture.value,
        layers=tuple(layer.path.name for layer in layers),
        results=stack_results(layers, modules=function.imports, runtime=runtime, code=code),
    )  # fmt: skip


def with_probes(row: StackRow, probes: Sequence[Imported]) -> StackRow:
    """Fold the in-container import probe into the imports check: each module must import, and
    from the stack or the function's code, not from somewhere the image happens to have."""
    static = row.results[Check.IMPORTS]
    problems = list(static.problems)
    for probe in probes:
        if not probe.ok:
            problems.append(f"{probe.module}: import fails in the runtime: {probe.error}")
        elif probe.file and not probe.file.startswith(_IMPORT_ROOTS):
            problems.append(f"{probe.module}: imported from {probe.file}, outside the stack")
    imported = sum(probe.ok for probe in probes)
    result = CheckResult.of(
        Check.IMPORTS, problems, passed=f"{imported} of {len(probes)} import in the runtime",
        failed=f"{len(problems)} problems",
    )  # fmt: skip
    return dataclasses.replace(row, results={**row.results, Check.IMPORTS: result}, probed=True)


def render_table(rows: Sequence[StackRow]) -> Table:
    columns = ("stack", "layers", *(check.value for check in Check))
    table = Table(*columns, title="Cross-layer import matrix", title_justify="left")
    for row in rows:
        results = [row.results[check] for check in Check]
        cells = [f"{'[green]✓' if r.passed else '[red]✗'}[/] {r.summary}" for r in results]
        layers = [named.layer if (named := ZipName.parse(n)) else n for n in row.layers]
        table.add_row(row.stack, " + ".join(layers), *cells)
    return table


def _as_json(rows: Sequence[StackRow]) -> str:
    return json.dumps(
        {
            "checks": [check.value for check in Check],
            "stacks": [
                {
                    "function": row.function,
                    "runtime": row.runtime,
                    "architecture": row.architecture,
                    "layers": list(row.layers),
                    "imports_probed_in_container": row.probed,
                    "passed": row.passed,
                    "results": {
                        check.value: {
                            "passed": result.passed,
                            "summary": result.summary,
                            "problems": list(result.problems),
                        }
                        for check, result in row.results.items()
                    },
                }
                for row in rows
            ],
        },
        indent=2,
    )


def _as_markdown(rows: Sequence[StackRow]) -> str:
    header = ["stack", "layers", *(check.value for check in Check)]
    lines = [
        "# Cross-layer import matrix",
        "",
        "One row per function stack (runtime x architecture). `imports`: every module the "
        "function imports is found where the runtime looks"
        " and, where marked (probed), imports in the runtime's container; `overlaps`: no path "
        "provided by two layers with different contents; `versions`: no distribution at two "
        "versions; `size`: function and layers unzipped within 250 MiB (262,144,000 bytes).",
        "",
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
    ]
    for row in rows:
        cells = [f"{'✓' if row.results[c].passed else '✗'} {row.results[c].summary}" for c in Check]
        stack = row.stack + (" (probed)" if row.probed else "")
        lines.append("| " + " | ".join([stack, " + ".join(row.layers), *cells]) + " |")
    problems = [(row.stack, problem) for row in rows for problem in row.problems()]
    if problems:
        lines += ["", "## Problems", ""] + [
            f"- **{stack}**: {problem}" for stack, problem in problems
        ]
    return "\n".join(lines) + "\n"


def write_matrix(rows: Sequence[StackRow], directory: Path) -> tuple[Path, Path]:
    """`import-matrix.json` and `import-matrix.md` in `directory`, each written atomically."""
    json_path = write_atomically(directory / f"{MATRIX_NAME}.json", _as_json(rows) + "\n")
    markdown_path = write_atomically(directory / f"{MATRIX_NAME}.md", _as_markdown(rows))
    return json_path, markdown_path
