"""After a build: every declared function stack its layers complete, checked as one deployment.

Each zip is verified alone; a function deploys several together. For each function in
`functions/functions.toml` and each of its runtimes and architectures whose layers' zips are all
in the manifest, with at least one of them from this build: the import matrix's static checks
(`stack_results`: one version per distribution across the stack, the function's code and every
layer within Lambda's unzipped size, the modules it imports found where the runtime looks, no
path two layers ship differently), and a warning for a layer shipping the runtime's SDK older
than the runtime's. At most 5 layers a function is held by the declarations themselves
(`layer/functions.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from lambda_layers.base.console import console, plain
from lambda_layers.base.errors import VerificationError
from lambda_layers.builder.manifest import Manifest
from lambda_layers.layer.checks.findings import Check, CheckResult
from lambda_layers.layer.checks.stack import older_runtime_sdk, stack_results
from lambda_layers.layer.contents import read_layer
from lambda_layers.layer.functions import (
    DECLARATIONS_FILE,
    FUNCTIONS_DIRECTORY,
    FunctionSpec,
    load_functions,
)
from lambda_layers.layer.targets import zip_name
from lambda_layers.platform.facts import Architecture, facts, limits, mb
from lambda_layers.platform.facts import runtime as runtime_facts

EXAMPLES = 3
"""How many of a long list of problems (overlapping paths) a report shows."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StackReport:
    """One function's stack on one runtime and architecture, checked."""

    function: str
    runtime: str
    architecture: Architecture
    layers: tuple[str, ...]
    results: dict[Check, CheckResult]
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"function {self.function} on {self.runtime} {self.architecture.value}"

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.results.values())

    @property
    def conflicts(self) -> bool:
        return not self.results[Check.VERSIONS].passed

    def describe(self) -> str:
        """The version conflict first (on the line naming the stack), then the size and the
        imports, then the overlaps summarised: paths that differ follow from a conflict, so a
        count and a few (sources before bytecode)."""
        problems = [f"[{check}] {problem}" for check in (Check.VERSIONS, Check.SIZE, Check.IMPORTS)
                    for problem in self.results[check].problems]  # fmt: skip
        overlaps = self.results[Check.OVERLAPS]
        if not overlaps.passed:
            shown = sorted(overlaps.problems, key=lambda text: "/__pycache__/" in text)[:EXAMPLES]
            more = len(overlaps.problems) - len(shown)
            problems.append(
                f"[{overlaps.check}] {overlaps.summary}, e.g.:"
                + "".join(f"\n    - {problem}" for problem in shown)
                + (f"\n    ... and {more} more" if more else "")
            )
        first, *rest = problems
        return "\n".join([f"{self.name} ({' + '.join(self.layers)}): {first}",
                          *(f"  {problem}" for problem in rest)])  # fmt: skip


def check_stack(output: Path, function: FunctionSpec, runtime: str,
                architecture: Architecture, *, root: Path) -> StackReport:  # fmt: skip
    """The checks of one stack, over its zips in `output` (read, never extracted)."""
    contents = [read_layer(output / zip_name(layer, runtime, architecture), name=layer)
                for layer in function.layers]  # fmt: skip
    return StackReport(
        function=function.name, runtime=runtime, architecture=architecture,
        layers=tuple(function.layers),
        results=stack_results(contents, modules=function.imports, runtime=runtime_facts(runtime),
                              code=function.code_directory(root)),
        warnings=tuple(older_runtime_sdk(contents, facts().standins.runtime_sdk_versions)),
    )  # fmt: skip


def check_function_stacks(
    root: Path, output: Path, manifest: Manifest, *, built: Collection[str]
) -> list[StackReport]:
    """Every declared stack whose zips are all in `manifest` and `output`, one of them among
    `built` (this build's zip names). A repository without `functions/` declares none."""
    if not (root / FUNCTIONS_DIRECTORY / DECLARATIONS_FILE).is_file():
        return []
    reports = []
    for function in load_functions(root):
        for runtime in function.all_runtimes:
            for architecture in function.architectures:
                names = [zip_name(layer, runtime, architecture) for layer in function.layers]
                present = all(
                    name in manifest.layers and (output / name).is_file() for name in names
                )
                if present and any(name in built for name in names):
                    reports.append(check_stack(output, function, runtime, architecture, root=root))
    return reports


def stack_failure(reports: Sequence[StackReport]) -> VerificationError | None:
    """One error for every failing stack (version conflicts first), or None when all pass."""
    failing = sorted((r for r in reports if not r.passed), key=lambda r: not r.conflicts)
    if not failing:
        return None
    return VerificationError(
        "\n".join(report.describe() for report in failing)
        + f"\n{len(failing)} of {len(reports)} function stacks cannot deploy as declared (each "
        "layer's zip is valid alone and was written; together they are not): fix the layer "
        "specs as each line says, or change the function's `layers` in "
        f"{FUNCTIONS_DIRECTORY}/{DECLARATIONS_FILE}"
    )


def report_stacks(
    root: Path, output: Path, manifest: Manifest, *, built: Collection[str]
) -> VerificationError | None:
    """Check the stacks this build completes, print the outcome and every warning, and return
    the error to raise when one fails (the zips are written either way)."""
    reports = check_function_stacks(root, output, manifest, built=built)
    for report in reports:
        for warning in report.warnings:
            console.print(f"[yellow]![/yellow] {plain(report.name)}: {plain(warning)}",
                          soft_wrap=True)  # fmt: skip
    failure = stack_failure(reports)
    if reports and failure is None:
        console.print(
            f"[green]✓[/green] {len(reports)} function stacks hold together: one version of each "
            f"distribution, code and layers within {mb(limits().unzipped_bytes):.0f} MB unzipped, "
            "every declared import found"
        )
    return failure
