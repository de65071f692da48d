"""Why the resolver found no solution, read from uv's message, and what the user should do.

Only one reason may send a target to a container: a distribution with no wheel this target can
install (a container may build it from source). A name the index does not know, a version it
does not have, or pins that exclude each other are faults of the spec: no builder can fix them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass

from packaging.utils import canonicalize_name

from lambda_layers.base.errors import (
    CommandError,
    LayerToolError,
    NoWheelError,
    UnsatisfiableError,
)

_NO_SOLUTION = "No solution found"
_PREFIXES = ("cause:", "╰─▶")
_NO_WHEEL = re.compile(r"\bha(?:s|ve) no (?:usable wheels|wheels with a matching)")
_NOT_FOUND = re.compile(r"\b(\S+) was not found in the package registry")
_NO_VERSION = re.compile(r"\bthere is no version of (\S+?)(?:\s|,|$)")
_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


class Reason(enum.StrEnum):
    NO_WHEEL = "no wheel for the target"
    NOT_FOUND = "no such project on the index"
    NO_VERSION = "no such version on the index"
    CONFLICT = "requirements that exclude each other"


@dataclass(frozen=True, slots=True, kw_only=True)
class Unresolvable:
    reason: Reason
    cause: str
    """uv's derivation, as one paragraph."""
    concerns: tuple[str, ...]
    """The spec's requirements (as written) the derivation names."""
    subject: str = ""
    """The project or version the index lacks, when that is the reason."""

    @property
    def spec_fault(self) -> bool:
        return self.reason is not Reason.NO_WHEEL

    def fix(self) -> str:
        if self.reason is Reason.NOT_FOUND:
            return (
                f"check the name: the index has no project called {self.subject!r} (a typo, or "
                "the import name where the distribution's name belongs?)"
            )
        if self.reason is Reason.NO_VERSION:
            return f"pin a version of {self.subject.split('=')[0]!r} that the index has"
        if self.reason is Reason.CONFLICT:
            return (
                "loosen or align these pins so that one version of each satisfies all of them "
                "(uv's reasoning above says which ranges meet)"
            )
        return (
            "build it with `--builder docker` (or the default `auto`), which builds it from "
            "source inside a runtime image, or pin a release that has a wheel for this platform"
        )


def cause_of(output: str) -> str:
    """The lines after uv's "No solution found" (all, without it), up to its hints, as one
    paragraph."""
    lines = output.splitlines()
    start = next((i for i, line in enumerate(lines) if _NO_SOLUTION in line), -1) + 1
    kept = []
    for line in lines[start:]:
        text = line.strip()
        if text.startswith("hint:"):
            break
        for prefix in _PREFIXES:
            text = text.removeprefix(prefix).strip()
        if text:
            kept.append(text)
    return " ".join(kept)


def read_failure(output: str, requirements: Mapping[str, str]) -> Unresolvable | None:
    """What uv's failure `output` means for a spec whose `requirements` are given by canonical
    name (-> the requirement as written); None when uv failed for another reason (the index
    could not be reached, ...)."""
    if _NO_SOLUTION not in output:
        return None
    cause = cause_of(output)
    named = {str(canonicalize_name(word)) for word in _WORD.findall(cause)}
    concerns = tuple(text for name, text in requirements.items() if name in named)
    concerns = concerns or tuple(requirements.values())
    if _NO_WHEEL.search(cause):
        return Unresolvable(reason=Reason.NO_WHEEL, cause=cause, concerns=concerns)
    if found := _NOT_FOUND.search(cause):
        return Unresolvable(reason=Reason.NOT_FOUND, cause=cause, concerns=concerns,
                            subject=found[1])  # fmt: skip
    if found := _NO_VERSION.search(cause):
        return Unresolvable(reason=Reason.NO_VERSION, cause=cause, concerns=concerns,
                            subject=found[1])  # fmt: skip
    return Unresolvable(reason=Reason.CONFLICT, cause=cause, concerns=concerns)


def resolution_error(
    output: str, *, spec: str, requirements: Mapping[str, str], where: str
) -> LayerToolError:
    """The error for uv's failure `output` resolving `spec` (its path) for a target (`where`):
    a fault of the spec, a requirement only a container can build, or uv not running at all."""
    found = read_failure(output, requirements)
    if found is None:
        return CommandError(f"{spec}: the resolver failed for {where}:\n{output.strip()[-3000:]}")
    concerns = ", ".join(f'"{text}"' for text in found.concerns)
    message = (
        f"{spec}: field requirements: {found.reason} for {where}.\n"
        f"  uv: {found.cause}\n  concerns: {concerns}\n  fix: {found.fix()}"
    )
    if found.spec_fault:
        return UnsatisfiableError(message)
    return NoWheelError(message, cause=found.cause)
