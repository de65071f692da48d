"""What a layer holds: its distributions (from `*.dist-info`), their files and bytes.

Works on a staging tree (a directory whose root holds `python/`) or on a layer zip, so the same
code describes a layer before it is written and after.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath

from packaging.utils import canonicalize_name

UNOWNED = "(unowned)"


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerFile:
    """A file in a layer: its path inside the zip (`python/...`) and its size."""

    path: str
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Distribution:
    name: str
    version: str
    dist_info: str
    files: tuple[str, ...] = ()
    bytes: int = 0
    top_level: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory:
    files: tuple[LayerFile, ...]
    distributions: tuple[Distribution, ...]
    owner: dict[str, str] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return sum(item.size for item in self.files)

    def by_name(self) -> dict[str, Distribution]:
        return {item.name: item for item in self.distributions}

    def versions(self) -> dict[str, str]:
        return {item.name: item.version for item in self.distributions if item.name != UNOWNED}

    def owner_of(self, path: str) -> str:
        return self.owner.get(path, UNOWNED)


def _walk_tree(root: Path) -> Iterator[tuple[str, int, bytes | None]]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(root).as_posix()
            wanted = relative.endswith((".dist-info/METADATA", ".dist-info/RECORD"))
            yield relative, path.stat().st_size, path.read_bytes() if wanted else None


def _walk_zip(archive: Path) -> Iterator[tuple[str, int, bytes | None]]:
    with zipfile.ZipFile(archive) as opened:
        for info in sorted(opened.infolist(), key=lambda item: item.filename):
            if info.is_dir():
                continue
            wanted = info.filename.endswith((".dist-info/METADATA", ".dist-info/RECORD"))
            yield info.filename, info.file_size, opened.read(info) if wanted else None


def _top_level(recorded: list[str]) -> tuple[str, ...]:
    names = set()
    for entry in recorded:
        first = PurePosixPath(entry).parts[0] if entry else ""
        if first and not first.endswith((".dist-info", ".data")) and first not in ("..", "bin"):
            names.add(first.removesuffix(".py").split(".")[0])
    return tuple(sorted(names))


def build_inventory(entries: Iterator[tuple[str, int, bytes | None]]) -> Inventory:
    """An inventory from (path, size, content-if-metadata) triples, paths relative to the root."""
    files: list[LayerFile] = []
    metadata: dict[str, bytes] = {}
    records: dict[str, bytes] = {}
    for path, size, content in entries:
        files.append(LayerFile(path=path, size=size))
        if content is not None:
            (metadata if path.endswith("METADATA") else records)[path.rsplit("/", 1)[0]] = content
    sizes = {item.path: item.size for item in files}
    owner: dict[str, str] = {}
    distributions: list[Distribution] = []
    parsed: list[tuple[str, str, str, list[str]]] = []
    for dist_info, raw in sorted(metadata.items()):
        headers = HeaderParser().parsestr(raw.decode("utf-8", errors="replace"))
        name = str(canonicalize_name(headers.get("Name", dist_info)))
        base = dist_info.rsplit("/", 1)[0] + "/" if "/" in dist_info else ""
        recorded = [
            row[0]
            for row in csv.reader(io.StringIO(records.get(dist_info, b"").decode("utf-8")))
            if row
        ]
        owned = sorted({base + entry for entry in recorded if base + entry in sizes}
                       | {p for p in sizes if p.startswith(dist_info + "/")})  # fmt: skip
        for path in owned:
            owner[path] = name
        parsed.append((name, headers.get("Version", "?"), dist_info, recorded))
    for item in files:  # bytecode we compiled belongs to whoever owns its source
        if item.path not in owner and "/__pycache__/" in item.path:
            directory, _, compiled = item.path.rpartition("/__pycache__/")
            source = f"{directory}/{compiled.split('.', 1)[0]}.py"
            if source in owner:
                owner[item.path] = owner[source]
    for name, version, dist_info, recorded in parsed:
        owned = sorted(path for path, who in owner.items() if who == name)
        distributions.append(
            Distribution(
                name=name,
                version=version,
                dist_info=dist_info,
                files=tuple(owned),
                bytes=sum(sizes[path] for path in owned),
                top_level=_top_level(recorded),
            )
        )
    unowned = [item.path for item in files if item.path not in owner]
    if unowned:
        distributions.append(
            Distribution(
                name=UNOWNED,
                version="",
                dist_info="",
                files=tuple(unowned),
                bytes=sum(sizes[path] for path in unowned),
            )
        )
    return Inventory(files=tuple(files), distributions=tuple(distributions), owner=owner)


def inventory_of_tree(root: Path) -> Inventory:
    """The inventory of a staging tree (its root holds `python/`)."""
    return build_inventory(_walk_tree(root))


def inventory_of_zip(archive: Path) -> Inventory:
    return build_inventory(_walk_zip(archive))
