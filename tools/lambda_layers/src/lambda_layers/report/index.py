"""`dist/layers/README.md`: every built zip with its sizes, bytecode and treemap, one table."""

from __future__ import annotations

from pathlib import Path

from lambda_layers.base.files import write_atomically
from lambda_layers.manifest import Manifest

MIB = 1_048_576


def write_index(output: Path, manifest: Manifest) -> None:
    rows = []
    for entry in manifest.layers.values():
        stem = entry.zip.removesuffix(".zip")
        rows.append(
            f"| [{entry.zip}]({stem}.sizes.md) | {entry.unzipped_bytes / MIB:.1f} | "
            f"{entry.zipped_bytes / MIB:.1f} | {'yes' if entry.bytecode else 'no'} | "
            f"{entry.builder} | ![]({stem}.sizes.svg) |"
        )
    write_atomically(
        output / "README.md",
        "# Built layers\n\n"
        "| zip | unzipped MB | zipped MB | .pyc | builder | treemap |\n"
        "| --- | ---: | ---: | --- | --- | --- |\n" + "\n".join(rows) + "\n",
    )
