"""What a layer holds, read the same way from a staging tree or a zip: files, bytes, distributions.

A distribution is a `*.dist-info` directory (named `<name>-<version>.dist-info`, as the wheel spec
says); it owns the files its RECORD lists and the bytecode compiled from them. Files nobody owns
are grouped as `(unowned)`.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

from lambda_layers.base.errors import ConfigurationError

UNOWNED = "(unowned)"
_DIST_INFO = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+)\.dist-info$")


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerFile:
    """A file in a layer: its path inside the zip (`python/...`), size and (in a zip) CRC-32."""

    path: str
    size: int
    crc: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Distribution:
    name: str
    version: str
    dist_info: str
    """The `*.dist-info` directory, e.g. `python/numpy-2.2.6.dist-info`."""
    files: tuple[str, ...] = ()
    bytes: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory:
    files: tuple[LayerFile, ...]
    distributions: tuple[Distribution, ...]
    owner: dict[str, str] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return sum(item.size for item in self.files)

    def installed(self) -> tuple[Distribution, ...]:
        """The real distributions (not the `(unowned)` group)."""
        return tuple(item for item in self.distributions if item.name != UNOWNED)

    def versions(self) -> dict[str, str]:
        return {item.name: item.version for item in self.installed()}

    def owner_of(self, path: str) -> str:
        return self.owner.get(path, UNOWNED)


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class LayerContents:
    """One layer to check or stack: its inventory, and its files' bytes on demand."""

    name: str
    path: Path
    inventory: Inventory
    read: Callable[[str], bytes]
    zipped_bytes: int | None = None

    @property
    def unzipped_bytes(self) -> int:
        return self.inventory.total_bytes


def _dist_info_of(path: str) -> str | None:
    """The `*.dist-info` directory `path` is in, if any."""
    parts = path.split("/")
    for index, part in enumerate(parts[:-1]):
        if part.endswith(".dist-info"):
            return "/".join(parts[: index + 1])
    return None


def _distribution(dist_info: str) -> tuple[str, str]:
    folder = dist_info.rsplit("/", 1)[-1]
    named = _DIST_INFO.match(folder)
    if named is None:
        return str(canonicalize_name(folder.removesuffix(".dist-info"))), ""
    return str(canonicalize_name(named["name"])), named["version"]


def build_inventory(entries: Iterable[tuple[LayerFile, bytes | None]]) -> Inventory:
    """An inventory from each file and, for a `RECORD`, its content."""
    files: list[LayerFile] = []
    records: dict[str, bytes] = {}
    for item, record in entries:
        files.append(item)
        if record is not None:
            records[item.path.rsplit("/", 1)[0]] = record
    sizes = {item.path: item.size for item in files}
    owner: dict[str, str] = {}
    found = sorted({d for item in files if (d := _dist_info_of(item.path)) is not None})
    named = {dist_info: _distribution(dist_info) for dist_info in found}
    for dist_info, (name, _) in named.items():
        base = dist_info.rsplit("/", 1)[0] + "/" if "/" in dist_info else ""
        text = records.get(dist_info, b"").decode("utf-8", errors="replace")
        recorded = {base + row[0] for row in csv.reader(io.StringIO(text)) if row}
        for path in sizes:
            if path in recorded or path.startswith(dist_info + "/"):
                owner[path] = name
    for item in files:  # bytecode compiled here belongs to whoever owns its source
        if item.path not in owner and "/__pycache__/" in item.path:
            directory, _, compiled = item.path.rpartition("/__pycache__/")
            source = f"{directory}/{compiled.split('.', 1)[0]}.py"
            if source in owner:
                owner[item.path] = owner[source]

    def owning(name: str, version: str, dist_info: str, files: tuple[str, ...]) -> Distribution:
        size = sum(sizes[path] for path in files)
        return Distribution(
            name=name, version=version, dist_info=dist_info, files=files, bytes=size
        )

    distributions = [
        owning(
            name, version, dist_info, tuple(sorted(p for p, who in owner.items() if who == name))
        )
        for dist_info, (name, version) in named.items()
    ]
    unowned = tuple(item.path for item in files if item.path not in owner)
    if unowned:
        distributions.append(owning(UNOWNED, "", "", unowned))
    return Inventory(files=tuple(files), distributions=tuple(distributions), owner=owner)


def _is_record(path: str) -> bool:
    return path.endswith(".dist-info/RECORD")


def _walk_tree(root: Path) -> Iterator[tuple[LayerFile, bytes | None]]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            relative = path.relative_to(root).as_posix()
            item = LayerFile(path=relative, size=path.stat().st_size)
            yield item, path.read_bytes() if _is_record(relative) else None


def read_tree(root: Path, *, name: str | None = None) -> LayerContents:
    """A staging tree (its root holds `python/`) as a layer."""
    return LayerContents(
        name=name or root.name,
        path=root,
        inventory=build_inventory(_walk_tree(root)),
        read=lambda path: (root / path).read_bytes(),
    )


def read_layer(archive: Path, *, name: str | None = None) -> LayerContents:
    """A layer zip, read from its central directory (its files' bytes only when asked for)."""
    try:
        with zipfile.ZipFile(archive) as opened:
            infos = sorted(opened.infolist(), key=lambda info: info.filename)
            entries = [
                (
                    LayerFile(path=info.filename, size=info.file_size, crc=info.CRC),
                    opened.read(info) if _is_record(info.filename) else None,
                )
                for info in infos
                if not info.is_dir()
            ]
    except (OSError, zipfile.BadZipFile) as error:
        raise ConfigurationError(f"{archive}: not a readable layer zip ({error})") from None
    reader: list[zipfile.ZipFile] = []

    def read(path: str) -> bytes:
        if not reader:  # opened once, on the first read; closed with the process
            reader.append(zipfile.ZipFile(archive))
        return reader[0].read(path)

    return LayerContents(
        name=name or archive.stem, path=archive, inventory=build_inventory(entries), read=read,
        zipped_bytes=archive.stat().st_size,
    )  # fmt: skip
