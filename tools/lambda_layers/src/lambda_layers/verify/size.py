"""Checks on size: the spec's limit, Lambda's 250 MB unzipped, and the 50 MB direct upload."""

from __future__ import annotations

from lambda_layers.platform.facts import mb
from lambda_layers.verify.contents import LayerContents
from lambda_layers.verify.findings import Finding, Rule, Severity
from lambda_layers.verify.policy import DIRECT_UPLOAD_LIMIT, LAMBDA_UNZIPPED_LIMIT, LayerPolicy


def _largest(contents: LayerContents, count: int = 5) -> str:
    ranked = sorted(contents.inventory.distributions, key=lambda d: -d.bytes)[:count]
    return ", ".join(f"{d.name} {mb(d.bytes):.1f} MB" for d in ranked)


def check_size(contents: LayerContents, policy: LayerPolicy) -> list[Finding]:
    findings = []
    unzipped = contents.inventory.total_bytes
    limit = min(policy.max_unzipped_bytes, LAMBDA_UNZIPPED_LIMIT)
    if unzipped > limit:
        whose = "the spec's max_unzipped_mb" if limit < LAMBDA_UNZIPPED_LIMIT else "Lambda's 250 MB"
        findings.append(Finding(
            rule=Rule.UNZIPPED_SIZE, severity=Severity.ERROR,
            message=f"layer is {mb(unzipped):.1f} MB unzipped, over {whose} "
            f"({mb(limit):.1f} MB); largest: {_largest(contents)}",
            fix="exclude distributions the functions do not import (spec `exclude`), or split "
            "the layer; see the size report for where the bytes go",
        ))  # fmt: skip
    if contents.zipped_bytes is not None and contents.zipped_bytes > DIRECT_UPLOAD_LIMIT:
        findings.append(Finding(
            rule=Rule.ZIPPED_SIZE, severity=Severity.WARNING,
            message=f"zip is {mb(contents.zipped_bytes):.1f} MB, over the 50 MB limit for a "
            "direct upload",
            fix="publish it through an S3 bucket (publish_layers does so above 50 MB)",
        ))  # fmt: skip
    return findings
