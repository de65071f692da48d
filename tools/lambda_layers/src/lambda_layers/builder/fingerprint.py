"""What a zip is made from, as one hash: a target whose inputs hash the same is not built again."""

from __future__ import annotations

import functools
import hashlib
from importlib import resources
from pathlib import Path

from lambda_layers import __version__
from lambda_layers.builder.builders import Builder
from lambda_layers.builder.locks import Lock
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.builder.workspace import workspace_requirements

# The subpackages whose code and data shape a zip: a change in them rebuilds every layer.
SHAPING = ("builder", "layer", "platform")


@functools.cache
def tool_fingerprint() -> str:
    """A hash of this tool's version and of every module and data file of `SHAPING`."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(str(resources.files("lambda_layers")))
    files = sorted(path for name in SHAPING for path in (package / name).rglob("*"))
    for path in files:
        if path.is_file() and path.suffix in {".py", ".toml"} and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_hash(
    root: Path,
    target: BuildTarget,
    *,
    lock: Lock | None,
    builder: Builder,
    image: str | None,
    tool: str,
) -> str:
    """A hash of everything the zip is made from: spec, lock, sources, builder, image, this tool."""
    digest = hashlib.sha256()
    for part in (
        target.spec.fingerprint(),
        target.zip_name,
        lock.path.read_text() if lock else "unlocked: " + "\n".join(target.spec.requirements),
        builder.name,
        image or "",
        tool,
        *(package.source_hash() for package in workspace_requirements(root, target.spec)),
    ):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
