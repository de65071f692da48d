"""A terminal table of the layers built: sizes, bytecode, builder, verification."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table

from lambda_layers.manifest import LayerEntry

MIB = 1_048_576


def summary_table(entries: Iterable[LayerEntry]) -> Table:
    table = Table(title="Lambda layers", title_justify="left")
    for column in ("zip", "unzipped MB", "zipped MB", "dists", ".pyc", "builder", "verified"):
        table.add_column(column, justify="right" if "MB" in column else "left")
    for entry in entries:
        table.add_row(
            entry.zip,
            f"{entry.unzipped_bytes / MIB:.1f}",
            f"{entry.zipped_bytes / MIB:.1f}",
            str(len(entry.distributions)),
            "yes" if entry.bytecode else "no",
            entry.builder,
            entry.verification + (f" ({len(entry.warnings)} warnings)" if entry.warnings else ""),
        )
    return table
