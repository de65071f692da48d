"""Errors of publishing, in the tool's one error tree (each with its exit code)."""

from __future__ import annotations

from lambda_layers.base.errors import ConfigurationError, LayerToolError, VerificationError


class AwsSettingsError(ConfigurationError):
    """No credentials or no region: nothing can be published."""


class RefusedZipError(VerificationError):
    """A zip is not the one the manifest vouches for (or the manifest says it failed)."""


class AwsCallError(LayerToolError):
    """AWS (or the endpoint standing in for it) refused a call."""

    exit_code = 7
