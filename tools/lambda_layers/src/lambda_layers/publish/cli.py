"""`lambda-layers publish`: publish verified layer zips to AWS Lambda (mounted by the main CLI)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from lambda_layers.publish.defaults import BUCKET_ENVIRONMENT, DIRECT_LIMIT_BYTES

app = typer.Typer(add_completion=False, help=__doc__)


@app.callback(invoke_without_command=True)
def publish_command(
    *,
    dist: Annotated[Path, typer.Option(help="Where the zips and manifest.json are.")] = Path(
        "dist/layers"
    ),
    prefix: Annotated[
        str, typer.Option(help="Put before every layer name, per environment (e.g. `prod`).")
    ] = "",
    bucket: Annotated[
        str | None,
        typer.Option(
            envvar=BUCKET_ENVIRONMENT, help="S3 bucket for zips over the direct-upload limit."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would happen; change nothing.")
    ] = False,
    prune_keep: Annotated[
        int | None,
        typer.Option(help="Then delete all but the newest K versions (never a published one)."),
    ] = None,
    layer: Annotated[list[str] | None, typer.Option("--layer", "-l", help="Layer name.")] = None,
    runtime: Annotated[list[str] | None, typer.Option("--runtime", "-r", help="Runtime.")] = None,
    arch: Annotated[list[str] | None, typer.Option("--arch", "-a", help="Architecture.")] = None,
    region: Annotated[str | None, typer.Option(help="AWS region (default: AWS settings).")] = None,
    profile: Annotated[str | None, typer.Option(help="AWS profile (default: AWS_PROFILE).")] = None,
    endpoint_url: Annotated[
        str | None, typer.Option(help="Another endpoint (default: AWS_ENDPOINT_URL).")
    ] = None,
    direct_limit: Annotated[
        int, typer.Option(help="Largest zip (bytes) sent without S3.", hidden=True)
    ] = DIRECT_LIMIT_BYTES,
    record: Annotated[
        Path | None,
        typer.Option(help="Where to write published.json (default: in --dist)."),
    ] = None,
    root: Annotated[
        Path | None, typer.Option(help="Repository root, for functions/functions.toml.")
    ] = None,
) -> None:
    """Publish each verified zip as a layer version (reusing one that holds the same zip),
    then write published.json with the ARNs per layer and per declared function."""
    from lambda_layers.publish.command import PublishRequest, run_publish
    from lambda_layers.publish.plan import Selection
    from lambda_layers.publish.settings import AwsSettings

    run_publish(
        PublishRequest(
            dist=dist,
            root=root,
            prefix=prefix,
            bucket=bucket or os.environ.get(BUCKET_ENVIRONMENT) or None,
            dry_run=dry_run,
            prune_keep=prune_keep,
            selection=Selection(
                layers=layer or [], runtimes=runtime or [], architectures=arch or []
            ),
            direct_limit=direct_limit,
            settings=AwsSettings(region=region, profile=profile, endpoint_url=endpoint_url),
            record=record,
        )
    )
