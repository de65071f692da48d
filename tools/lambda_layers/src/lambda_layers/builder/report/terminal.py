"""A terminal table of the layers built: sizes, bytecode, builder, verification."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table

from lambda_layers.builder.manifest import LayerEntry
from lambda_layers.platform.facts import mb


def summary_table(entries: Iterable[LayerEntry]) -> Table:
    table = Table(title="Lambda layers", title_justify="left")
    for column in ("zip", "unzipped MB", "zipped MB", "dists", ".pyc", "builder", "verified"):
        table.add_column(column, justify="right" if "MB" in column else "left")
    for entry in entries:
        table.add_row(
            entry.zip,
            f"{mb(entry.unzipped_bytes):.1f}",
            f"{mb(entry.zipped_bytes):.1f}",
            str(len(entry.distributions)),
            "yes" if entry.bytecode else "no",
            entry.builder,
            entry.verification + (f" ({len(entry.warnings)} warnings)" if entry.warnings else ""),
        )
    return table
