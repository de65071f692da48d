"""Import modules in a fresh interpreter; print, as JSON, where each came from and in how long.

Standard library only: the build runs it on the host (`python -I -S -c SOURCE --path SITE
MODULE...`) and the Runtime API in a function's container (`python -c SOURCE MODULE...`), so both
ask Python the same question the same way.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, kw_only=True)
class Imported:
    """Whether a module imported, from which file and in how long, or the error it raised."""

    module: str
    ok: bool
    file: str | None = None
    ms: float | None = None
    error: str = ""


def parse(output: str) -> list[Imported]:
    """The probe's JSON line, read back."""
    return [Imported(**item) for item in json.loads(output)]


def source() -> str:
    """This file's text, to run with `python -c` where the package is not installed."""
    return Path(__file__).read_text(encoding="utf-8")


def probe(modules: list[str]) -> list[dict[str, object]]:
    """For each module: ok, and its file and milliseconds, or the error its import raised."""
    results: list[dict[str, object]] = []
    for name in modules:
        started = time.perf_counter()
        try:
            module = importlib.import_module(name)
        except BaseException as error:
            results.append(
                {"module": name, "ok": False, "error": f"{type(error).__name__}: {error}"}
            )
        else:
            milliseconds = round((time.perf_counter() - started) * 1000, 3)
            file = getattr(module, "__file__", None)
            results.append({"module": name, "ok": True, "file": file, "ms": milliseconds})
    return results


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["--path"]:
        sys.path[:0] = [arguments[1]]
        arguments = arguments[2:]
    print(json.dumps(probe(arguments)))


if __name__ == "__main__":
    main(sys.argv[1:])
