"""How a zip reaches Lambda: inline up to 50 MB, otherwise through S3 (multipart, with progress).

https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html: 50 MB zipped when
uploaded directly; larger layers must come from an S3 object in the function's region.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from boto3.s3.transfer import TransferConfig
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from lambda_layers.base.console import console
from lambda_layers.platform.facts import limits
from lambda_layers.publish.versions import aws_call

if TYPE_CHECKING:
    from mypy_boto3_lambda.type_defs import LayerVersionContentInputTypeDef
    from mypy_boto3_s3 import S3Client

S3_KEY_PREFIX = "lambda-layers"
MULTIPART_CHUNK_BYTES = 16 * limits().megabyte
MINIMUM_PART_BYTES = 5 * limits().megabyte  # S3's smallest part (all but the last)


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """How one zip is sent: a `key` means through S3 (in `bucket`, once one is given)."""

    bucket: str | None = None
    key: str | None = None

    @property
    def through_s3(self) -> bool:
        return self.key is not None

    def describe(self) -> str:
        return f"via S3 bucket {self.bucket}" if self.through_s3 else "direct"


def route_for(
    *, size: int, direct_limit: int, bucket: str | None, layer_name: str, sha256: str
) -> Route:
    """Direct when small enough; else an S3 key named after the layer and the zip's content."""
    if size <= direct_limit:
        return Route()
    return Route(bucket=bucket, key=f"{S3_KEY_PREFIX}/{layer_name}/{sha256}.zip")


def upload_to_s3(
    s3: S3Client, *, path: Path, bucket: str, key: str, chunk_bytes: int = MULTIPART_CHUNK_BYTES
) -> None:
    """boto3's managed transfer: multipart above one chunk, parts in parallel, with a bar."""
    chunk = max(chunk_bytes, MINIMUM_PART_BYTES)
    config = TransferConfig(multipart_threshold=chunk, multipart_chunksize=chunk, max_concurrency=4)
    columns = (
        TextColumn("  {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with (
        Progress(*columns, console=console, transient=True) as progress,
        aws_call(f"uploading {path} to s3://{bucket}/{key}"),
    ):
        task = progress.add_task(f"↑ {path.name}", total=path.stat().st_size)
        s3.upload_file(
            str(path),
            bucket,
            key,
            Config=config,
            Callback=lambda sent: progress.update(task, advance=sent),
        )


def content_for(
    s3: S3Client, *, path: Path, route: Route, chunk_bytes: int = MULTIPART_CHUNK_BYTES
) -> LayerVersionContentInputTypeDef:
    """The `Content` of PublishLayerVersion, uploading to S3 first when the route says so."""
    if route.bucket is None or route.key is None:
        return {"ZipFile": path.read_bytes()}
    upload_to_s3(s3, path=path, bucket=route.bucket, key=route.key, chunk_bytes=chunk_bytes)
    return {"S3Bucket": route.bucket, "S3Key": route.key}
