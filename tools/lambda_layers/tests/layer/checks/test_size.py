"""The size rules of one layer: the spec's limit, Lambda's 250 MB, and the 50 MB direct upload."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from lambda_layers.layer.checks.findings import Rule, Severity
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.checks.size import check_layer_size
from lambda_layers.layer.contents import read_layer
from lambda_layers.platform.facts import Architecture, limits, runtime

ZipFactory = Callable[..., Path]
MB = limits().megabyte


def _policy(max_unzipped_bytes: int) -> LayerPolicy:
    return LayerPolicy(
        layer="sized", runtime=runtime("python3.12"), architecture=Architecture.ARM64,
        max_unzipped_bytes=max_unzipped_bytes,
    )  # fmt: skip


def test_the_specs_own_limit_and_lambdas_are_both_enforced(make_zip: ZipFactory) -> None:
    # GIVEN a layer of 3 MB of zeros (tiny zipped, its real size in the central directory)
    layer = read_layer(make_zip("sized", {"python/blob.bin": b"\0" * (3 * MB)}))
    # THEN a spec limit of 2 MB refuses it, naming the limit and the largest distributions
    (finding,) = check_layer_size(layer, _policy(2 * MB))
    assert finding.rule is Rule.UNZIPPED_SIZE and finding.severity is Severity.ERROR
    assert "layer is 3.0 MB unzipped, over the spec's max_unzipped_mb (2.0 MB)" in finding.message
    assert "largest: (unowned) 3.0 MB" in finding.message
    # AND within its limit it passes
    assert check_layer_size(layer, _policy(4 * MB)) == []
    # AND a spec can never raise the limit above Lambda's
    huge = dataclasses.replace(layer.inventory.files[0], size=251 * MB)
    over = dataclasses.replace(layer, inventory=dataclasses.replace(layer.inventory, files=(huge,)))
    (finding,) = check_layer_size(over, _policy(300 * MB))
    assert "over Lambda's 250 MB (250.0 MB)" in finding.message


def test_a_zip_over_the_direct_upload_limit_is_a_warning(make_zip: ZipFactory) -> None:
    layer = read_layer(make_zip("small", {"python/a.py": "A = 1\n"}))
    assert check_layer_size(layer, _policy(MB)) == []
    (finding,) = check_layer_size(dataclasses.replace(layer, zipped_bytes=51 * MB), _policy(MB))
    assert finding.rule is Rule.ZIPPED_SIZE and finding.severity is Severity.WARNING
    assert "zip is 51.0 MB, over the 50 MB limit for a direct upload" in finding.message
