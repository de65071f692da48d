"""A scratch directory for one harness run: extracted stacks (reused by key) and session files."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from lambda_layers.lambda_run.stack import extract_stack, stack_key
from lambda_layers.layer.contents import LayerContents


class Workspace:
    """`with Workspace() as work: work.stack(layers)`; everything is removed on exit."""

    def __init__(self, directory: Path | None = None) -> None:
        self._given = directory
        self.directory = directory or Path(tempfile.mkdtemp(prefix="lambda-run-"))
        self.directory.mkdir(parents=True, exist_ok=True)

    def stack(self, layers: Sequence[LayerContents], *, bytecode: bool = True) -> Path:
        """The stack extracted as Lambda would into /opt (cached for this workspace)."""
        key = stack_key(layers, bytecode=bytecode)
        return extract_stack(layers, self.directory / f"stack-{key}", bytecode=bytecode)

    def close(self) -> None:
        if self._given is None:
            shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
