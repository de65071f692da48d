"""Size reports for people: a table and treemap per zip, an index of all, a terminal summary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.table import Table

from lambda_layers.base.files import write_atomically
from lambda_layers.builder.manifest import LayerEntry, Manifest
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.builder.treemap import treemap_svg
from lambda_layers.layer.contents import Inventory
from lambda_layers.platform.facts import limits, mb


def size_table(
    title: str, inventory: Inventory, *, zipped_bytes: int | None = None, note: str = ""
) -> str:
    total = inventory.total_bytes or 1
    rows = sorted(inventory.distributions, key=lambda item: (-item.bytes, item.name))
    lines = [
        f"# {title}",
        "",
        *([f"**{note}**", ""] if note else []),
        f"Unzipped: **{mb(inventory.total_bytes):.2f} MB** in {len(inventory.files):,} files"
        + (f"; zipped: **{mb(zipped_bytes):.2f} MB**" if zipped_bytes is not None else "")
        + f". Headroom under Lambda's 250 MB (function + all layers): "
        f"{mb(limits().unzipped_bytes - inventory.total_bytes):.2f} MB.",
        "",
        "| distribution | version | files | MB | share |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [
        f"| {item.name} | {item.version} | {len(item.files):,} | {mb(item.bytes):.2f} | "
        f"{100 * item.bytes / total:.1f}% |"
        for item in rows
    ]
    lines.append(
        f"| **total** | | {len(inventory.files):,} | {mb(inventory.total_bytes):.2f} | 100% |"
    )
    return "\n".join(lines) + "\n"


def write_reports(
    output: Path,
    target: BuildTarget,
    inventory: Inventory,
    *,
    zipped: int | None = None,
    note: str = "",
) -> Path:
    """`<zip stem>.sizes.md` and `<zip stem>.sizes.svg` beside the zip (or where it would have
    been: a refused layer's `note` says why); returns the Markdown report's path."""
    title = f"{target.spec.name} · {target.runtime.name} · {target.architecture.value}"
    table = size_table(title, inventory, zipped_bytes=zipped, note=note)
    write_atomically(output / f"{target.stem}.sizes.svg", treemap_svg(title, inventory))
    return write_atomically(output / f"{target.stem}.sizes.md", table)


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
