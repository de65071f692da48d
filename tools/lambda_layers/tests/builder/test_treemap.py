"""The treemap's layout: one box per distribution with bytes, in proportion, inside the picture."""

from __future__ import annotations

import math

from lambda_layers.builder.treemap import HEADER, HEIGHT, WIDTH, layout, treemap_svg
from lambda_layers.layer.contents import Distribution, Inventory, LayerFile


def _inventory(sizes: dict[str, int]) -> Inventory:
    distributions = tuple(
        Distribution(name=name, version="1", dist_info=f"python/{name}-1.dist-info", bytes=size)
        for name, size in sizes.items()
    )
    files = tuple(LayerFile(path=f"python/{name}.py", size=size) for name, size in sizes.items())
    return Inventory(files=files, distributions=distributions)


def test_boxes_tile_the_picture_in_proportion_largest_first() -> None:
    sizes = {"small": 10, "empty": 0, "large": 60, "middle": 30}
    boxes = layout(_inventory(sizes))
    assert [item.name for item, _ in boxes] == ["large", "middle", "small"]  # no box for 0 bytes
    area = WIDTH * (HEIGHT - HEADER)
    for item, box in boxes:
        assert math.isclose(box.width * box.height, area * item.bytes / 100, rel_tol=1e-9)
        assert box.x >= 0 and box.x + box.width <= WIDTH + 1e-6
        assert box.y >= HEADER and box.y + box.height <= HEIGHT + 1e-6
    assert math.isclose(sum(b.width * b.height for _, b in boxes), area, rel_tol=1e-9)


def test_the_svg_draws_each_box_and_survives_an_empty_layer() -> None:
    svg = treemap_svg("demo <layer>", _inventory({"a": 3, "b": 1}))
    assert svg.count("<rect ") == 3  # the background and two boxes
    assert "demo &lt;layer&gt;" in svg
    assert layout(_inventory({})) == []
    assert treemap_svg("empty", _inventory({})).count("<rect ") == 1
