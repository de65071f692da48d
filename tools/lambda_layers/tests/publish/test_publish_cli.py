"""The `publish` sub-command as the main CLI mounts it, against the moto server."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from lambda_layers.cli.app import app

pytestmark = pytest.mark.moto


def main_app() -> typer.Typer:
    """The `lambda-layers` app, where `publish` is one command among the others."""
    return app


def test_dry_run_through_the_cli_prints_the_plan_and_publishes_nothing(
    dist, prefix, aws_environment, lambda_client
):
    dist.build_all()
    arguments = ["publish", "--dist", str(dist.directory), "--root", str(dist.root),
                 "--prefix", prefix, "--dry-run", "--arch", "arm64"]  # fmt: skip

    result = CliRunner().invoke(main_app(), arguments)

    assert result.exit_code == 0, result.output
    assert "would publish" in result.output
    assert "base-python3.13-arm64.zip" in result.output
    listed = lambda_client.list_layers()["Layers"]
    assert not [layer for layer in listed if layer["LayerName"].startswith(prefix)]
    assert not (dist.directory / "published.json").exists()


def test_the_cli_publishes_and_honours_the_bucket_environment(
    dist, prefix, aws_environment, lambda_client, s3_client, monkeypatch
):
    bucket = f"{prefix}-env-bucket"
    s3_client.create_bucket(Bucket=bucket)
    monkeypatch.setenv("LAMBDA_LAYERS_BUCKET", bucket)
    dist.build("base", "arm64")
    arguments = ["publish", "--dist", str(dist.directory), "--root", str(dist.root),
                 "--prefix", prefix, "--direct-limit", "1"]  # fmt: skip

    result = CliRunner().invoke(main_app(), arguments)

    assert result.exit_code == 0, result.output
    objects: Any = s3_client.list_objects_v2(Bucket=bucket)["Contents"]
    assert len(objects) == 1
    versions = lambda_client.list_layer_versions(LayerName=f"{prefix}-base-python313-arm64")
    assert [v["Version"] for v in versions["LayerVersions"]] == [1]
