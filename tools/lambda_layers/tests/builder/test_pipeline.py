"""The seed failure through the whole build: a builder on the wrong machine cannot ship its layer.

A builder that installs what *its own* machine would (x86_64 wheels) into an arm64 target, or
installs into `python/lib/python3.X/site-packages/`, is a real builder with a real mistake; the
pipeline must refuse the zip, name `PIL/_imaging` and the mismatch, and write nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.base.errors import LayerToolError
from lambda_layers.builder.builders import Assembly, BuilderName, install_locked
from lambda_layers.builder.bytecode import BytecodeReport
from lambda_layers.builder.pipeline import BuildRequest, build
from lambda_layers.builder.targets import BuildTarget, plan_targets
from lambda_layers.layer.spec import load_specs
from lambda_layers.platform.facts import Architecture

SPEC = """
name = "imaging"
requirements = ["pillow==12.0.0"]
runtimes = ["python3.12"]
architectures = ["arm64"]
"""


class WrongMachineBuilder:
    """Installs the locked wheels for x86_64 (the build machine) whatever the target says."""

    name = BuilderName.LOCAL

    def __init__(self, *, nest: str = "") -> None:
        self.nest = nest

    def image_for(self, target: BuildTarget) -> str | None:
        return None

    def install(self, assembly: Assembly) -> None:
        architecture = Architecture.ARM64 if self.nest else Architecture.X86_64
        install_locked(
            distributions=assembly.distributions, wheels=assembly.wheels,
            target=assembly.site / self.nest, runtime=assembly.target.runtime,
            architecture=architecture,
        )  # fmt: skip

    def compile(self, assembly: Assembly) -> BytecodeReport:
        return BytecodeReport(compiled=False, interpreter=None, reason="not compiled")


@pytest.fixture
def root(scratch_repository: Callable[[str], Path]) -> Path:
    return scratch_repository(SPEC)


def _build_with(builder: WrongMachineBuilder, root: Path, output: Path) -> str:
    targets = plan_targets(load_specs(root / "layers"))
    with pytest.raises(LayerToolError) as raised:
        build(BuildRequest(root=root, output=output, targets=targets, builder=builder))
    assert not list(output.glob("*.zip")), "a refused layer must leave no zip behind"
    return str(raised.value)


def test_x86_64_pillow_in_an_arm64_build_is_refused(root: Path, tmp_path: Path) -> None:
    message = _build_with(WrongMachineBuilder(), root, tmp_path / "out")
    assert "PIL/_imaging.cpython-312-x86_64-linux-gnu.so is built for x86_64" in message
    assert "but the layer is for arm64" in message
    assert "fix: resolve wheels for aarch64" in message


def test_pillow_nested_under_python_lib_is_refused(root: Path, tmp_path: Path) -> None:
    builder = WrongMachineBuilder(nest="lib/python3.11/site-packages")
    message = _build_with(builder, root, tmp_path / "out")
    assert "python/lib/python3.11/site-packages/PIL/_imaging" in message
    assert "where python3.12 does not look" in message
