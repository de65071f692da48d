"""Publishing against a real moto server on 127.0.0.1, through boto3."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest

from lambda_layers.base.errors import AwsCallError, AwsSettingsError, RefusedZipError
from lambda_layers.layer.targets import Selection
from lambda_layers.publish.command import Action, PublishRequest, run_publish
from lambda_layers.publish.record import PUBLISHED_NAME
from lambda_layers.publish.versions import publish_version

pytestmark = pytest.mark.moto


@pytest.fixture(autouse=True)
def _aws(aws_environment: Any) -> None:
    """Every boto3 client of every test reaches the moto server, with dummy credentials."""


def versions_of(client: Any, name: str) -> list[int]:
    return sorted(v["Version"] for v in client.list_layer_versions(LayerName=name)["LayerVersions"])


def names(prefix: str) -> list[str]:
    return [
        f"{prefix}-{layer}-python313-{arch}"
        for layer in ("base", "extras")
        for arch in ("arm64", "x86_64")
    ]


def published_json(dist: Any) -> dict[str, Any]:
    return json.loads((dist.directory / PUBLISHED_NAME).read_text())


def request(dist: Any, prefix: str, **options: Any) -> PublishRequest:
    return PublishRequest(dist=dist.directory, root=dist.root, prefix=prefix, **options)


def test_publish_is_idempotent_and_publishes_only_what_changed(dist, prefix, lambda_client):
    # GIVEN four built, verified zips
    dist.build_all()

    # WHEN published
    first = run_publish(request(dist, prefix))

    # THEN each is a new version 1 carrying its sha256 and input hash in the description
    assert [d.action for d in first.decisions] == [Action.PUBLISH] * 4
    for name in names(prefix):
        assert versions_of(lambda_client, name) == [1]
    base_arm = first.layers["base-python3.13-arm64.zip"]
    described = lambda_client.get_layer_version(LayerName=base_arm.layer_name, VersionNumber=1)
    assert f"sha256={base_arm.sha256}" in described["Description"]
    assert base_arm.input_hash[:16] in described["Description"]
    assert described["CompatibleRuntimes"] == ["python3.13"]
    assert described["CompatibleArchitectures"] == ["arm64"]
    assert described["LicenseInfo"] == "MIT"
    code_sha = base64.b64encode(bytes.fromhex(base_arm.sha256)).decode()
    assert described["Content"]["CodeSha256"] == code_sha

    # WHEN published again, unchanged
    second = run_publish(request(dist, prefix))

    # THEN nothing new: the same ARNs are reported
    assert [d.action for d in second.decisions] == [Action.REUSE] * 4
    for name in names(prefix):
        assert versions_of(lambda_client, name) == [1]
    assert {k: v.arn for k, v in second.layers.items()} == {
        k: v.arn for k, v in first.layers.items()
    }

    # WHEN one input changes and everything is published
    dist.build("base", "arm64", content="VALUE = 2\n")
    third = run_publish(request(dist, prefix))

    # THEN exactly one new version; the others are reused
    actions = {d.candidate.path.name: d.action for d in third.decisions}
    assert actions.pop("base-python3.13-arm64.zip") is Action.PUBLISH
    assert set(actions.values()) == {Action.REUSE}
    assert versions_of(lambda_client, f"{prefix}-base-python313-arm64") == [1, 2]
    for name in names(prefix)[1:]:
        assert versions_of(lambda_client, name) == [1]
    record = published_json(dist)
    assert record["layers"]["base-python3.13-arm64.zip"]["arn"].endswith(
        f":layer:{prefix}-base-python313-arm64:2"
    )


def test_published_json_lists_each_function_stack_in_declared_order(dist, prefix):
    dist.build_all()

    outcome = run_publish(request(dist, prefix))

    record = published_json(dist)
    arn = {name: layer.arn for name, layer in outcome.layers.items()}
    assert record["region"] == os.environ["AWS_DEFAULT_REGION"]
    assert record["prefix"] == prefix
    assert (
        record["layers"]["extras-python3.13-x86_64.zip"]["arn"]
        == arn["extras-python3.13-x86_64.zip"]
    )
    ingest = record["functions"]["ingest"]
    assert ingest["layers"] == ["extras", "base"]
    assert ingest["arns"] == {
        "arm64": [arn["extras-python3.13-arm64.zip"], arn["base-python3.13-arm64.zip"]],
        "x86_64": [arn["extras-python3.13-x86_64.zip"], arn["base-python3.13-x86_64.zip"]],
    }
    assert ingest["missing"] == {}
    assert record["functions"]["label"]["arns"] == {"x86_64": [arn["base-python3.13-x86_64.zip"]]}


def test_a_filtered_run_keeps_the_other_layers_in_published_json(dist, prefix):
    dist.build_all()
    run_publish(request(dist, prefix, selection=Selection(architectures=["x86_64"])))
    record = published_json(dist)
    assert sorted(record["layers"]) == [
        "base-python3.13-x86_64.zip",
        "extras-python3.13-x86_64.zip",
    ]
    assert record["functions"]["ingest"]["missing"] == {
        "arm64": ["extras-python3.13-arm64.zip", "base-python3.13-arm64.zip"]
    }

    outcome = run_publish(request(dist, prefix, selection=Selection(architectures=["arm64"])))

    record = published_json(dist)
    assert len(record["layers"]) == 4
    assert [d.candidate.entry.architecture for d in outcome.decisions] == ["arm64", "arm64"]
    assert record["functions"]["ingest"]["missing"] == {}
    assert set(record["functions"]["ingest"]["arns"]) == {"arm64", "x86_64"}


def test_large_zips_go_through_s3_multipart(dist, prefix, lambda_client, s3_client):
    # GIVEN a bucket, one incompressible 6 MiB zip and one tiny one, and a 1 MiB direct limit
    bucket = f"{prefix}-layers"
    s3_client.create_bucket(Bucket=bucket)
    big = dist.build("base", "arm64", payload=os.urandom(6 * 1_048_576))
    dist.build("extras", "arm64")

    # WHEN published with 5 MiB parts
    outcome = run_publish(
        request(
            dist,
            prefix,
            bucket=bucket,
            direct_limit=1_048_576,
            multipart_chunk_bytes=5 * 1_048_576,
            selection=Selection(architectures=["arm64"]),
        )
    )

    # THEN the big zip went through S3 in two parts, the small one directly, both published
    routes = {d.candidate.path.name: d.route for d in outcome.decisions}
    assert routes["extras-python3.13-arm64.zip"].through_s3 is False
    key = routes["base-python3.13-arm64.zip"].key
    assert key == f"lambda-layers/{prefix}-base-python313-arm64/{big.sha256}.zip"
    head = s3_client.head_object(Bucket=bucket, Key=key)
    assert head["ContentLength"] == big.zipped_bytes
    assert head["ETag"].strip('"').endswith("-2")  # a multipart upload of two parts
    published = lambda_client.get_layer_version(
        LayerName=f"{prefix}-base-python313-arm64", VersionNumber=1
    )
    assert (
        published["Content"]["CodeSha256"] == base64.b64encode(bytes.fromhex(big.sha256)).decode()
    )
    assert versions_of(lambda_client, f"{prefix}-extras-python313-arm64") == [1]


def test_small_zips_go_through_s3_when_the_limit_is_lowered(dist, prefix, lambda_client, s3_client):
    bucket = f"{prefix}-layers"
    s3_client.create_bucket(Bucket=bucket)
    entry = dist.build("base", "x86_64")

    outcome = run_publish(request(dist, prefix, bucket=bucket, direct_limit=1))

    (decision,) = outcome.decisions
    assert decision.route.through_s3
    keys = [item["Key"] for item in s3_client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"lambda-layers/{prefix}-base-python313-x86_64/{entry.sha256}.zip"]
    assert versions_of(lambda_client, f"{prefix}-base-python313-x86_64") == [1]


def test_s3_route_without_a_bucket_fails_before_any_upload(
    dist, prefix, lambda_client, monkeypatch
):
    monkeypatch.delenv("LAMBDA_LAYERS_BUCKET", raising=False)
    dist.build_all()

    with pytest.raises(Exception, match="no bucket was given: pass --bucket") as failure:
        run_publish(request(dist, prefix, direct_limit=1))

    assert "base-python3.13-arm64.zip" in str(failure.value)
    for name in names(prefix):
        assert versions_of(lambda_client, name) == []
    assert not (dist.directory / PUBLISHED_NAME).exists()


def test_dry_run_changes_nothing(dist, prefix, lambda_client, s3_client):
    bucket = f"{prefix}-layers"
    s3_client.create_bucket(Bucket=bucket)
    dist.build_all()

    # a first dry run: everything would be published, nothing is
    preview = run_publish(request(dist, prefix, dry_run=True, bucket=bucket, prune_keep=1))
    assert [d.action for d in preview.decisions] == [Action.PUBLISH] * 4
    assert preview.published_json is None
    assert not (dist.directory / PUBLISHED_NAME).exists()
    for name in names(prefix):
        assert versions_of(lambda_client, name) == []

    # after a real publish and one change: the dry run reports one publish, three reuses
    run_publish(request(dist, prefix))
    before = (dist.directory / PUBLISHED_NAME).read_bytes()
    dist.build("extras", "x86_64", content="VALUE = 3\n")
    preview = run_publish(
        request(dist, prefix, dry_run=True, bucket=bucket, direct_limit=1, prune_keep=1)
    )
    actions = {d.candidate.path.name: d.action for d in preview.decisions}
    assert actions.pop("extras-python3.13-x86_64.zip") is Action.PUBLISH
    assert set(actions.values()) == {Action.REUSE}
    assert (dist.directory / PUBLISHED_NAME).read_bytes() == before
    for name in names(prefix):
        assert versions_of(lambda_client, name) == [1]
    assert "Contents" not in s3_client.list_objects_v2(Bucket=bucket)
    assert preview.pruned == []  # version 1 is named in published.json


def test_a_tampered_zip_is_refused(dist, prefix, lambda_client):
    dist.build_all()
    tampered = dist.directory / "extras-python3.13-arm64.zip"
    tampered.write_bytes(tampered.read_bytes() + b"\0")

    with pytest.raises(RefusedZipError) as failure:
        run_publish(request(dist, prefix))

    message = str(failure.value)
    assert str(tampered) in message
    assert "does not match the manifest" in message
    assert "lambda-layers build --force --layer extras --runtime python3.13 --arch arm64" in message
    for name in names(prefix):
        assert versions_of(lambda_client, name) == []  # the good zips were not published either


def test_a_zip_missing_from_the_manifest_is_refused(dist, prefix, lambda_client):
    dist.build_all()
    stray = dist.directory / "stray-python3.13-arm64.zip"
    stray.write_bytes((dist.directory / "base-python3.13-arm64.zip").read_bytes())

    with pytest.raises(RefusedZipError) as failure:
        run_publish(request(dist, prefix))

    assert f"{stray}: not in {dist.directory / 'manifest.json'}" in str(failure.value)
    assert "build it with `lambda-layers build`" in str(failure.value)
    for name in names(prefix):
        assert versions_of(lambda_client, name) == []


def test_a_zip_that_failed_verification_is_refused(dist, prefix, lambda_client):
    dist.build_all()
    failed = dist.build("base", "x86_64", verification="failed")

    with pytest.raises(RefusedZipError) as failure:
        run_publish(request(dist, prefix))

    message = str(failure.value)
    assert f"{dist.directory / failed.zip}: the manifest records verification 'failed'" in message
    assert "fix the findings and rebuild" in message
    for name in names(prefix):
        assert versions_of(lambda_client, name) == []


def test_missing_credentials_and_region_are_one_error_before_any_upload(
    dist, prefix, monkeypatch, tmp_path
):
    dist.build_all()
    for key in list(os.environ):
        if key.startswith("AWS_") and key != "AWS_ENDPOINT_URL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    with pytest.raises(AwsSettingsError) as failure:
        run_publish(request(dist, prefix))

    message = str(failure.value)
    assert "no AWS credentials" in message
    assert "no AWS region" in message
    assert "nothing was uploaded" in message


def test_pruning_keeps_the_newest_and_never_a_published_version(dist, prefix, lambda_client):
    name = f"{prefix}-base-python313-arm64"
    only = Selection(names=["base"], architectures=["arm64"])
    for value in ("A", "B", "C"):
        dist.build("base", "arm64", content=f"VALUE = {value!r}\n")
        run_publish(request(dist, prefix, selection=only))
    assert versions_of(lambda_client, name) == [1, 2, 3]

    # back to A: version 1 is reused (the newest holding it) and named in published.json
    dist.build("base", "arm64", content="VALUE = 'A'\n")
    outcome = run_publish(request(dist, prefix, selection=only, prune_keep=1))

    assert outcome.layers["base-python3.13-arm64.zip"].version == 1
    assert [v.version for v in outcome.pruned] == [2]
    assert versions_of(lambda_client, name) == [1, 3]


def test_a_version_whose_bytes_differ_from_the_zip_is_deleted_and_reported(
    dist, prefix, lambda_client
):
    # GIVEN a manifest entry, and other bytes than its zip's sent as the content
    entry = dist.build("base", "arm64")
    other = dist.build("extras", "arm64")
    name = f"{prefix}-base-python313-arm64"

    # WHEN published
    with pytest.raises(AwsCallError, match="Lambda received other bytes") as failure:
        publish_version(
            lambda_client,
            layer_name=name,
            entry=entry,
            content={"ZipFile": (dist.directory / other.zip).read_bytes()},
        )

    # THEN the version (whose description claims the zip's sha256) is gone
    assert "the version was deleted" in str(failure.value)
    assert versions_of(lambda_client, name) == []


def test_one_record_per_environment_with_record(dist, prefix, lambda_client):
    dist.build("base", "arm64")
    records = {}
    for environment in ("dev", "prod"):
        records[environment] = dist.root / f"published-{environment}.json"
        run_publish(request(dist, f"{prefix}-{environment}", record=records[environment]))

    for environment, path in records.items():
        record = json.loads(path.read_text())
        assert record["prefix"] == f"{prefix}-{environment}"
        (layer,) = record["layers"].values()
        assert layer["layer_name"] == f"{prefix}-{environment}-base-python313-arm64"
        assert versions_of(lambda_client, layer["layer_name"]) == [1]
    assert not (dist.directory / PUBLISHED_NAME).exists()


def test_an_upload_to_a_bucket_that_does_not_exist_fails_clearly(dist, prefix, lambda_client):
    dist.build("base", "arm64")

    with pytest.raises(AwsCallError, match=r"uploading .*base-python3\.13-arm64\.zip to s3://"):
        run_publish(request(dist, prefix, bucket=f"{prefix}-absent", direct_limit=1))

    assert versions_of(lambda_client, f"{prefix}-base-python313-arm64") == []
    assert json.loads((dist.directory / PUBLISHED_NAME).read_text())["layers"] == {}
