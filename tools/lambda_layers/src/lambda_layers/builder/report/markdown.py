"""The size report as a Markdown table: distribution, version, files, bytes, share, headroom."""

from __future__ import annotations

from lambda_layers.layer.contents import Inventory
from lambda_layers.platform.facts import limits, mb


def size_table(title: str, inventory: Inventory, *, zipped_bytes: int | None = None) -> str:
    total = inventory.total_bytes or 1
    rows = sorted(inventory.distributions, key=lambda item: (-item.bytes, item.name))
    lines = [
        f"# {title}",
        "",
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
