"""One error tree for the layer tooling. Each kind has its exit code; the CLI prints the message."""

from __future__ import annotations


class LayerToolError(Exception):
    """A failure a user can act on: what was expected, what was found, and what to do."""

    exit_code = 1


class ConfigurationError(LayerToolError):
    """A layer spec, function declaration or option is wrong."""

    exit_code = 2


class ResolutionError(LayerToolError):
    """No set of wheels satisfies the requirements for a runtime and architecture."""

    exit_code = 3


class UnsatisfiableError(ConfigurationError):
    """A spec's requirements cannot all hold on the index (a misspelled name, pins that conflict),
    whatever builds them: a fault of the spec."""


class NoWheelError(ResolutionError):
    """A requirement has no wheel the target can install: only a container may build it."""

    def __init__(self, message: str, *, cause: str) -> None:
        super().__init__(message)
        self.cause = cause
        """The resolver's reason in one line (for the manifest of a zip built without a lock)."""


class VerificationError(LayerToolError):
    """A built layer broke a rule; nothing was written."""

    exit_code = 4


class ContainerError(LayerToolError):
    """Docker is missing, an image is missing, or a container failed."""

    exit_code = 5


class CommandError(LayerToolError):
    """An external command (uv, strip, ...) failed."""

    exit_code = 6


class AwsSettingsError(ConfigurationError):
    """No credentials or no region: nothing can be published."""


class RefusedZipError(VerificationError):
    """A zip is not the one the manifest vouches for (or the manifest says it failed)."""


class AwsCallError(LayerToolError):
    """AWS (or the endpoint standing in for it) refused a call."""

    exit_code = 7
