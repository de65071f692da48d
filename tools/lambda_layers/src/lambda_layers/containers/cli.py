"""`lambda-layers images`: build and list the Lambda-like stand-in runtime images."""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import typer
from rich.table import Table

from lambda_layers.base.console import console
from lambda_layers.base.errors import ContainerError, LayerToolError
from lambda_layers.engine.client import docker_client, image_present
from lambda_layers.engine.images import standin_targets
from lambda_layers.engine.standins import ensure_standin
from lambda_layers.platform.facts import Architecture, Runtime, architecture, runtime
from lambda_layers.platform.standins import recipe_for

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)

RuntimeOption = Annotated[
    list[str] | None, typer.Option("--runtime", "-r", help="python3.11, python3.12, python3.13.")
]
ArchOption = Annotated[list[str] | None, typer.Option("--arch", "-a", help="arm64 or x86_64.")]


def _selected(
    runtimes: list[str] | None, arches: list[str] | None
) -> list[tuple[Runtime, Architecture]]:
    wanted_runtimes = {runtime(name).name for name in runtimes or []}
    wanted_arches = {architecture(name) for name in arches or []}
    selected = [
        (rt, arch)
        for rt, arch in standin_targets()
        if (not wanted_runtimes or rt.name in wanted_runtimes)
        and (not wanted_arches or arch in wanted_arches)
    ]
    if not selected:
        known = ", ".join(f"{rt.name} {arch.value}" for rt, arch in standin_targets())
        raise ContainerError(f"no stand-in matches the options; stand-ins are: {known}")
    return selected


def _fail(error: LayerToolError) -> NoReturn:
    console.print(f"[red]error:[/red] {error}", soft_wrap=True)
    sys.exit(error.exit_code)


@app.command("build")
def build_command(runtime: RuntimeOption = None, arch: ArchOption = None) -> None:
    """Build the stand-in images that are missing (present ones are reused)."""
    try:
        for rt, arch_ in _selected(runtime, arch):
            console.print(ensure_standin(rt, arch_))
    except LayerToolError as error:
        _fail(error)


@app.command("list")
def list_command() -> None:
    """The stand-ins, their tags, and whether each is on this machine."""
    try:
        client = docker_client()
    except LayerToolError as error:
        _fail(error)
    table = Table("runtime", "arch", "tag", "present", "official image present")
    try:
        for rt, arch_ in standin_targets():
            tag = recipe_for(rt, arch_).tag()
            official = rt.official_image_for(arch_)
            table.add_row(
                rt.name, arch_.value, tag,
                "yes" if image_present(client, tag) else "[red]no[/red]",
                "yes" if image_present(client, official) else "no",
            )  # fmt: skip
    finally:
        client.close()
    console.print(table)
