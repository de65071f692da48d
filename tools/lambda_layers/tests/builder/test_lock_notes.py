"""Locks a user meets against the real index: re-locking with nothing changed rewrites the same
bytes, and a target held back from the newest release says why (the wheel's tag, the runtime's
glibc, or the resolver's tags) the same way however it was built or locked."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build, run_lock
from lambda_layers.builder.locks import read_lock
from lambda_layers.cli.app import app
from lambda_layers.layer.spec import load_specs
from lambda_layers.platform.facts import Architecture, runtime

RepositoryFactory = Callable[[str], Path]  # the `scratch_repository` fixture (../conftest.py)
PY311 = runtime("python3.11")


def _spec(name: str, requirements: list[str], runtimes: list[str], arch: str) -> str:
    return (
        f'name = "{name}"\nrequirements = {json.dumps(requirements)}\n'
        f'runtimes = {json.dumps(runtimes)}\narchitectures = ["{arch}"]\n'
    )


def _notes(root: Path, layer: str, name: str) -> list[str]:
    """The lock's notes for distribution `name` (python3.11 on arm64)."""
    spec = next(spec for spec in load_specs(root / "layers") if spec.name == layer)
    lock = read_lock(root, spec, PY311, Architecture.ARM64)
    assert lock is not None
    return [note for note in lock.notes if note.split()[0] == name]


def test_two_relocks_write_the_same_bytes_with_no_temporary_path(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN a small spec with a dependency (python-dateutil needs six)
    root = scratch_repository(
        _spec("dates", ["python-dateutil==2.9.0.post0"], ["python3.12"], "x86_64")
    )
    lock = root / "layers" / "locks" / "dates" / "python3.12-x86_64.txt"
    # WHEN it is locked twice, as a user runs `lambda-layers lock`
    texts = []
    for _ in range(2):
        result = CliRunner().invoke(app, ["lock", "--root", str(root)])
        assert result.exit_code == 0, result.output
        texts.append(lock.read_bytes())
    # THEN the two locks are byte for byte the same, and name the spec, never a scratch file
    assert texts[0] == texts[1]
    text = texts[0].decode()
    assert "/tmp" not in text and "lambda-layers-" not in text
    assert re.search(r"^six==1\.17\.0 \\$", text, re.MULTILINE)
    assert "# via python-dateutil" in text and "# via layers/dates.toml" in text


def test_pillow_held_back_on_python311_arm64_says_the_wheel_tag_and_glibc_however_built(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN a spec for pillow on python3.11 and python3.12, arm64 (the README's example shape)
    root = scratch_repository(_spec("imaging", ["pillow"], ["python3.11", "python3.12"], "arm64"))
    # WHEN only the python3.11 target is built (its lock made on the way)
    manifest = run_build(
        layers=["imaging"], runtimes=["python3.11"], architectures=["arm64"],
        builder=BuilderName.LOCAL, image=None, force=False, output=root / "dist", root=root,
    )  # fmt: skip
    built = manifest.layers["imaging-python3.11-arm64.zip"].version_notes
    # THEN its manifest says why pillow is older: the newest release's wheel tag is above
    # Amazon Linux 2's glibc 2.26
    (note,) = [note for note in built if note.startswith("pillow ")]
    assert re.search(r"wheel is manylinux_2_(2[7-9]|3\d)_aarch64 \(glibc 2\.\d+\)", note), note
    assert "above python3.11's glibc 2.26 (Amazon Linux 2)" in note
    # AND locked together with python3.12, the python3.11 lock says the same
    shutil.rmtree(root / "layers" / "locks")
    run_lock(layers=["imaging"], runtimes=[], architectures=[], root=root)
    assert _notes(root, "imaging", "pillow") == [note]
    # AND python3.12 (glibc 2.34) gets the newest pillow, with no note
    spec = load_specs(root / "layers")[0]
    newer = read_lock(root, spec, runtime("python3.12"), Architecture.ARM64)
    assert newer is not None and not [n for n in newer.notes if n.startswith("pillow ")]


def test_pandas_on_python311_arm64_says_the_resolver_cannot_express_its_wheels_tag(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN pandas for python3.11 arm64: its newest release's aarch64 wheel is manylinux_2_24,
    # loadable on glibc 2.26, but uv is given manylinux_2_17 (it offers no manylinux_2_26)
    root = scratch_repository(_spec("frames", ["pandas"], ["python3.11"], "arm64"))
    run_lock(layers=[], runtimes=[], architectures=[], root=root)
    (note,) = _notes(root, "frames", "pandas")
    assert "manylinux_2_24_aarch64 wheel fits python3.11's glibc 2.26 (Amazon Linux 2)" in note
    assert "but the resolver cannot express that tag: it is given manylinux_2_17" in note
