"""Checks on where files sit: under `python/`, flat, for this Python, nothing forbidden."""

from __future__ import annotations

import re

from lambda_layers.layer.checks.findings import Finding, Rule, Severity
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.contents import UNOWNED, LayerContents
from lambda_layers.platform.facts import facts

# Lambda extracts a layer under /opt and puts its search paths (python/lib/python3.X/site-packages,
# then python) on sys.path ("Packaging your layer content", AWS Lambda Developer Guide).
_NESTED_PATH, _FLAT_PATH = facts().paths.search_paths
PREFIX = f"{_FLAT_PATH}/"
_NESTED = re.compile(
    "^" + re.escape(_NESTED_PATH).replace(re.escape("{python_version}"), r"(\d)\.(\d+)") + "/"
)
_ABI = re.compile(r"\.cpython-(\d)(\d+)[a-z]*-[^/]*\.so$")
_BYTECODE = re.compile(r"/__pycache__/[^/]+\.cpython-(\d)(\d+)(?:\.opt-\d)?\.pyc$")


def _layout(path: str, policy: LayerPolicy) -> Finding | None:
    def finding(message: str, fix: str) -> Finding:
        return Finding(rule=Rule.LAYOUT, severity=Severity.ERROR, path=path, message=message,
                       fix=fix)  # fmt: skip

    if not path.startswith(PREFIX):
        return finding(
            f"{path} is outside python/: Lambda extracts layers under /opt and imports only "
            "from /opt/python",
            "put everything importable directly under python/ at the zip root",
        )
    nested = _NESTED.match(path)
    if nested:
        version = f"{nested[1]}.{nested[2]}"
        where = (
            f"where {policy.runtime.name} does not look (it searches "
            f"{policy.runtime.search_paths[0]} and {PREFIX})"
            if version != policy.runtime.python_version
            else "ahead of python/ on sys.path, so a stack mixing layouts breaks the rule that "
            "a later layer's file wins"
        )
        return finding(
            f"{path} is nested under {nested[0]}, {where}",
            "install flat into python/ (`pip install --target python/`), as our builders do",
        )
    parts = path.split("/")
    if "site-packages" in parts or parts[1] == "python":
        return finding(
            f"{path} is nested where Lambda does not look",
            "install flat into python/ (`pip install --target python/`)",
        )
    return None


def _other_python(pattern: re.Pattern[str], path: str, policy: LayerPolicy) -> str | None:
    """The CPython version (`3.11`) `pattern` finds in `path`, if not the layer's own."""
    found = pattern.search(path)
    return f"{found[1]}.{found[2]}" if found and found[1] + found[2] != policy.python_tag else None


def check_layout(contents: LayerContents, policy: LayerPolicy) -> list[Finding]:
    findings = []
    owner = contents.inventory.owner_of
    for item in contents.inventory.files:
        problem = _layout(item.path, policy)
        if problem is not None:
            findings.append(problem)
            continue
        where = {"path": item.path, "distribution": owner(item.path)}
        if abi := _other_python(_ABI, item.path, policy):
            findings.append(Finding(
                rule=Rule.PYTHON_ABI, severity=Severity.ERROR, **where,
                message=f"{item.path} is an extension for CPython {abi}, but the layer is for "
                f"{policy.runtime.name}: it will not be found at import",
                fix=f"resolve wheels for Python {policy.runtime.python_version} "
                f"(`--runtime {policy.runtime.name}`)",
            ))  # fmt: skip
        if bytecode := _other_python(_BYTECODE, item.path, policy):
            findings.append(Finding(
                rule=Rule.FOREIGN_BYTECODE, severity=Severity.WARNING, **where,
                message=f"{item.path} is bytecode for CPython {bytecode}: dead weight for "
                f"{policy.runtime.name}",
                fix="prune __pycache__ built by another Python (this tool's pruning does)",
            ))  # fmt: skip
    return findings


def check_forbidden(contents: LayerContents, policy: LayerPolicy) -> list[Finding]:
    findings = []
    fix = "remove the requirement that pulls it in, or list it in the spec's `exclude`"
    for distribution in contents.inventory.distributions:
        if distribution.name in policy.forbid:
            findings.append(Finding(
                rule=Rule.FORBIDDEN, severity=Severity.ERROR, distribution=distribution.name,
                message=f"distribution {distribution.name} {distribution.version} is forbidden in "
                f"layer {policy.layer} ({distribution.bytes:,} bytes)",
                fix=fix,
            ))  # fmt: skip
    unowned = next((d for d in contents.inventory.distributions if d.name == UNOWNED), None)
    if unowned is not None:
        for name in sorted(policy.forbid):
            module = facts().distributions.import_names.get(name)
            if module and any(path.startswith(f"{PREFIX}{module}/") for path in unowned.files):
                findings.append(Finding(
                    rule=Rule.FORBIDDEN, severity=Severity.ERROR, path=f"{PREFIX}{module}/",
                    message=f"python/{module}/ (the import package of {name}, with no dist-info) "
                    f"is forbidden in layer {policy.layer}",
                    fix=fix,
                ))  # fmt: skip
    return findings


def check_not_empty(contents: LayerContents, policy: LayerPolicy) -> list[Finding]:
    """A layer that holds nothing is a mistake, never a pass."""
    if contents.inventory.files:
        return []
    provided = ", ".join(sorted(facts().distributions.runtime_provided))
    return [Finding(
        rule=Rule.EMPTY, severity=Severity.ERROR,
        message=f"layer {policy.layer} holds no distribution and no files",
        fix="name what it should hold in the spec's `requirements`; check that `exclude` does not "
        f"take it all (the runtime's own {provided} ship only when `requirements` or "
        "`keep_runtime_provided` names them)",
    )]  # fmt: skip
