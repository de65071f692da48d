"""The size report as a picture: an SVG treemap of bytes per distribution (squarify layout)."""

from __future__ import annotations

import colorsys
import hashlib
from dataclasses import dataclass
from html import escape

import squarify

from lambda_layers.layer.contents import Distribution, Inventory
from lambda_layers.platform.facts import mb

WIDTH, HEIGHT, HEADER = 960, 600, 36


@dataclass(frozen=True, slots=True, kw_only=True)
class Box:
    x: float
    y: float
    width: float
    height: float


def _colour(name: str) -> str:
    hue = int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) / 0xFFFF
    red, green, blue = colorsys.hls_to_rgb(hue, 0.72, 0.55)
    return f"#{int(red * 255):02x}{int(green * 255):02x}{int(blue * 255):02x}"


def layout(inventory: Inventory) -> list[tuple[Distribution, Box]]:
    """A box below the header for each distribution with bytes, largest first, its area in
    proportion to its bytes (squarify: boxes as square as they can be)."""
    items = sorted((d for d in inventory.distributions if d.bytes > 0), key=lambda d: -d.bytes)
    sizes = squarify.normalize_sizes([d.bytes for d in items], WIDTH, HEIGHT - HEADER)
    boxes = squarify.squarify(sizes, 0, HEADER, WIDTH, HEIGHT - HEADER) if items else []
    return [
        (item, Box(x=box["x"], y=box["y"], width=box["dx"], height=box["dy"]))
        for item, box in zip(items, boxes, strict=True)
    ]


def treemap_svg(title: str, inventory: Inventory) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="8" y="24" font-size="16" font-weight="bold">{escape(title)} — '
        f"{mb(inventory.total_bytes):.1f} MB unzipped</text>",
    ]
    for item, box in layout(inventory):
        x, y, width, height = box.x, box.y, box.width, box.height
        label = f"{item.name} {mb(item.bytes):.1f} MB"
        parts.append(
            f"<g><title>{escape(item.name)} {escape(item.version)}: {item.bytes:,} bytes, "
            f"{len(item.files):,} files</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{_colour(item.name)}" stroke="#ffffff" stroke-width="1"/>'
        )
        font = min(13.0, height * 0.45, width / max(len(label), 1) * 1.8)
        if font >= 7:
            parts.append(
                f'<text x="{x + 4:.1f}" y="{y + font + 3:.1f}" font-size="{font:.1f}">'
                f"{escape(label)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
