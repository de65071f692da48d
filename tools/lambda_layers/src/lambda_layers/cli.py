"""`lambda-layers`: build, verify and publish Lambda layers from the specs in `layers/`, and prove
them in Lambda-like containers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from lambda_layers.base.console import console
from lambda_layers.base.errors import LayerToolError
from lambda_layers.builder.builders import BuilderName

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)

LayerOption = Annotated[
    list[str] | None, typer.Option("--layer", "-l", help="Layer name (repeat).")
]
RuntimeOption = Annotated[
    list[str] | None, typer.Option("--runtime", "-r", help="python3.11, python3.12, python3.13.")
]
ArchOption = Annotated[list[str] | None, typer.Option("--arch", "-a", help="arm64 or x86_64.")]
RootOption = Annotated[Path | None, typer.Option(help="Repository root (default: found from cwd).")]


@app.command("build")
def build_command(  # noqa: PLR0917 (typer reads the parameters)
    layer: LayerOption = None,
    runtime: RuntimeOption = None,
    arch: ArchOption = None,
    builder: Annotated[BuilderName, typer.Option(help="auto, local or docker.")] = BuilderName.AUTO,
    image: Annotated[str | None, typer.Option(help="Image for the docker builder.")] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even when inputs are unchanged.")] = False,
    output: Annotated[Path, typer.Option(help="Where zips and the manifest go.")] = Path(
        "dist/layers"
    ),
    root: RootOption = None,
) -> None:
    """Build, verify and write layer zips (unchanged ones are skipped)."""
    from lambda_layers.builder.commands import run_build

    run_build(
        layers=layer or [], runtimes=runtime or [], architectures=arch or [], builder=builder,
        image=image, force=force, output=output, root=root,
    )  # fmt: skip


@app.command("lock")
def lock_command(
    layer: LayerOption = None,
    runtime: RuntimeOption = None,
    arch: ArchOption = None,
    root: RootOption = None,
) -> None:
    """Resolve (again) the pinned, hashed closure of each target into layers/locks/."""
    from lambda_layers.builder.commands import run_lock

    run_lock(layers=layer or [], runtimes=runtime or [], architectures=arch or [], root=root)


@app.command("verify")
def verify_command(
    zips: Annotated[list[Path], typer.Argument(help="Layer zips to check.")],
    runtime: Annotated[str, typer.Option(help="The runtime the layer is for.")],
    arch: Annotated[str, typer.Option(help="The architecture the layer is for.")],
    forbid: Annotated[list[str] | None, typer.Option(help="Forbidden distributions.")] = None,
) -> None:
    """Check existing zips (from anywhere) against a runtime and architecture."""
    from lambda_layers.builder.commands import run_verify

    run_verify(zips=zips, runtime_name=runtime, architecture_name=arch, forbid=forbid or [])


def _mount_subcommands() -> None:
    from lambda_layers.containers.cli import app as images_app
    from lambda_layers.publish.cli import publish_command
    from lambda_layers.run.cli import app as functions_app

    app.command("publish")(publish_command)
    app.add_typer(
        images_app, name="images", help="Build and list the Lambda-like stand-in runtime images."
    )
    app.add_typer(
        functions_app,
        name="functions",
        help="Prove each function's layer stack in Lambda-like containers.",
    )


_mount_subcommands()


def main() -> None:
    """Run the CLI; a user error prints its message (no traceback) and exits with its code."""
    try:
        app(standalone_mode=False)
    except LayerToolError as error:
        console.print(f"[red]error:[/red] {error}", soft_wrap=True)
        sys.exit(error.exit_code)
    except typer.Abort:
        sys.exit(130)
    except Exception as error:  # click's usage errors
        from click.exceptions import ClickException

        if isinstance(error, ClickException):
            error.show()
            sys.exit(error.exit_code)
        raise


if __name__ == "__main__":
    main()
