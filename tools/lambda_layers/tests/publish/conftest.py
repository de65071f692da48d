"""Small real layer zips, a manifest vouching for them, and a repository declaring functions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from lambda_layers.base.files import sha256_of
from lambda_layers.builder.archive import write_zip
from lambda_layers.builder.manifest import LayerEntry, read_manifest, write_manifest

RUNTIME = "python3.13"

LAYER_SPEC = """\
name = "{name}"
description = "{name} for the publish tests"
license = "MIT"
requirements = ["packaging"]
runtimes = ["python3.13"]
architectures = ["arm64", "x86_64"]
"""

FUNCTIONS = """\
[functions.ingest]
runtime = "python3.13"
architectures = ["arm64", "x86_64"]
layers = ["extras", "base"]
handler = "handler.handle"

[[functions.ingest.events]]
name = "ping"
event = {}

[functions.label]
runtime = "python3.13"
architectures = ["x86_64"]
layers = ["base"]
handler = "handler.handle"

[[functions.label.events]]
name = "ping"
event = {}
"""


@dataclass(frozen=True, slots=True)
class Dist:
    """`dist/layers/` of a tmp repository, with helpers to (re)build tiny real layers into it."""

    root: Path
    directory: Path

    def build(
        self,
        layer: str,
        architecture: str,
        *,
        content: str = "VALUE = 1\n",
        payload: bytes = b"",
        verification: str = "passed",
        runtime: str = RUNTIME,
    ) -> LayerEntry:
        """Write `<layer>-<runtime>-<arch>.zip` holding one module, and its manifest entry."""
        zip_name = f"{layer}-{runtime}-{architecture}.zip"
        tree = self.root / "staging" / zip_name / "python"
        tree.mkdir(parents=True, exist_ok=True)
        (tree / f"{layer.replace('-', '_')}.py").write_text(content)
        if payload:
            (tree / "payload.bin").write_bytes(payload)
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / zip_name
        write_zip(tree.parent, path)
        entry = LayerEntry(
            layer=layer,
            runtime=runtime,
            architecture=architecture,
            zip=zip_name,
            sha256=sha256_of(path),
            zipped_bytes=path.stat().st_size,
            unzipped_bytes=len(content) + len(payload),
            files=2 if payload else 1,
            distributions={},
            builder="local",
            bytecode=False,
            stripped=False,
            input_hash=sha256_of(path)[::-1],  # any hex that changes with the inputs
            verification=verification,
            description=f"{layer} for the publish tests",
            license="MIT",
        )
        manifest = read_manifest(self.directory)
        manifest.layers[zip_name] = entry
        write_manifest(self.directory, manifest)
        return entry

    def build_all(self, *, content: str = "VALUE = 1\n") -> None:
        for layer in ("base", "extras"):
            for architecture in ("arm64", "x86_64"):
                self.build(layer, architecture, content=content)


@pytest.fixture
def dist(tmp_path: Path) -> Dist:
    """A repository with two layer specs and two functions (stacks in a non-sorted order)."""
    root = tmp_path / "repo"
    (root / "layers").mkdir(parents=True)
    for name in ("base", "extras"):
        (root / "layers" / f"{name}.toml").write_text(LAYER_SPEC.format(name=name))
    (root / "functions").mkdir()
    (root / "functions" / "functions.toml").write_text(FUNCTIONS)
    for function in ("ingest", "label"):
        (root / "functions" / function).mkdir()
        (root / "functions" / function / "handler.py").write_text(
            "def handle(e, c):\n    return e\n"
        )
    return Dist(root=root, directory=root / "dist" / "layers")


@pytest.fixture
def prefix() -> str:
    """A layer-name prefix of its own per test: tests share one moto server."""
    return f"t{uuid.uuid4().hex[:10]}"


@pytest.fixture
def lambda_client(aws_environment: object) -> Any:
    return boto3.client("lambda")


@pytest.fixture
def s3_client(aws_environment: object) -> Any:
    return boto3.client("s3")
