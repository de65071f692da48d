"""What checks find: a layer's findings (rule, path, distribution, fix) and a stack's results."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from lambda_layers.base.errors import VerificationError


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Rule(enum.StrEnum):
    ARCHITECTURE = "architecture"
    GLIBC = "glibc"
    GLIBCXX = "glibcxx"
    MISSING_LIBRARY = "missing-library"
    CORRUPT_ELF = "corrupt-elf"
    PYTHON_ABI = "python-abi"
    FOREIGN_BYTECODE = "foreign-bytecode"
    FORBIDDEN = "forbidden"
    LAYOUT = "layout"
    EMPTY = "empty"
    UNZIPPED_SIZE = "unzipped-size"
    ZIPPED_SIZE = "zipped-size"


class Check(enum.StrEnum):
    """The checks of a function's stack, one column each in the import matrix."""

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

    @classmethod
    def of(cls, check: Check, problems: Sequence[str], *, passed: str, failed: str) -> CheckResult:
        """Passed when there are no problems; its summary says which way it went."""
        summary = failed if problems else passed
        return cls(check=check, passed=not problems, summary=summary, problems=tuple(problems))


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    rule: Rule
    severity: Severity
    message: str
    fix: str
    path: str | None = None
    distribution: str | None = None

    def render(self) -> str:
        where = f"{self.distribution}: " if self.distribution else ""
        return f"{where}{self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class VerificationResult:
    layer: str
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def passed(self) -> bool:
        return not self.errors

    def raise_for_errors(self) -> None:
        """Raise one VerificationError listing every error, grouped by rule."""
        if self.errors:
            raise VerificationError(describe(self.layer, self.errors))


def _native_first(finding: Finding) -> bool:
    """Native files first: a misplaced `.so` is what makes Lambda fail at import."""
    path = finding.path or ""
    return not (path.endswith(".so") or ".so." in path.rsplit("/", 1)[-1])


def describe(layer: str, findings: Sequence[Finding], *, per_rule: int = 8) -> str:
    """A report of `findings` grouped by rule, each group with its fix, long groups cut short."""
    grouped: dict[Rule, list[Finding]] = defaultdict(list)
    for finding in sorted(findings, key=_native_first):
        grouped[finding.rule].append(finding)
    lines = [f"layer {layer} failed verification ({len(findings)} problems); nothing was written:"]
    for rule, items in grouped.items():
        lines.append(f"[{rule}] {len(items)} problem{'s' if len(items) > 1 else ''}:")
        lines += [f"  - {item.render()}" for item in items[:per_rule]]
        if len(items) > per_rule:
            lines.append(f"  ... and {len(items) - per_rule} more")
        lines.append(f"  fix: {items[0].fix}")
    return "\n".join(lines)
