"""Checks on native files: architecture, glibc and libstdc++ versions, needed libraries."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lambda_layers.layer.checks.findings import Finding, Rule, Severity
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.contents import LayerContents
from lambda_layers.layer.elf import CorruptElfError, ElfFacts, is_elf, read_elf
from lambda_layers.platform.facts import architecture_facts

_VERSIONED = re.compile(r"^(GLIBC|GLIBCXX)_(\d+(?:\.\d+)+)$")


def native_files(contents: LayerContents) -> Iterator[tuple[str, ElfFacts | CorruptElfError]]:
    """Every ELF file in the layer with its facts (or why it could not be read)."""
    for item in contents.inventory.files:
        if item.size < 4:
            continue
        data = contents.read(item.path)
        if not is_elf(data):
            continue
        try:
            yield item.path, read_elf(data)
        except CorruptElfError as error:
            yield item.path, error


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def check_native(contents: LayerContents, policy: LayerPolicy) -> list[Finding]:
    findings: list[Finding] = []
    owner = contents.inventory.owner_of
    facts_by_path = dict(native_files(contents))
    provided = {path.rsplit("/", 1)[-1] for path in facts_by_path} | {
        facts.soname
        for facts in facts_by_path.values()
        if isinstance(facts, ElfFacts) and facts.soname
    }
    allowed = policy.allowed_libraries()
    wanted = architecture_facts(policy.architecture)
    glibc = policy.runtime.base_system.glibc
    glibcxx = policy.runtime.base_system.glibcxx
    base = policy.runtime.base_system.name
    for path, facts in facts_by_path.items():
        distribution = owner(path)
        if isinstance(facts, CorruptElfError):
            findings.append(Finding(
                rule=Rule.CORRUPT_ELF, severity=Severity.ERROR, path=path,
                distribution=distribution,
                message=f"{path} starts like an ELF file but cannot be read: {facts}",
                fix="rebuild the layer; a truncated or damaged native file cannot load",
            ))  # fmt: skip
            continue
        if facts.architecture is not policy.architecture:
            findings.append(Finding(
                rule=Rule.ARCHITECTURE, severity=Severity.ERROR, path=path,
                distribution=distribution,
                message=f"{path} is built for {facts.description}, but the layer is for "
                f"{policy.architecture.value} ({wanted.machine}): Lambda fails to import it",
                fix=f"resolve wheels for {wanted.machine} (`--arch {policy.architecture.value}` "
                "with the local builder), or use the docker builder in an image of that "
                "architecture; never copy site-packages from another machine",
            ))  # fmt: skip
            continue
        for library, version in facts.version_needs:
            matched = _VERSIONED.match(version)
            if not matched:
                continue
            kind, number = matched[1], _version(matched[2])
            ceiling = glibc if kind == "GLIBC" else glibcxx
            if number > ceiling:
                findings.append(Finding(
                    rule=Rule.GLIBC if kind == "GLIBC" else Rule.GLIBCXX,
                    severity=Severity.ERROR, path=path, distribution=distribution,
                    message=f"{path} needs {version} (from {library}), but {policy.runtime.name} "
                    f"runs on {base}, which has {kind} {_dotted(ceiling)}",
                    fix=f"use wheels tagged {policy.runtime.manylinux} or older for "
                    f"{policy.runtime.name} (an older release of the distribution), or build "
                    f"it from source in a {policy.runtime.name} image",
                ))  # fmt: skip
        for library in facts.needed:
            if library not in allowed and library not in provided:
                findings.append(Finding(
                    rule=Rule.MISSING_LIBRARY, severity=Severity.ERROR, path=path,
                    distribution=distribution,
                    message=f"{path} needs {library}, which is neither in the layer nor in "
                    f"{base}'s base system",
                    fix="use a wheel that bundles its libraries (manylinux wheels do), or add "
                    "the library to the layer (auditwheel repair grafts them)",
                ))  # fmt: skip
    return findings
