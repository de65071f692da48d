"""Lambda layer versions: list, find the one to reuse, publish, choose old ones, delete.

The manifest's sha256 and input hash are written into each version's description, so a later
run (or a person in the console) can tell which zip a version holds.
"""

from __future__ import annotations

import base64
import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import boto3.exceptions
import botocore.exceptions

from lambda_layers.base.errors import AwsCallError
from lambda_layers.builder.manifest import LayerEntry

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient
    from mypy_boto3_lambda.type_defs import LayerVersionContentInputTypeDef

DESCRIPTION_LIMIT = 256  # characters, PublishLayerVersion's Description
INPUT_HASH_CHARACTERS = 16
_MARKER = re.compile(r"sha256=(?P<sha256>[0-9a-f]{64}) input=(?P<input>[0-9a-f]+)")


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerVersion:
    layer_name: str
    version: int
    arn: str
    description: str

    @property
    def sha256(self) -> str | None:
        """The zip's sha256 recorded by this tool, or None for a version made otherwise."""
        found = _MARKER.search(self.description)
        return found["sha256"] if found else None


def describe(entry: LayerEntry) -> str:
    """The spec's description, then the marker this tool matches on (never cut off)."""
    marker = f"sha256={entry.sha256} input={entry.input_hash[:INPUT_HASH_CHARACTERS]}"
    room = DESCRIPTION_LIMIT - len(marker) - 3
    text = entry.description.strip()
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return f"{text} | {marker}" if text else marker


@contextlib.contextmanager
def aws_call(action: str) -> Iterator[None]:
    """Turn boto's errors into one AwsCallError saying which call failed and why."""
    try:
        yield
    except botocore.exceptions.ClientError as error:
        detail = error.response.get("Error", {})
        raise AwsCallError(
            f"{action} failed: {detail.get('Code', '?')}: {detail.get('Message', error)}"
        ) from None
    except (botocore.exceptions.BotoCoreError, boto3.exceptions.Boto3Error) as error:
        raise AwsCallError(f"{action} failed: {error}") from None


def list_versions(client: LambdaClient, layer_name: str) -> list[LayerVersion]:
    """Every version of `layer_name`, newest first (none when the layer does not exist)."""
    found: list[LayerVersion] = []
    with aws_call(f"listing the versions of layer {layer_name}"):
        for page in client.get_paginator("list_layer_versions").paginate(LayerName=layer_name):
            found.extend(
                LayerVersion(
                    layer_name=layer_name,
                    version=item["Version"],
                    arn=item["LayerVersionArn"],
                    description=item.get("Description", ""),
                )
                for item in page["LayerVersions"]
            )
    return sorted(found, key=lambda item: item.version, reverse=True)


def reusable(versions: list[LayerVersion], sha256: str) -> LayerVersion | None:
    """The newest version that already holds this zip, if any."""
    return next((item for item in versions if item.sha256 == sha256), None)


def publish_version(
    client: LambdaClient,
    *,
    layer_name: str,
    entry: LayerEntry,
    content: LayerVersionContentInputTypeDef,
) -> LayerVersion:
    with aws_call(f"publishing {entry.zip} as layer {layer_name}"):
        answer = client.publish_layer_version(
            LayerName=layer_name,
            Description=describe(entry),
            Content=content,
            CompatibleRuntimes=[entry.runtime],  # type: ignore[list-item]
            CompatibleArchitectures=[entry.architecture],  # type: ignore[list-item]
            **({"LicenseInfo": entry.license} if entry.license else {}),
        )
    made = LayerVersion(
        layer_name=layer_name,
        version=answer["Version"],
        arn=answer["LayerVersionArn"],
        description=answer.get("Description", ""),
    )
    received = answer.get("Content", {}).get("CodeSha256", "")
    expected = base64.b64encode(bytes.fromhex(entry.sha256)).decode()
    if received != expected:
        # its description claims the zip's sha256: left in place, a later run would reuse it
        delete_version(client, made)
        raise AwsCallError(
            f"publishing {entry.zip}: Lambda received other bytes (CodeSha256 {received or 'empty'}"
            f", the zip's is {expected}); the version was deleted. If it came through S3, check "
            "that the object was not replaced meanwhile, and publish again"
        )
    return made


def delete_version(client: LambdaClient, version: LayerVersion) -> None:
    with aws_call(f"deleting {version.arn}"):
        client.delete_layer_version(LayerName=version.layer_name, VersionNumber=version.version)


def versions_to_delete(
    versions: Sequence[LayerVersion], *, keep: int, protected: frozenset[str]
) -> list[LayerVersion]:
    """Of one layer's versions, those beyond the newest `keep` that nothing records."""
    newest_first = sorted(versions, key=lambda item: item.version, reverse=True)
    return [item for item in newest_first[keep:] if item.arn not in protected]
