"""Write a layer zip byte-for-byte reproducibly: sorted entries, fixed times, fixed modes."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from lambda_layers.base.files import replacing

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESSION_LEVEL = 6


def _mode(path: Path) -> int:
    executable = path.stat().st_mode & stat.S_IXUSR
    return stat.S_IFREG | (0o755 if executable else 0o644)


def write_zip(tree: Path, destination: Path) -> None:
    """Zip every file below `tree` (paths relative to it) into `destination`, atomically."""
    files = sorted(
        (path for path in tree.rglob("*") if path.is_file() and not path.is_symlink()),
        key=lambda path: path.relative_to(tree).as_posix(),
    )
    with replacing(destination) as partial, zipfile.ZipFile(partial, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(tree).as_posix(), date_time=FIXED_TIME)
            info.external_attr = _mode(path) << 16
            info.create_system = 3  # Unix, so the modes above are honoured
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=COMPRESSION_LEVEL)
