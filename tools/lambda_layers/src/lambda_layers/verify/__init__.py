"""Verification of a layer: pure checks over a staging tree or a zip, returning findings."""

from __future__ import annotations

from pathlib import Path

from lambda_layers.verify.contents import LayerContents, tree_contents, zip_contents
from lambda_layers.verify.findings import Finding, Rule, Severity, VerificationResult, describe
from lambda_layers.verify.layout import check_forbidden, check_layout
from lambda_layers.verify.native import check_native
from lambda_layers.verify.policy import DIRECT_UPLOAD_LIMIT, LAMBDA_UNZIPPED_LIMIT, LayerPolicy
from lambda_layers.verify.size import check_size

CHECKS = (check_layout, check_native, check_forbidden, check_size)


def verify_contents(contents: LayerContents, policy: LayerPolicy) -> VerificationResult:
    findings = [finding for check in CHECKS for finding in check(contents, policy)]
    return VerificationResult(layer=policy.layer, findings=tuple(findings))


def verify_tree(root: Path, policy: LayerPolicy) -> VerificationResult:
    """Check a staging tree (its root holds `python/`) against `policy`."""
    return verify_contents(tree_contents(root), policy)


def verify_zip(archive: Path, policy: LayerPolicy) -> VerificationResult:
    """Check a layer zip against `policy` (also warns above the direct-upload size)."""
    return verify_contents(zip_contents(archive), policy)


__all__ = [
    "DIRECT_UPLOAD_LIMIT",
    "LAMBDA_UNZIPPED_LIMIT",
    "Finding",
    "LayerContents",
    "LayerPolicy",
    "Rule",
    "Severity",
    "VerificationResult",
    "describe",
    "verify_contents",
    "verify_tree",
    "verify_zip",
]
