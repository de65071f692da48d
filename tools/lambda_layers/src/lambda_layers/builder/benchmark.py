"""Benchmark: each layer against a plain `pip install --target` of the same requirements.

Size (unzipped bytes of what each leaves behind), cold build (empty caches) and warm build (warm
caches), all measured in this run and printed as ratios (this machine is shared and noisy).
Run: `nox -s benchmark_layers [-- --runtime python3.14 --arch arm64 --layer receipt-chroma]`
(`lambda-layers benchmark`).

pip runs on this host's CPython of the runtime's version when there is one: pip judges environment
markers (`python_version < '3.12'`) by the Python it runs on, whatever `--python-version` says. A
layer plain pip cannot install from here gets a row that says why, not a ratio.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from rich.table import Table

from lambda_layers.base.console import console, plain, run_command
from lambda_layers.base.errors import CommandError
from lambda_layers.builder.targets import BuildTarget, plan_targets
from lambda_layers.builder.workspace import (
    build_workspace_wheels,
    workspace_requirements,
)
from lambda_layers.layer.contents import read_layer
from lambda_layers.layer.spec import read_specs
from lambda_layers.platform.facts import architecture_facts, mb
from lambda_layers.platform.host import Host


def _tree_bytes(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def _timed(command: Sequence[str | Path], env: dict[str, str]) -> float:
    started = time.perf_counter()
    run_command(command, env=env, timeout=7200)
    return time.perf_counter() - started


def _pip_requirements(root: Path, target: BuildTarget, wheel_dir: Path) -> list[str]:
    local = {p.name: p for p in workspace_requirements(root, target.spec)}
    wheels = {w.name.split("-")[0].replace("_", "-"): w
              for w in build_workspace_wheels(root, list(local.values()), wheel_dir)}  # fmt: skip
    return [
        f"{wheels[name]}{extras}" if name in wheels else text
        for name, (text, extras) in target.spec.requirements_by_name().items()
    ]


def _pip_python(target: BuildTarget) -> str:
    """This host's CPython of the runtime's version, else the one running this tool."""
    found = Host.detect().interpreter_for(target.runtime.python_version)
    return str(found) if found else sys.executable


def _pip_failure(error: CommandError) -> str:
    """pip's own reason (its first ERROR line), for the table."""
    lines = [line for line in str(error).splitlines() if line.startswith("ERROR:")]
    return lines[0].removeprefix("ERROR:").strip() if lines else str(error).splitlines()[0]


def _plain_pip(root: Path, target: BuildTarget, out: Path, cache: Path, wheel_dir: Path) -> float:
    facts = architecture_facts(target.architecture)
    ceiling = int(target.runtime.manylinux.rsplit("_", 1)[1])
    # pip matches --platform tags exactly: list every manylinux tag up to the runtime's ceiling.
    platforms = [
        f"--platform=manylinux_2_{minor}_{facts.wheel_arch}" for minor in range(17, ceiling + 1)
    ]
    command: list[str | Path] = [
        _pip_python(target), "-m", "pip", "install", "--quiet", "--target", out,
        *platforms, "--python-version", target.runtime.python_version,
        "--implementation", "cp", "--only-binary=:all:", "--cache-dir", cache,
        *_pip_requirements(root, target, wheel_dir),
    ]  # fmt: skip
    shutil.rmtree(out, ignore_errors=True)
    return _timed(command, {"PIP_CONSTRAINT": ""})


def _ours(root: Path, target: BuildTarget, out: Path, cache: Path) -> float:
    command: list[str | Path] = [
        sys.executable, "-m", "lambda_layers.cli", "build", "--force", "--output", out,
        "--layer", target.spec.name, "--runtime", target.runtime.name,
        "--arch", target.architecture.value,
    ]  # fmt: skip
    return _timed(command, {"UV_CACHE_DIR": str(cache)})


def run_benchmark(
    *, root: Path, layers: Sequence[str], runtimes: Sequence[str], architecture: str
) -> None:
    """Benchmark every selected layer for each runtime on one architecture; print the table."""
    specs = read_specs(root / "layers").require_valid(layers)
    targets = plan_targets(specs, layers=layers, runtimes=runtimes, architectures=[architecture])
    table = Table(title="Layers vs plain `pip install --target` (same run; ratio = ours / pip)")
    for column in ("layer", "pip MB", "ours MB", "size", "pip cold s", "ours cold s", "cold",
                   "pip warm s", "ours warm s", "warm"):  # fmt: skip
        table.add_column(column, justify="left" if column == "layer" else "right")
    failed: list[str] = []
    for target in targets:
        with tempfile.TemporaryDirectory(prefix="layer-bench-") as scratch:
            base = Path(scratch)
            pip_out, ours_out = base / "pip", base / "ours"
            pip_cache, uv_cache = base / "pip-cache", base / "uv-cache"
            wheels = base / "wheels"
            wheels.mkdir()
            console.print(f"▸ {target.stem}: cold runs (empty caches)")
            try:
                pip_cold = _plain_pip(root, target, pip_out, pip_cache, wheels)
            except CommandError as error:
                reason = _pip_failure(error)
                console.print(f"  [yellow]![/yellow] plain pip cannot install it from this host: "
                              f"{plain(reason)}", soft_wrap=True)  # fmt: skip
                table.add_row(target.stem, "failed", *["-"] * 8)
                failed.append(f"{target.stem}: plain pip failed: {reason}")
                continue
            ours_cold = _ours(root, target, ours_out, uv_cache)
            console.print(f"▸ {target.stem}: warm runs")
            pip_warm = _plain_pip(root, target, pip_out, pip_cache, wheels)
            ours_warm = _ours(root, target, ours_out, uv_cache)
            pip_bytes = _tree_bytes(pip_out)
            ours_bytes = read_layer(ours_out / target.zip_name).unzipped_bytes
            table.add_row(
                target.stem, f"{mb(pip_bytes):.1f}", f"{mb(ours_bytes):.1f}",
                f"{ours_bytes / pip_bytes:.2f}x", f"{pip_cold:.1f}", f"{ours_cold:.1f}",
                f"{ours_cold / pip_cold:.2f}x", f"{pip_warm:.1f}", f"{ours_warm:.1f}",
                f"{ours_warm / pip_warm:.2f}x",
            )  # fmt: skip
    console.print(table)
    for line in failed:
        console.print(f"[yellow]![/yellow] {plain(line)}", soft_wrap=True)
    console.print(
        "pip's tree holds .pyc compiled by the host Python (for another Python than the layer's "
        "when they differ) and everything the runtime already provides; ours holds .pyc for the "
        "layer's Python, pruned and stripped, verified."
    )
