"""One view of a layer: a staging tree and its zip describe the same files and distributions."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from lambda_layers.layer.contents import UNOWNED, read_layer, read_tree

RECORD = (
    "demo/__init__.py,sha256=x,10\ndemo/core.py,,\n"
    "demo-1.2.dist-info/METADATA,,\n../../bin/demo,,\n"
)
FILES = {
    "python/demo/__init__.py": "# demo\n",
    "python/demo/core.py": "VALUE = 1\n",
    "python/demo/__pycache__/core.cpython-312.pyc": "pyc",
    "python/demo-1.2.dist-info/METADATA": "Name: demo\nVersion: 1.2\n",
    "python/demo-1.2.dist-info/RECORD": RECORD,
    "python/Other_Thing-0.3.dist-info/METADATA": "m",
    "python/stray.py": "# nobody's\n",
}


def _tree(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_distributions_own_what_their_record_lists_and_the_bytecode_of_it(tmp_path: Path) -> None:
    inventory = read_tree(_tree(tmp_path / "tree")).inventory
    by_name = {d.name: d for d in inventory.distributions}
    # names and versions come from the dist-info folders, canonicalised
    assert inventory.versions() == {"demo": "1.2", "other-thing": "0.3"}
    demo = by_name["demo"]
    assert demo.dist_info == "python/demo-1.2.dist-info"
    assert set(demo.files) == {
        "python/demo/__init__.py", "python/demo/core.py",
        "python/demo/__pycache__/core.cpython-312.pyc",
        "python/demo-1.2.dist-info/METADATA", "python/demo-1.2.dist-info/RECORD",
    }  # fmt: skip
    assert demo.bytes == sum(len(FILES[path].encode()) for path in demo.files)
    # what no dist-info claims is grouped, and every byte is counted once
    assert by_name[UNOWNED].files == ("python/stray.py",)
    assert inventory.owner_of("python/stray.py") == UNOWNED
    assert sum(d.bytes for d in inventory.distributions) == inventory.total_bytes
    assert [d.name for d in inventory.installed()] == ["other-thing", "demo"]


def test_a_zip_reads_as_its_tree_does_and_knows_its_crcs(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree")
    archive = Path(shutil.make_archive(str(tmp_path / "layer"), "zip", tree))
    zipped, staged = read_layer(archive, name="demo-layer"), read_tree(tree)
    assert zipped.name == "demo-layer" and zipped.zipped_bytes == archive.stat().st_size
    assert zipped.inventory.versions() == staged.inventory.versions()
    assert zipped.inventory.owner == staged.inventory.owner
    assert zipped.unzipped_bytes == staged.unzipped_bytes
    assert (
        zipped.read("python/demo/core.py") == staged.read("python/demo/core.py") == b"VALUE = 1\n"
    )
    with zipfile.ZipFile(archive) as opened:
        crc = opened.getinfo("python/demo/core.py").CRC
    assert {f.path: f.crc for f in zipped.inventory.files}["python/demo/core.py"] == crc
    assert all(f.crc is None for f in staged.inventory.files)
