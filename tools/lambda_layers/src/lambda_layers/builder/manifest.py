"""`dist/layers/manifest.json`: what every built zip holds and how it was made.

Other tools read it (the container tests, publishing): the models here are its contract.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from lambda_layers.base.documents import read_model
from lambda_layers.base.files import write_atomically

MANIFEST_NAME = "manifest.json"
SCHEMA_VERSION = 1


class LayerEntry(BaseModel):
    """One zip: `<layer>-<runtime>-<arch>.zip`."""

    model_config = ConfigDict(extra="forbid")

    layer: str
    runtime: str
    architecture: str
    zip: str
    sha256: str
    zipped_bytes: int
    unzipped_bytes: int
    files: int
    distributions: dict[str, str]
    left_out: list[str] = Field(default_factory=list)
    shadows_runtime: list[str] = Field(default_factory=list)
    """The Lambda runtime's own distributions (boto3 ...) this zip ships because its spec names
    them: the function imports these copies, not the runtime's."""
    builder: str
    image: str | None = None
    locked: bool = True  # False: resolved inside a container (no wheels-only lock existed)
    unlocked_reason: str = ""
    """Why no wheels-only lock could exist (the resolver's words), when `locked` is false."""
    bytecode: bool
    bytecode_note: str = ""
    stripped: bool
    imports_checked: str = ""
    input_hash: str
    verification: str = "passed"
    warnings: list[str] = Field(default_factory=list)
    version_notes: list[str] = Field(default_factory=list)
    description: str = ""
    license: str = ""


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    layers: dict[str, LayerEntry] = Field(default_factory=dict)


def read_manifest(directory: Path) -> Manifest:
    fix = "delete it and rebuild with --force"
    found = read_model(directory / MANIFEST_NAME, Manifest, what="manifest", fix=fix)
    return found or Manifest()


def write_manifest(directory: Path, manifest: Manifest) -> None:
    """Write atomically: a reader never sees half a manifest."""
    path = directory / MANIFEST_NAME
    ordered = Manifest(layers=dict(sorted(manifest.layers.items())))
    write_atomically(path, ordered.model_dump_json(indent=2) + "\n")
