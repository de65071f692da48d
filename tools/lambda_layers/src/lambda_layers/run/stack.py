"""A function's layer stack: its zips (built first), read in order, extracted as Lambda does.

Lambda extracts each layer into `/opt` in the order the function lists them; a later layer's file
replaces an earlier one's at the same path
(https://docs.aws.amazon.com/lambda/latest/dg/adding-layers.html). A harness run extracts each
stack once into its scratch directory.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Self

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.base.files import replacing, sha256_of
from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build
from lambda_layers.layer.contents import LayerContents, read_layer
from lambda_layers.layer.targets import zip_name
from lambda_layers.platform.facts import Architecture
from lambda_layers.platform.host import Host


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


def build_layers(
    targets: Iterable[tuple[str, str, Architecture]],
    *,
    output: Path,
    root: Path,
    host: Host | None = None,
) -> None:
    """Build (or confirm unchanged) every (layer, runtime, architecture) in `targets`, with the
    local builder, so a stack is never stale."""
    wanted = sorted(set(targets))
    if not wanted:
        return
    run_build(
        layers=sorted({layer for layer, _, _ in wanted}),
        runtimes=sorted({runtime for _, runtime, _ in wanted}),
        architectures=sorted({architecture.value for _, _, architecture in wanted}),
        builder=BuilderName.LOCAL, image=None, force=False, output=output, root=root, host=host,
    )  # fmt: skip


def stack_layers(
    layers: Iterable[str], *, runtime: str, architecture: Architecture, output: Path
) -> list[LayerContents]:
    """The zips of `layers` for one runtime and architecture, in stack order."""
    found = []
    for layer in layers:
        path = output / zip_name(layer, runtime, architecture)
        if not path.is_file():
            raise ConfigurationError(
                f"{path}: layer {layer} is not built for {runtime} {architecture.value}: run "
                f"`lambda-layers build --layer {layer} --runtime {runtime} --arch "
                f"{architecture.value}`"
            )
        found.append(read_layer(path, name=layer))
    return found


class Scratch:
    """The scratch directory of a harness run: stacks extracted once (by key), session files.

    `with Scratch() as scratch: scratch.stack(layers)`; everything is removed on exit."""

    def __init__(self, directory: Path | None = None) -> None:
        self._given = directory
        self.directory = directory or Path(tempfile.mkdtemp(prefix="lambda-run-"))
        self.directory.mkdir(parents=True, exist_ok=True)

    def stack(self, layers: Sequence[LayerContents], *, bytecode: bool = True) -> Path:
        """The stack extracted as Lambda would into /opt (cached for this workspace)."""
        key = stack_key(layers, bytecode=bytecode)
        return extract_stack(layers, self.directory / f"stack-{key}", bytecode=bytecode)

    def close(self) -> None:
        if self._given is None:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
