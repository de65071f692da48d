"""`dist/layers/README.md`: every built zip with its sizes, bytecode and treemap, one table."""

from __future__ import annotations

from pathlib import Path

from lambda_layers.base.files import write_atomically
from lambda_layers.builder.manifest import Manifest
from lambda_layers.platform.facts import mb


def write_index(output: Path, manifest: Manifest) -> None:
    rows = []
    for entry in manifest.layers.values():
        stem = entry.zip.removesuffix(".zip")
        rows.append(
            f"| [{entry.zip}]({stem}.sizes.md) | {mb(entry.unzipped_bytes):.1f} | "
            f"{mb(entry.zipped_bytes):.1f} | {'yes' if entry.bytecode else 'no'} | "
            f"{entry.builder} | ![]({stem}.sizes.svg) |"
        )
    write_atomically(
        output / "README.md",
        "# Built layers\n\n"
        "| zip | unzipped MB | zipped MB | .pyc | builder | treemap |\n"
        "| --- | ---: | ---: | --- | --- | --- |\n" + "\n".join(rows) + "\n",
    )
