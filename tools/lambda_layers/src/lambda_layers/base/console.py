"""Progress for people: a step line with ✓/✗ and duration; every command echoed before it runs."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Container, Iterator, Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from lambda_layers.base.errors import CommandError

console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 160)


def plain(text: object) -> str:
    """`text` safe inside console markup: `[unzipped-size]` or `receipt-chroma[lambda]` stays
    as written instead of being read as a style."""
    return escape(str(text))


@contextlib.contextmanager
def step(title: str) -> Iterator[None]:
    """Print `title`, run the block, then ✓ or ✗ with how long it took."""
    shown = plain(title)
    console.print(f"[bold]▸[/bold] {shown}")
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        console.print(f"  [red]✗[/red] {shown} [dim]({time.perf_counter() - started:.1f}s)[/dim]")
        raise
    console.print(f"  [green]✓[/green] {shown} [dim]({time.perf_counter() - started:.1f}s)[/dim]")


def run_command(
    arguments: Sequence[str | Path],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    clean_env: bool = False,
    cwd: Path | None = None,
    stdin: str | None = None,
    quiet: bool = False,
    allowed: Container[int] = (0,),
) -> subprocess.CompletedProcess[str]:
    """Echo the command as a user could paste it and run it within `timeout` seconds.

    `env` is added to this process's environment (or, with `clean_env`, is all of it). Raises
    CommandError, with the command and its output, when it cannot start, overruns, or exits with
    a code not `allowed`.
    """
    words = [str(argument) for argument in arguments]
    if not quiet:
        console.print(f"  [dim]$ {plain(shlex.join(words))}[/dim]", soft_wrap=True)
    environment = dict(env or {}) if clean_env else {**os.environ, **(env or {})}
    try:
        result = subprocess.run(
            words, env=environment, cwd=cwd, input=stdin, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise CommandError(
            f"command did not finish within {timeout:.0f}s: {shlex.join(words)}"
        ) from None
    except OSError as error:
        raise CommandError(f"cannot run {shlex.join(words)}: {error}") from None
    if result.returncode not in allowed:
        output = (result.stderr or result.stdout).strip()[-4000:]
        raise CommandError(
            f"command failed (exit {result.returncode}): {shlex.join(words)}\n{output}"
        )
    return result
