"""A layer's contents to check: a staging tree or a zip, read the same way."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lambda_layers.inventory import Inventory, inventory_of_tree, inventory_of_zip


@dataclass(frozen=True, slots=True)
class LayerContents:
    inventory: Inventory
    read: Callable[[str], bytes]
    zipped_bytes: int | None = None


def tree_contents(root: Path) -> LayerContents:
    return LayerContents(inventory_of_tree(root), lambda path: (root / path).read_bytes())


def zip_contents(archive: Path) -> LayerContents:
    opened = zipfile.ZipFile(archive)  # kept open for reads; closed with the process

    def read(path: str) -> bytes:
        return opened.read(path)

    return LayerContents(inventory_of_zip(archive), read, archive.stat().st_size)
