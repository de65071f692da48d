"""Checks over a layer stack, pure functions of the zips' contents (nothing extracted or run).

- overlaps: no path provided by two layers with different contents (Lambda keeps the later one
  silently, so the earlier layer's code runs against the other's files);
- versions: no distribution present at two versions (in two layers, or twice in one);
- size: function code plus every layer, unzipped, within Lambda's 262,144,000 bytes;
- imports: every module the function imports is found where the runtime looks
  (`/opt/python`, `/opt/python/lib/python3.X/site-packages`, the function's own folder).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lambda_layers.lambda_run.stack import LayerContents
from lambda_layers.platform.facts import Runtime, limits, mb

LAMBDA_UNZIPPED_LIMIT_BYTES = limits().unzipped_bytes
_MODULE_SUFFIXES = (".py", ".pyc", ".so", ".abi3.so")


class Check(enum.StrEnum):
    IMPORTS = "imports"
    OVERLAPS = "overlaps"
    VERSIONS = "versions"
    SIZE = "size"


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckResult:
    check: Check
    passed: bool
    summary: str
    problems: tuple[str, ...] = ()


def check_overlaps(layers: Sequence[LayerContents]) -> CheckResult:
    providers: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for layer in layers:
        for path, entry in layer.entries.items():
            providers[path].append((layer.name, entry.size, entry.crc))
    shared = {path: found for path, found in providers.items() if len(found) > 1}
    differing = sorted(path for path, found in shared.items() if len({f[1:] for f in found}) > 1)
    problems = tuple(
        f"{path}: provided by {', '.join(name for name, _, _ in providers[path])} with different "
        f"contents; the last one wins in /opt, so the others' code runs against it"
        for path in differing
    )
    identical = len(shared) - len(differing)
    summary = (
        f"{len(differing)} paths differ between layers"
        if differing
        else f"no conflicts ({identical} identical shared paths)"
    )
    return CheckResult(
        check=Check.OVERLAPS, passed=not differing, summary=summary, problems=problems
    )


def check_versions(layers: Sequence[LayerContents]) -> CheckResult:
    seen: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for layer in layers:
        for distribution in layer.distributions:
            seen[distribution.name].append(
                (distribution.version, layer.name, distribution.location)
            )
    problems = tuple(
        f"{name}: {'; '.join(f'{version} in {layer} ({where})' for version, layer, where in found)}"
        " - one stack must hold one version: pin the same version in every layer, or drop it "
        "from all but one"
        for name, found in sorted(seen.items())
        if len({version for version, _, _ in found}) > 1
    )
    summary = (
        f"{len(problems)} at two versions"
        if problems
        else f"{len(seen)} distributions, one version each"
    )
    return CheckResult(
        check=Check.VERSIONS, passed=not problems, summary=summary, problems=problems
    )


def _directory_bytes(directory: Path | None) -> int:
    if directory is None:
        return 0
    return sum(path.stat().st_size for path in directory.rglob("*") if path.is_file())


def check_size(layers: Sequence[LayerContents], *, code: Path | None) -> CheckResult:
    code_bytes = _directory_bytes(code)
    total = code_bytes + sum(layer.unzipped_bytes for layer in layers)
    parts = ", ".join(f"{layer.name} {layer.unzipped_bytes:,}" for layer in layers)
    summary = f"{mb(total):.1f} MiB of {mb(LAMBDA_UNZIPPED_LIMIT_BYTES):.0f}"
    problems: tuple[str, ...] = ()
    if total > LAMBDA_UNZIPPED_LIMIT_BYTES:
        problems = (
            f"function and layers unzipped: {total:,} bytes ({parts}, code {code_bytes:,}) is over "
            f"Lambda's {LAMBDA_UNZIPPED_LIMIT_BYTES:,} (250 MiB): prune the layers (see their "
            "size reports) or deploy as a container image",
        )
    return CheckResult(check=Check.SIZE, passed=not problems, summary=summary, problems=problems)


def _module_candidates(base: str, module: str) -> list[str]:
    stem = "/".join(module.split("."))
    prefix = f"{base}/{stem}" if base else stem
    return [f"{prefix}/__init__.py", f"{prefix}/__init__.pyc", f"{prefix}.py", f"{prefix}.pyc"]


def _provides(paths: set[str], directories: set[str], base: str, module: str) -> bool:
    if any(candidate in paths for candidate in _module_candidates(base, module)):
        return True
    stem = "/".join(module.split("."))
    prefix = f"{base}/{stem}" if base else stem
    if prefix in directories:  # a namespace package
        return True
    parent, _, leaf = prefix.rpartition("/")
    return any(
        path.startswith(f"{parent}/{leaf}.")
        and path.endswith(".so")
        and path.count("/") == prefix.count("/")
        for path in paths
    )


def _elsewhere(paths: set[str], module: str) -> list[str]:
    """Where a module lives in the stack outside the runtime's search paths."""
    stem = "/".join(module.split("."))
    found = set()
    for path in paths:
        rooted = f"/{path}"
        position = rooted.find(f"/{stem}/__init__.py")
        if position < 0 and rooted.endswith(f"/{stem}.py"):
            position = len(rooted) - len(f"/{stem}.py")
        if position >= 0:
            found.add(rooted[:position])
    return sorted(found)


def check_imports(
    layers: Sequence[LayerContents],
    *,
    modules: Sequence[str],
    runtime: Runtime,
    code_paths: set[str] | None = None,
) -> CheckResult:
    """Each module found under a search path of `runtime` (or in the function's code)."""
    paths = {path for layer in layers for path in layer.entries}
    directories = {str(parent) for path in paths for parent in PurePosixPath(path).parents}
    code = code_paths or set()
    problems = []
    for module in modules:
        if _provides(code, set(), "", module):
            continue
        if any(_provides(paths, directories, base, module) for base in runtime.search_paths):
            continue
        places = _elsewhere(paths, module)
        where = (
            f"it is at {', '.join(f'/opt{place}' for place in places)}, where {runtime.name} "
            f"does not look (it looks in /opt/{' and /opt/'.join(reversed(runtime.search_paths))})"
            if places
            else "no layer in the stack provides it"
        )
        problems.append(f"{module}: not importable from the stack: {where}")
    summary = f"{len(problems)} of {len(modules)} missing" if problems else f"{len(modules)} found"
    return CheckResult(
        check=Check.IMPORTS, passed=not problems, summary=summary, problems=tuple(problems)
    )


def code_paths(code: Path) -> set[str]:
    """The function folder's files, as paths relative to /var/task."""
    return {path.relative_to(code).as_posix() for path in code.rglob("*") if path.is_file()}
