"""Progress for people: a step line with ✓/✗ and duration; every command echoed before it runs."""

from __future__ import annotations

import contextlib
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from rich.console import Console

from lambda_layers.errors import CommandError

console = Console(stderr=True, highlight=False, width=None if sys.stderr.isatty() else 160)


@contextlib.contextmanager
def step(title: str) -> Iterator[None]:
    """Print `title`, run the block, then ✓ or ✗ with how long it took."""
    console.print(f"[bold]▸[/bold] {title}")
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        console.print(f"  [red]✗[/red] {title} [dim]({time.perf_counter() - started:.1f}s)[/dim]")
        raise
    console.print(f"  [green]✓[/green] {title} [dim]({time.perf_counter() - started:.1f}s)[/dim]")


def run_command(
    arguments: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    quiet: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Echo the command as a user could paste it, run it, and raise CommandError with its output."""
    words = [str(argument) for argument in arguments]
    if not quiet:
        console.print(f"  [dim]$ {shlex.join(words)}[/dim]", soft_wrap=True)
    result = subprocess.run(
        words,
        env=dict(env) if env is not None else None,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip()[-4000:]
        raise CommandError(
            f"command failed (exit {result.returncode}): {shlex.join(words)}\n{output}"
        )
    return result
