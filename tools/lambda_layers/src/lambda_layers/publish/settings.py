"""The AWS session: region, profile and endpoint from the usual AWS settings, checked once.

boto3 reads `AWS_PROFILE`, `AWS_REGION`/`AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL` (and the
per-service `AWS_ENDPOINT_URL_LAMBDA`, `AWS_ENDPOINT_URL_S3`), `~/.aws/config` and
`~/.aws/credentials` itself; options given on the command line win over them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3
import botocore.exceptions
from botocore.config import Config

from lambda_layers.base.errors import AwsSettingsError

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_s3 import S3Client

_RETRIES = Config(retries={"max_attempts": 5, "mode": "standard"})


@dataclass(frozen=True, slots=True, kw_only=True)
class AwsSettings:
    """What the command line says; `None` leaves the choice to boto3's usual lookup."""

    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AwsClients:
    region: str
    lambda_client: LambdaClient
    s3_client: S3Client


def connect(settings: AwsSettings) -> AwsClients:
    """Clients for Lambda and S3, or one AwsSettingsError naming everything that is missing."""
    try:
        session = boto3.Session(profile_name=settings.profile, region_name=settings.region)
    except botocore.exceptions.ProfileNotFound as error:
        raise AwsSettingsError(
            f"AWS profile not found: {error}; pass an existing --profile (or unset AWS_PROFILE)"
        ) from None
    problems: list[str] = []
    if session.get_credentials() is None:
        problems.append(
            "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass "
            "--profile (or set AWS_PROFILE) naming a profile in ~/.aws/credentials, or run "
            "where a role provides them"
        )
    region = session.region_name
    if not region:
        problems.append(
            "no AWS region: pass --region, or set AWS_REGION (or AWS_DEFAULT_REGION), or give "
            "the profile a region in ~/.aws/config"
        )
    if problems or region is None:
        raise AwsSettingsError(
            "cannot publish (nothing was uploaded):\n  - " + "\n  - ".join(problems)
        )
    # None leaves the endpoint to boto3 (AWS_ENDPOINT_URL, the config file, or AWS itself)
    endpoint = settings.endpoint_url or None
    return AwsClients(
        region=region,
        lambda_client=session.client("lambda", config=_RETRIES, endpoint_url=endpoint),
        s3_client=session.client("s3", config=_RETRIES, endpoint_url=endpoint),
    )
