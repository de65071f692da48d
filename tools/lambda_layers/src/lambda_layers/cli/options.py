"""The options commands share, declared once, and where a command finds the settings and root."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lambda_layers.base.settings import Settings
from lambda_layers.platform.facts import Architecture, supported_runtimes

_RUNTIMES = ", ".join(supported_runtimes())
_ARCHITECTURES = " or ".join(a.value for a in Architecture)

LayerOption = Annotated[
    list[str] | None, typer.Option("--layer", "-l", help="Layer name (repeat; default: all).")
]
RuntimeOption = Annotated[
    list[str] | None, typer.Option("--runtime", "-r", help=f"Runtime (repeat): {_RUNTIMES}.")
]
ArchOption = Annotated[
    list[str] | None, typer.Option("--arch", "-a", help=f"Architecture (repeat): {_ARCHITECTURES}.")
]
OneRuntimeOption = Annotated[str, typer.Option("--runtime", "-r", help=f"Runtime: {_RUNTIMES}.")]
OneArchOption = Annotated[
    str, typer.Option("--arch", "-a", help=f"Architecture: {_ARCHITECTURES}.")
]
RootOption = Annotated[
    Path | None, typer.Option(help="Repository root (default: found from the current directory).")
]
OutputOption = Annotated[
    Path, typer.Option(help="Where the zips, manifest and reports are (relative to the root).")
]
ImageOption = Annotated[
    str | None,
    typer.Option(help="Image to use; may hold {runtime}, {python_version} and {architecture}."),
]
DIST = Path("dist/layers")


def settings(context: typer.Context) -> Settings:
    """The settings the app read from the environment when it started (env < command line)."""
    found = context.find_object(Settings)
    return found if found is not None else Settings.from_environment()
