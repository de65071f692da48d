"""Checks over a function's layer stack, pure functions of the zips' contents (nothing extracted).

- overlaps: no path provided by two layers with different contents (Lambda keeps the later one
  silently, so the earlier layer's code runs against the other's files);
- versions: no distribution present at two versions (in two layers, or twice in one);
- imports: every module the function imports is found where the runtime looks (its search paths
  below /opt, or the function's own folder);
- the runtime's SDK: a warning for a layer that ships boto3, botocore or s3transfer older than
  the runtime's own copy (the function imports the layer's).
The stack's size is checked in `size.py`; `stack_results` runs every check that needs no container.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from packaging.version import InvalidVersion, Version

from lambda_layers.layer.checks.findings import Check, CheckResult
from lambda_layers.layer.checks.size import check_stack_size
from lambda_layers.layer.contents import LayerContents
from lambda_layers.layer.imports import Files
from lambda_layers.platform.facts import Runtime, facts


def check_overlaps(layers: Sequence[LayerContents]) -> CheckResult:
    providers: dict[str, list[tuple[str, int, int | None]]] = defaultdict(list)
    for layer in layers:
        for item in layer.inventory.files:
            providers[item.path].append((layer.name, item.size, item.crc))
    shared = {path: found for path, found in providers.items() if len(found) > 1}
    differing = sorted(path for path, found in shared.items() if len({f[1:] for f in found}) > 1)
    problems = tuple(
        f"{path}: provided by {', '.join(name for name, _, _ in providers[path])} with different "
        f"contents; the last one wins in /opt, so the others' code runs against it"
        for path in differing
    )
    identical = len(shared) - len(differing)
    return CheckResult.of(
        Check.OVERLAPS, problems, passed=f"no conflicts ({identical} identical shared paths)",
        failed=f"{len(differing)} paths differ between layers",
    )  # fmt: skip


def check_versions(layers: Sequence[LayerContents]) -> CheckResult:
    seen: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for layer in layers:
        for distribution in layer.inventory.installed():
            seen[distribution.name].append(
                (distribution.version, layer.name, distribution.dist_info)
            )
    problems = tuple(
        f"{name}: {'; '.join(f'{version} in {layer} ({where})' for version, layer, where in found)}"
        " - one stack must hold one version: pin the same version in every layer, or drop it "
        "from all but one"
        for name, found in sorted(seen.items())
        if len({version for version, _, _ in found}) > 1
    )
    return CheckResult.of(
        Check.VERSIONS, problems, passed=f"{len(seen)} distributions, one version each",
        failed=f"{len(problems)} at two versions",
    )  # fmt: skip


def _older(shipped: str, runtime_has: str) -> bool:
    try:
        return Version(shipped) < Version(runtime_has)
    except InvalidVersion:
        return False


def older_runtime_sdk(layers: Sequence[LayerContents], runtime_sdk: Mapping[str, str]) -> list[str]:
    """Warnings: each part of the runtime's SDK a layer ships older than the runtime's copy
    (`runtime_sdk`: distribution -> the version the runtime ships)."""
    return [
        f"{layer.name} ships {distribution.name} {distribution.version}, older than the "
        f"{runtime_sdk[distribution.name]} the runtime ships: the function imports the layer's "
        f"older copy; pin {distribution.name}>={runtime_sdk[distribution.name]} in that layer's "
        "spec, or leave it out of `requirements` to use the runtime's"
        for layer in layers
        for distribution in layer.inventory.installed()
        if distribution.name in runtime_sdk
        and _older(distribution.version, runtime_sdk[distribution.name])
    ]


def _elsewhere(paths: frozenset[str], module: str) -> list[str]:
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


def check_stack_imports(
    layers: Sequence[LayerContents],
    *,
    modules: Sequence[str],
    runtime: Runtime,
    code_paths: set[str] | None = None,
) -> CheckResult:
    """Each module found under a search path of `runtime` (or in the function's code)."""
    stack = Files(item.path for layer in layers for item in layer.inventory.files)
    code = Files(code_paths or ())
    root = facts().paths.layers
    problems = []
    for module in modules:
        if code.provides(module) or any(
            stack.provides(module, base=base) for base in runtime.search_paths
        ):
            continue
        places = _elsewhere(stack.paths, module)
        looks = f" and {root}/".join(reversed(runtime.search_paths))
        where = (
            f"it is at {', '.join(f'{root}{place}' for place in places)}, where {runtime.name} "
            f"does not look (it looks in {root}/{looks})"
            if places
            else "no layer in the stack provides it"
        )
        problems.append(f"{module}: not importable from the stack: {where}")
    return CheckResult.of(
        Check.IMPORTS, problems, passed=f"{len(modules)} found",
        failed=f"{len(problems)} of {len(modules)} missing",
    )  # fmt: skip


def code_paths(code: Path) -> set[str]:
    """The function folder's files, as paths relative to its task root."""
    return {path.relative_to(code).as_posix() for path in code.rglob("*") if path.is_file()}


def stack_results(
    layers: Sequence[LayerContents], *, modules: Sequence[str], runtime: Runtime, code: Path | None
) -> dict[Check, CheckResult]:
    """Every check of a stack that needs no container, by check (the build's stack check and
    the import matrix's static row)."""
    results = (
        check_stack_imports(layers, modules=modules, runtime=runtime,
                            code_paths=code_paths(code) if code else None),
        check_overlaps(layers), check_versions(layers), check_stack_size(layers, code=code),
    )  # fmt: skip
    return {result.check: result for result in results}
