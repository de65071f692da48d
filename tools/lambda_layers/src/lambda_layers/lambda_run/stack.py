"""A function's layer stack: its zips read in declared order, and extracted the way Lambda does.

Lambda extracts each layer into `/opt` in the order the function lists them; a later layer's file
replaces an earlier one's at the same path
(https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import zipfile
from collections.abc import Sequence
from pathlib import Path

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.base.files import replacing, sha256_of
from lambda_layers.layer.contents import LayerContents


def stack_key(layers: Sequence[LayerContents], *, bytecode: bool) -> str:
    """A name for an extracted stack: changes when any zip or the order changes."""
    digest = hashlib.sha256()
    for layer in layers:
        digest.update(layer.name.encode())
        digest.update(sha256_of(layer.path).encode())
    digest.update(b"pyc" if bytecode else b"no-pyc")
    return digest.hexdigest()[:16]


def _is_bytecode(path: str) -> bool:
    return path.endswith(".pyc") or "/__pycache__/" in f"/{path}"


def _safe_target(root: Path, name: str, zip_path: Path) -> Path:
    target = (root / name).resolve()
    if not target.is_relative_to(root.resolve()):
        raise ConfigurationError(f"{zip_path}: entry {name!r} would be written outside /opt")
    return target


def extract_stack(
    layers: Sequence[LayerContents], destination: Path, *, bytecode: bool = True
) -> Path:
    """Extract `layers` in order into `destination` (a later layer overwrites), world-readable.

    With `bytecode=False` every `.pyc` is left out (a layer as if built without them). The tree
    is built under a temporary name and renamed, so a reader never sees half a stack; an
    existing `destination` is reused as it is.
    """
    if destination.is_dir():
        return destination
    with replacing(destination) as partial:
        _extract(layers, partial, bytecode=bytecode)
    return destination


def _extract(layers: Sequence[LayerContents], partial: Path, *, bytecode: bool) -> None:
    partial.mkdir(parents=True)
    for layer in layers:
        with zipfile.ZipFile(layer.path) as archive:
            for info in archive.infolist():
                if info.is_dir() or (not bytecode and _is_bytecode(info.filename)):
                    continue
                target = _safe_target(partial, info.filename, layer.path)
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists():
                    target.unlink()
                with archive.open(info) as source, target.open("wb") as sink:
                    shutil.copyfileobj(source, sink, 1 << 20)
                mode = (info.external_attr >> 16) & 0o777
                executable = bool(mode & stat.S_IXUSR)
                target.chmod(0o755 if executable else 0o644)
    for directory, _, _ in os.walk(partial):
        Path(directory).chmod(0o755)
