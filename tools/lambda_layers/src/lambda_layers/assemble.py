"""Assemble a staging tree: the locked wheels and the workspace packages, flat under `python/`.

The local builder installs wheels for the target platform with uv; no sdist is ever built on the
host (`--no-build`), and every wheel's hash is checked against the lock (`--require-hashes`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from lambda_layers.base.console import run_command
from lambda_layers.layer.spec import LayerSpec
from lambda_layers.locks import LockedDistribution
from lambda_layers.platform.facts import Architecture, Runtime
from lambda_layers.platform.host import uv_binary
from lambda_layers.workspace import SOURCE_DATE_EPOCH, WorkspacePackage, workspace_packages

_UV_TIMEOUT = 1800.0


def workspace_requirements(root: Path, spec: LayerSpec) -> list[WorkspacePackage]:
    """The workspace packages a spec asks for, by name."""
    members = workspace_packages(root)
    names = [str(canonicalize_name(Requirement(text).name)) for text in spec.requirements]
    return [members[name] for name in names if name in members]


def build_workspace_wheels(
    root: Path, packages: Sequence[WorkspacePackage], out: Path
) -> list[Path]:
    """Build wheels of workspace packages (reproducibly: SOURCE_DATE_EPOCH) into `out`."""
    wheels = []
    env = {"SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH)}
    for package in packages:
        run_command(
            [uv_binary(), "build", "--quiet", "--wheel", "--package", package.name,
             "--out-dir", out],
            env=env, cwd=root, timeout=_UV_TIMEOUT,
        )  # fmt: skip
        wheels += sorted(out.glob(f"{package.name.replace('-', '_')}-*.whl"))
    return wheels


def install_locked(
    *,
    distributions: Sequence[LockedDistribution],
    wheels: Sequence[Path],
    target: Path,
    runtime: Runtime,
    architecture: Architecture,
) -> None:
    """Install pinned, hash-checked wheels and local wheels into `target` for the platform."""
    platform_options: list[str | Path] = [
        "--python-platform", runtime.uv_platform(architecture),
        "--python-version", runtime.python_version,
        "--target", target, "--no-deps", "--no-build", "--no-compile", "--quiet",
        "--link-mode", "copy",
    ]  # fmt: skip
    target.mkdir(parents=True, exist_ok=True)
    if distributions:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
            requirements.write("\n".join(d.requirement_text() for d in distributions) + "\n")
        try:
            run_command(
                [uv_binary(), "pip", "install", *platform_options, "--require-hashes",
                 "--requirement", requirements.name],
                timeout=_UV_TIMEOUT,
            )  # fmt: skip
        finally:
            Path(requirements.name).unlink(missing_ok=True)
    if wheels:
        run_command(
            [uv_binary(), "pip", "install", *platform_options, *wheels], timeout=_UV_TIMEOUT
        )
