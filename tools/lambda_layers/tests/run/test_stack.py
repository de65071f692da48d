"""A function's stack extracted the way Lambda does: in declared order, inside /opt only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.layer.contents import read_layer
from lambda_layers.run.stack import extract_stack

ZipFactory = Callable[..., Path]


def test_extracting_follows_the_declared_order_and_a_later_layer_overwrites(
    make_zip: ZipFactory, tmp_path: Path
) -> None:
    first = read_layer(
        make_zip(
            "first",
            {
                "python/shared.py": "A = 1\n",
                "python/a.py": "",
                "python/__pycache__/a.cpython-313.pyc": b"pyc",
            },
        )
    )
    second = read_layer(
        make_zip("second", {"python/shared.py": "A = 2\n", "bin/tool": "#!/bin/sh\n"})
    )
    stack = extract_stack([first, second], tmp_path / "opt")
    assert (stack / "python/shared.py").read_text() == "A = 2\n"
    assert (stack / "python/a.py").is_file()
    assert (stack / "python/__pycache__/a.cpython-313.pyc").is_file()
    reversed_stack = extract_stack([second, first], tmp_path / "opt-reversed")
    assert (reversed_stack / "python/shared.py").read_text() == "A = 1\n"
    without = extract_stack([first, second], tmp_path / "opt-no-pyc", bytecode=False)
    assert not list(without.rglob("*.pyc"))
    assert not (tmp_path / "opt.partial").exists()


def test_an_entry_escaping_opt_is_refused(make_zip: ZipFactory, tmp_path: Path) -> None:
    evil = read_layer(make_zip("evil", {"python/../../escape.py": "x"}))
    with pytest.raises(ConfigurationError, match=r"evil.zip: entry .*escape.py.* outside /opt"):
        extract_stack([evil], tmp_path / "opt")
