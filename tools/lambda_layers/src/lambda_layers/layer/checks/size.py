"""Size rules: a layer within its limits (and the direct upload), a whole stack within Lambda's."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lambda_layers.layer.checks.findings import Check, CheckResult, Finding, Rule, Severity
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.contents import Inventory, LayerContents
from lambda_layers.platform.facts import limits, mb


def _largest(inventory: Inventory, count: int = 5) -> str:
    ranked = sorted(inventory.distributions, key=lambda d: -d.bytes)[:count]
    return ", ".join(f"{d.name} {mb(d.bytes):.1f} MB" for d in ranked)


def _over(size: int, policy: LayerPolicy) -> str | None:
    """`over <whose limit> (<MB>)` when `size` bytes break the layer's limit, else None."""
    lambda_limit = limits().unzipped_bytes
    limit = min(policy.max_unzipped_bytes, lambda_limit)
    if size <= limit:
        return None
    whose = "the spec's max_unzipped_mb" if limit < lambda_limit else "Lambda's 250 MB"
    return f"over {whose} ({mb(limit):.1f} MB)"


_SIZE_FIX = (
    "exclude distributions the functions do not import (spec `exclude`), or split the layer; "
    "see the size report for where the bytes go"
)


def check_wheel_sizes(wheels: Inventory, policy: LayerPolicy) -> list[Finding]:
    """Before anything is installed: the wheels' sizes on the index (compressed) are a floor for
    the layer's unzipped size, so a layer whose wheels alone are over its limit cannot fit."""
    over = _over(wheels.total_bytes, policy)
    if over is None:
        return []
    return [Finding(
        rule=Rule.UNZIPPED_SIZE, severity=Severity.ERROR,
        message=f"its wheels alone are {mb(wheels.total_bytes):.1f} MB on the index, compressed, "
        f"so unzipped the layer is larger still: {over}; largest: {_largest(wheels)}; refused "
        "before downloading them",
        fix=_SIZE_FIX,
    )]  # fmt: skip


def check_layer_size(contents: LayerContents, policy: LayerPolicy) -> list[Finding]:
    findings = []
    unzipped = contents.unzipped_bytes
    if over := _over(unzipped, policy):
        findings.append(Finding(
            rule=Rule.UNZIPPED_SIZE, severity=Severity.ERROR,
            message=f"layer is {mb(unzipped):.1f} MB unzipped, {over}; largest: "
            f"{_largest(contents.inventory)}",
            fix=_SIZE_FIX,
        ))  # fmt: skip
    direct_limit = limits().direct_upload_bytes
    if contents.zipped_bytes is not None and contents.zipped_bytes > direct_limit:
        findings.append(Finding(
            rule=Rule.ZIPPED_SIZE, severity=Severity.WARNING,
            message=f"zip is {mb(contents.zipped_bytes):.1f} MB, over the {mb(direct_limit):.0f} "
            "MB limit for a direct upload",
            fix="publish it through an S3 bucket (publish_layers does so above 50 MB)",
        ))  # fmt: skip
    return findings


def _directory_bytes(directory: Path | None) -> int:
    if directory is None:
        return 0
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def check_stack_size(layers: Sequence[LayerContents], *, code: Path | None) -> CheckResult:
    """The function's code and every layer, unzipped, within Lambda's limit."""
    limit = limits().unzipped_bytes
    code_bytes = _directory_bytes(code)
    total = code_bytes + sum(layer.unzipped_bytes for layer in layers)
    parts = ", ".join(f"{layer.name} {layer.unzipped_bytes:,}" for layer in layers)
    problems = [
        f"function and layers unzipped: {total:,} bytes ({parts}, code {code_bytes:,}) is over "
        f"Lambda's {limit:,} ({mb(limit):.0f} MiB): prune the layers (see their size reports) "
        "or deploy as a container image"
    ] if total > limit else []  # fmt: skip
    summary = f"{mb(total):.1f} MiB of {mb(limit):.0f}"
    return CheckResult.of(Check.SIZE, problems, passed=summary, failed=summary)
