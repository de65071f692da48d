"""The repository the layers are built from: its root, its workspace packages and their wheels."""

from __future__ import annotations

import functools
import hashlib
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

from lambda_layers.base.console import run_command
from lambda_layers.base.errors import ConfigurationError
from lambda_layers.layer.spec import LayerSpec
from lambda_layers.platform.host import uv_binary

# Reproducible wheels and zips: every timestamp is this (1980-01-01, the earliest a zip can hold).
SOURCE_DATE_EPOCH = 315532800
UV_TIMEOUT = 1800.0


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkspacePackage:
    name: str
    directory: Path

    def source_hash(self) -> str:
        """A hash of the files a wheel is built from (cheap: no build)."""
        digest = hashlib.sha256()
        files = [self.directory / "pyproject.toml", *sorted((self.directory / "src").rglob("*"))]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(self.directory).as_posix().encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()


def find_root(start: Path | None = None) -> Path:
    """The directory holding the workspace's pyproject.toml and `layers/`."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "layers").is_dir() and (candidate / "pyproject.toml").is_file():
            return candidate
    raise ConfigurationError(
        f"no repository root above {here}: expected a directory with pyproject.toml and layers/ "
        "(run from the repository, or pass --root)"
    )


def below(root: Path, path: Path) -> Path:
    """`path`, relative to the repository root unless it is absolute."""
    return path if path.is_absolute() else root / path


@functools.cache
def workspace_packages(root: Path) -> dict[str, WorkspacePackage]:
    """The uv workspace members by canonical distribution name."""
    data = tomllib.loads((root / "pyproject.toml").read_text())
    members = data.get("tool", {}).get("uv", {}).get("workspace", {}).get("members", [])
    found: dict[str, WorkspacePackage] = {}
    for pattern in members:
        for directory in sorted(root.glob(pattern)):
            project = directory / "pyproject.toml"
            if project.is_file():
                name = str(canonicalize_name(tomllib.loads(project.read_text())["project"]["name"]))
                found[name] = WorkspacePackage(name=name, directory=directory)
    return found


def workspace_requirements(root: Path, spec: LayerSpec) -> list[WorkspacePackage]:
    """The workspace packages a spec asks for, by name."""
    members = workspace_packages(root)
    return [members[name] for name in spec.requirement_names() if name in members]


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
            env=env, cwd=root, timeout=UV_TIMEOUT,
        )  # fmt: skip
        wheels += sorted(out.glob(f"{package.name.replace('-', '_')}-*.whl"))
    return wheels
