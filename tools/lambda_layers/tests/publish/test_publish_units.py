"""The pure parts of publishing: descriptions, names, pruning choices, function stacks."""

from __future__ import annotations

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.builder.manifest import LayerEntry
from lambda_layers.layer.functions import FunctionSpec
from lambda_layers.publish.plan import lambda_layer_name
from lambda_layers.publish.record import PublishedLayer, function_stacks
from lambda_layers.publish.versions import (
    DESCRIPTION_LIMIT,
    LayerVersion,
    describe,
    versions_to_delete,
)

SHA = "ab" * 32


def entry(*, description: str = "", layer: str = "base") -> LayerEntry:
    return LayerEntry(
        layer=layer, runtime="python3.12", architecture="arm64",
        zip=f"{layer}-python3.12-arm64.zip", sha256=SHA, zipped_bytes=1, unzipped_bytes=1,
        files=1, distributions={}, builder="local", bytecode=False, stripped=False,
        input_hash="cd" * 32, description=description,
    )  # fmt: skip


def version(number: int, *, description: str = "") -> LayerVersion:
    return LayerVersion(
        layer_name="base",
        version=number,
        arn=f"arn:aws:lambda:us-east-1:123456789012:layer:base:{number}",
        description=description,
    )


@pytest.mark.parametrize("text", ["", "short", "x" * 500])
def test_the_description_always_carries_the_whole_marker_within_the_limit(text):
    written = describe(entry(description=text))
    assert len(written) <= DESCRIPTION_LIMIT
    assert version(1, description=written).sha256 == SHA
    assert f"input={'cd' * 8}" in written


def test_a_version_made_by_hand_has_no_sha256():
    assert version(1, description="uploaded from the console").sha256 is None


def test_layer_names_are_per_runtime_and_architecture_with_an_optional_prefix():
    assert lambda_layer_name(prefix="", entry=entry()) == "base-python312-arm64"
    assert lambda_layer_name(prefix="prod-", entry=entry()) == "prod-base-python312-arm64"
    with pytest.raises(ConfigurationError, match=r"--prefix 'prod\.eu'"):
        lambda_layer_name(prefix="prod.eu", entry=entry())


def test_pruning_keeps_the_newest_and_the_protected():
    versions = [version(n) for n in (1, 2, 3, 4, 5)]
    protected = frozenset({version(2).arn})
    doomed = versions_to_delete(versions, keep=2, protected=protected)
    assert [v.version for v in doomed] == [3, 1]


def test_function_stacks_follow_the_declared_order_and_name_what_is_missing():
    function = FunctionSpec.model_validate({
        "name": "ingest", "runtime": "python3.12", "architectures": ["arm64", "x86_64"],
        "layers": ["extras", "base"], "handler": "handler.handle",
        "events": [{"name": "ping", "event": {}}],
    })  # fmt: skip
    layers = {
        f"{name}-python3.12-arm64.zip": PublishedLayer(
            layer=name,
            runtime="python3.12",
            architecture="arm64",
            layer_name=name,
            version=1,
            arn=f"arn:{name}",
            sha256=SHA,
            input_hash="cd",
        )
        for name in ("base", "extras")
    }
    (stack,) = function_stacks([function], layers).values()
    assert stack.arns == {"arm64": ["arn:extras", "arn:base"]}
    assert stack.missing == {
        "x86_64": ["extras-python3.12-x86_64.zip", "base-python3.12-x86_64.zip"]
    }
