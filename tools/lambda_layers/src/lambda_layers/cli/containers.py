"""`lambda-layers images` (stand-in images) and `functions` (stacks proven in containers)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from lambda_layers.base.console import console, plain
from lambda_layers.base.errors import ContainerError, LayerToolError
from lambda_layers.builder.workspace import below, find_root
from lambda_layers.cli.options import (
    DIST,
    ArchOption,
    ImageOption,
    OutputOption,
    RootOption,
    RuntimeOption,
    settings,
)
from lambda_layers.engine.client import docker_client, image_present
from lambda_layers.engine.images import standin_tag, standin_targets
from lambda_layers.engine.standins import ensure_standins
from lambda_layers.layer.functions import load_functions
from lambda_layers.layer.targets import Selection
from lambda_layers.platform.host import Host
from lambda_layers.run.harness import HarnessOptions, run_function_tests

images = typer.Typer(
    no_args_is_help=True, help="Build and list the Lambda-like stand-in runtime images."
)
functions = typer.Typer(
    no_args_is_help=True, help="Prove each function's layer stack in Lambda-like containers."
)


@images.command("build")
def images_build(
    context: typer.Context,
    runtime_: RuntimeOption = None,
    arch: ArchOption = None,
    jobs: Annotated[
        int,
        typer.Option(min=0, help="Stand-ins built at once (0: all; debootstrap waits on network)."),
    ] = 0,
) -> None:
    """Build the stand-in images that are missing (present ones are reused)."""
    selection = Selection(runtimes=runtime_ or [], architectures=arch or [])
    selection.check_names()
    selected = [
        (rt, arch_) for rt, arch_ in standin_targets()
        if selection.admits(name="", runtime=rt.name, architecture=arch_.value)
    ]  # fmt: skip
    if not selected:
        known = ", ".join(f"{rt.name} {arch_.value}" for rt, arch_ in standin_targets())
        raise ContainerError(f"no stand-in matches the options; stand-ins are: {known}")
    for tag in ensure_standins(selected, settings(context), jobs=jobs or len(selected)):
        console.print(tag)


@images.command("list")
def images_list() -> None:
    """The stand-ins, their tags, and whether each is on this machine."""
    client = docker_client()
    table = Table("runtime", "arch", "tag", "present", "official image present")
    try:
        for rt, arch_ in standin_targets():
            tag, official = standin_tag(rt, arch_), rt.official_image_for(arch_)
            table.add_row(
                rt.name, arch_.value, tag,
                "yes" if image_present(client, tag) else "[red]no[/red]",
                "yes" if image_present(client, official) else "no",
            )  # fmt: skip
    finally:
        client.close()
    console.print(table)


@functions.command("test")
def functions_test(  # noqa: PLR0917 (typer reads the parameters)
    context: typer.Context,
    function: Annotated[
        list[str] | None, typer.Option("--function", "-f", help="Function name (repeat).")
    ] = None,
    runtime_: RuntimeOption = None,
    arch: ArchOption = None,
    image: ImageOption = None,
    build: Annotated[bool, typer.Option(help="Build missing or stale layers first.")] = True,
    cold_start: Annotated[bool, typer.Option(help="Measure the cold start report.")] = True,
    repeats: Annotated[int, typer.Option(min=1, help="Samples per cold-start variant.")] = 3,
    output: OutputOption = DIST,
    root: RootOption = None,
) -> None:
    """Run every function's smoke events in Lambda-like containers on each runtime and
    architecture, check every stack (import matrix) and report cold starts; exit 1 on failure."""
    checkout = find_root(root)
    report = run_function_tests(
        HarnessOptions(
            root=checkout, output=below(checkout, output), image=image, build=build,
            selection=Selection(names=function or [], runtimes=runtime_ or [],
                                architectures=arch or []),
            cold_start=cold_start, repeats=repeats, host=Host.detect(settings(context)),
        )
    )  # fmt: skip
    failures = report.failures()
    ran = [result for result in report.smoke if not result.skipped]
    summary = (
        f"{sum(result.passed for result in ran)} of {len(ran)} function runs passed, "
        f"{len(report.smoke) - len(ran)} skipped"
    )
    if failures:
        console.print(f"[red]✗[/red] {summary}; {len(failures)} problems:")
        for failure in failures:
            console.print(f"  [red]-[/red] {plain(failure)}", soft_wrap=True)
        raise LayerToolError(f"{len(failures)} problems in {len(report.smoke)} function runs")
    console.print(f"[green]✓[/green] {summary}")


@functions.command("list")
def functions_list(root: RootOption = None) -> None:
    """The declared functions and their stacks."""
    for spec in load_functions(find_root(root)):
        arches = ", ".join(a.value for a in spec.architectures)
        console.print(
            f"{spec.name}: {' + '.join(spec.layers)} on {', '.join(spec.all_runtimes)} ({arches}); "
            f"{len(spec.events)} smoke events"
            + (f"; services {', '.join(s.value for s in spec.services)}" if spec.services else "")
        )
