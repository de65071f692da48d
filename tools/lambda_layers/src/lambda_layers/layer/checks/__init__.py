"""Every check of a layer or a stack: pure functions over its contents, returning findings."""

from __future__ import annotations

from pathlib import Path

from lambda_layers.layer.checks.findings import VerificationResult
from lambda_layers.layer.checks.layout import check_forbidden, check_layout, check_not_empty
from lambda_layers.layer.checks.native import check_native
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.checks.size import check_layer_size
from lambda_layers.layer.contents import LayerContents, read_layer, read_tree

CHECKS = (check_not_empty, check_layout, check_native, check_forbidden, check_layer_size)


def verify_contents(contents: LayerContents, policy: LayerPolicy) -> VerificationResult:
    findings = [finding for check in CHECKS for finding in check(contents, policy)]
    return VerificationResult(layer=policy.layer, findings=tuple(findings))


def verify_tree(root: Path, policy: LayerPolicy) -> VerificationResult:
    """Check a staging tree (its root holds `python/`) against `policy`."""
    return verify_contents(read_tree(root), policy)


def verify_zip(archive: Path, policy: LayerPolicy) -> VerificationResult:
    """Check a layer zip against `policy` (also warns above the direct-upload size)."""
    return verify_contents(read_layer(archive), policy)
