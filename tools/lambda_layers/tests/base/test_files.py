"""Files are written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda_layers.base.files import replacing, sha256_of, write_atomically


def test_a_failed_write_leaves_the_old_file_and_no_scratch(tmp_path: Path) -> None:
    target = write_atomically(tmp_path / "out" / "report.md", "old\n")
    with pytest.raises(RuntimeError), replacing(target) as partial:
        partial.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old\n"
    assert [path.name for path in target.parent.iterdir()] == ["report.md"]
    write_atomically(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert sha256_of(target) == "7aa7a5359173d05b63cfd682e3c38487f3cb4f7f1d60659fe59fab1505977d4c"


def test_a_directory_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "stack"
    with replacing(target) as partial:
        (partial / "python").mkdir(parents=True)
        (partial / "python" / "a.py").write_text("")
    assert (target / "python" / "a.py").is_file()
    assert not (tmp_path / "stack.partial").exists()
