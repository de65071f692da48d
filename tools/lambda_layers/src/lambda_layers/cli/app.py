"""The one `lambda-layers` app: build, lock, verify, publish, benchmark; images and functions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from lambda_layers.base.console import console, plain
from lambda_layers.base.errors import LayerToolError
from lambda_layers.base.settings import Settings
from lambda_layers.builder.benchmark import run_benchmark
from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build, run_lock, run_verify
from lambda_layers.builder.workspace import find_root
from lambda_layers.cli.containers import functions, images
from lambda_layers.cli.options import (
    DIST,
    ArchOption,
    ImageOption,
    LayerOption,
    OneArchOption,
    OneRuntimeOption,
    OutputOption,
    RootOption,
    RuntimeOption,
    settings,
)
from lambda_layers.layer.targets import Selection
from lambda_layers.platform.facts import limits
from lambda_layers.publish.command import PublishRequest, run_publish
from lambda_layers.publish.settings import AwsSettings


class _Commands(TyperGroup):
    """The one error handler: a LayerToolError from any command becomes its message and its exit
    code (no traceback); Ctrl-C exits 130."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except LayerToolError as error:
            console.print(f"[red]error:[/red] {plain(error)}", soft_wrap=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None


app = typer.Typer(cls=_Commands, no_args_is_help=True, add_completion=False)
app.add_typer(images, name="images")
app.add_typer(functions, name="functions")


@app.callback()
def _start(context: typer.Context) -> None:
    """Build, verify and publish Lambda layers from the specs in `layers/`, and prove them in
    Lambda-like containers."""
    context.obj = Settings.from_environment()


@app.command("build")
def build_command(  # noqa: PLR0917 (typer reads the parameters)
    context: typer.Context,
    layer: LayerOption = None,
    runtime: RuntimeOption = None,
    arch: ArchOption = None,
    builder: Annotated[BuilderName, typer.Option(help="auto, local or docker.")] = BuilderName.AUTO,
    image: ImageOption = None,
    force: Annotated[bool, typer.Option(help="Rebuild even when inputs are unchanged.")] = False,
    output: OutputOption = DIST,
    root: RootOption = None,
) -> None:
    """Build, verify and write layer zips (unchanged ones are skipped)."""
    run_build(
        layers=layer or [], runtimes=runtime or [], architectures=arch or [], builder=builder,
        image=image, force=force, output=output, root=root, settings=settings(context),
    )  # fmt: skip


@app.command("lock")
def lock_command(
    layer: LayerOption = None,
    runtime: RuntimeOption = None,
    arch: ArchOption = None,
    root: RootOption = None,
) -> None:
    """Resolve (again) the pinned, hashed closure of each target into layers/locks/."""
    run_lock(layers=layer or [], runtimes=runtime or [], architectures=arch or [], root=root)


@app.command("verify")
def verify_command(
    zips: Annotated[list[Path], typer.Argument(help="Layer zips to check.")],
    runtime: OneRuntimeOption,
    arch: OneArchOption,
    forbid: Annotated[list[str] | None, typer.Option(help="Forbidden distributions.")] = None,
) -> None:
    """Check existing zips (from anywhere) against a runtime and architecture."""
    run_verify(zips=zips, runtime_name=runtime, architecture_name=arch, forbid=forbid or [])


@app.command("publish")
def publish_command(  # noqa: PLR0917 (typer reads the parameters)
    context: typer.Context,
    dist: Annotated[Path, typer.Option(help="Where the zips and manifest.json are.")] = DIST,
    prefix: Annotated[
        str, typer.Option(help="Put before every layer name, per environment (e.g. `prod`).")
    ] = "",
    bucket: Annotated[
        str | None,
        typer.Option(help="S3 bucket for zips over the direct upload (LAMBDA_LAYERS_BUCKET)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; change nothing.")
    ] = False,
    prune_keep: Annotated[
        int | None,
        typer.Option(help="Then delete all but the newest K versions (never a published one)."),
    ] = None,
    layer: LayerOption = None,
    runtime: RuntimeOption = None,
    arch: ArchOption = None,
    region: Annotated[str | None, typer.Option(help="AWS region (default: AWS settings).")] = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile (default: AWS_PROFILE).")] = None,
    endpoint_url: Annotated[
        str | None, typer.Option(help="Another endpoint (default: AWS_ENDPOINT_URL).")
    ] = None,
    direct_limit: Annotated[
        int, typer.Option(help="Largest zip (bytes) sent without S3.", hidden=True)
    ] = limits().direct_upload_bytes,
    record: Annotated[
        Path | None, typer.Option(help="Where to write published.json (default: in --dist).")
    ] = None,
    root: Annotated[
        Path | None, typer.Option(help="Repository root, for functions/functions.toml.")
    ] = None,
) -> None:
    """Publish each verified zip as a layer version (reusing one that holds the same zip),
    then write published.json with the ARNs per layer and per declared function."""
    selection = Selection(names=layer or [], runtimes=runtime or [], architectures=arch or [])
    request = PublishRequest(
        dist=dist, root=root, prefix=prefix, dry_run=dry_run, prune_keep=prune_keep,
        bucket=settings(context).overridden(bucket=bucket).bucket, selection=selection,
        direct_limit=direct_limit, record=record,
        settings=AwsSettings(region=region, profile=profile, endpoint_url=endpoint_url),
    )  # fmt: skip
    run_publish(request)


BENCHMARK_RUNTIMES = ("python3.12", "python3.14")


@app.command("benchmark")
def benchmark_command(
    layer: LayerOption = None,
    runtime: RuntimeOption = None,
    arch: OneArchOption = "arm64",
    root: RootOption = None,
) -> None:
    """Each layer against a plain `pip install --target`: size and cold and warm build time,
    as ratios measured in the same run (default runtimes: python3.12 and python3.14)."""
    run_benchmark(root=find_root(root), layers=layer or [],
                  runtimes=runtime or BENCHMARK_RUNTIMES, architecture=arch)  # fmt: skip


def main() -> None:
    """The console script: run the app (usage errors are click's; tool errors are ours)."""
    app()
