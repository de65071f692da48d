"""Every environment variable the tool reads, read here only, with one precedence.

Defaults < environment < command line: `Settings.from_environment()` reads the variables below, and
the CLI lays the options a user gave over them (`overridden`).

| variable                        | setting         | meaning                                      |
| ------------------------------- | --------------- | -------------------------------------------- |
| LAMBDA_LAYERS_KEEP_CONTAINERS=1 | keep_containers | keep each container after it ran (debugging) |
| LAMBDA_LAYERS_DEBIAN_MIRROR     | debian_mirror   | the mirror stand-ins are debootstrapped from |
| LAMBDA_LAYERS_BUCKET            | bucket          | S3 bucket for zips over the direct upload    |
| PYENV_ROOT                      | pyenv_root      | where pyenv keeps its CPythons (~/.pyenv)    |
| XDG_CACHE_HOME                  | cache_directory | <it>/lambda-layers (~/.cache/lambda-layers)  |
| PIP_INDEX_URL, UV_INDEX_URL ... | package_index   | package-index settings handed to containers  |
| PIP_FIND_LINKS                  | find_links      | its local directories, mounted in containers |
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INDEX_VARIABLES = (
    "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST", "PIP_FIND_LINKS",
    "PIP_DEFAULT_TIMEOUT", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "UV_INDEX_URL",
)  # fmt: skip
KEEP_VARIABLE = "LAMBDA_LAYERS_KEEP_CONTAINERS"
BUCKET_VARIABLE = "LAMBDA_LAYERS_BUCKET"


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """What the environment and the command line set; a default where neither does."""

    keep_containers: bool = False
    debian_mirror: str | None = None
    bucket: str | None = None
    pyenv_root: Path = field(default_factory=lambda: Path.home() / ".pyenv")
    cache_directory: Path = field(default_factory=lambda: Path.home() / ".cache/lambda-layers")
    package_index: Mapping[str, str] = field(default_factory=dict)
    find_links: tuple[Path, ...] = ()

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        cache = Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
        links = environ.get("PIP_FIND_LINKS", "").split()
        return cls(
            keep_containers=environ.get(KEEP_VARIABLE) == "1",
            debian_mirror=environ.get("LAMBDA_LAYERS_DEBIAN_MIRROR") or None,
            bucket=environ.get(BUCKET_VARIABLE) or None,
            pyenv_root=Path(environ.get("PYENV_ROOT") or Path.home() / ".pyenv"),
            cache_directory=cache / "lambda-layers",
            package_index={
                key: value
                for key, value in environ.items()
                if (key in INDEX_VARIABLES or key.startswith("UV_INDEX_")) and value
            },
            find_links=tuple(Path(item) for item in links if item.startswith("/")),
        )

    def overridden(self, **given: Any) -> Settings:
        """These settings with the command line's values laid over them (None: not given)."""
        return dataclasses.replace(self, **{k: v for k, v in given.items() if v is not None})
