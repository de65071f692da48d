"""`lambda-layers functions ...`: prove each function's layer stack the way Lambda runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lambda_layers.base.console import console
from lambda_layers.base.errors import LayerToolError

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


@app.command("test")
def test_command(
    *,
    function: Annotated[
        list[str] | None, typer.Option("--function", "-f", help="Function name (repeat).")
    ] = None,
    runtime: Annotated[
        list[str] | None,
        typer.Option("--runtime", "-r", help="python3.11, python3.12, python3.13."),
    ] = None,
    arch: Annotated[list[str] | None, typer.Option("--arch", "-a", help="arm64 or x86_64.")] = None,
    image: Annotated[
        str | None,
        typer.Option(help="Image to run in; may hold {runtime}, {python_version}, {architecture}."),
    ] = None,
    build: Annotated[bool, typer.Option(help="Build missing or stale layers first.")] = True,
    cold_start: Annotated[bool, typer.Option(help="Measure the cold start report.")] = True,
    repeats: Annotated[int, typer.Option(min=1, help="Samples per cold-start variant.")] = 3,
    output: Annotated[Path, typer.Option(help="Layer zips; reports are written here.")] = Path(
        "dist/layers"
    ),
    root: Annotated[Path | None, typer.Option(help="Repository root (default: from cwd).")] = None,
) -> None:
    """Run every function's smoke events in Lambda-like containers on each runtime and
    architecture, check every stack (import matrix) and report cold starts; exit 1 on failure."""
    from lambda_layers.builder.workspace import find_root
    from lambda_layers.run.harness import HarnessOptions, run_function_tests

    repository = find_root(root)
    report = run_function_tests(
        HarnessOptions(
            root=repository,
            output=output if output.is_absolute() else repository / output,
            functions=function or [],
            runtimes=runtime or [],
            architectures=arch or [],
            image=image,
            build=build,
            cold_start=cold_start,
            repeats=repeats,
        )
    )
    failures = report.failures()
    ran = [result for result in report.smoke if not result.skipped]
    skipped = len(report.smoke) - len(ran)
    passed = sum(result.passed for result in ran)
    summary = f"{passed} of {len(ran)} function runs passed, {skipped} skipped"
    if failures:
        console.print(f"[red]✗[/red] {summary}; {len(failures)} problems:")
        for failure in failures:
            console.print(f"  [red]-[/red] {failure}", soft_wrap=True)
        # An error, not typer.Exit: `lambda-layers` runs its app with standalone_mode=False,
        # where an Exit's code would be returned and dropped.
        raise LayerToolError(f"{len(failures)} problems in {len(report.smoke)} function runs")
    console.print(f"[green]✓[/green] {summary}")


@app.command("list")
def list_command(
    *,
    root: Annotated[Path | None, typer.Option(help="Repository root (default: from cwd).")] = None,
) -> None:
    """The declared functions and their stacks."""
    from lambda_layers.builder.workspace import find_root
    from lambda_layers.layer.functions import load_functions

    for spec in load_functions(find_root(root)):
        arches = ", ".join(a.value for a in spec.architectures)
        console.print(
            f"{spec.name}: {' + '.join(spec.layers)} on {', '.join(spec.all_runtimes)} ({arches}); "
            f"{len(spec.events)} smoke events"
            + (f"; services {', '.join(s.value for s in spec.services)}" if spec.services else "")
        )
