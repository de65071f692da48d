"""What may be published: the zips the manifest vouches for (pure over files; no AWS call).

Every offender is collected, then the whole run refuses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lambda_layers.base.errors import ConfigurationError, RefusedZipError
from lambda_layers.base.files import sha256_of
from lambda_layers.builder.manifest import MANIFEST_NAME, LayerEntry, read_manifest
from lambda_layers.layer.targets import Selection, ZipName

PASSED = "passed"
# https://docs.aws.amazon.com/lambda/latest/api/API_PublishLayerVersion.html#lambda-PublishLayerVersion-request-LayerName
LAYER_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,140}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A zip that may be published: present, listed, verified, and byte-for-byte the built one."""

    entry: LayerEntry
    path: Path
    layer_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DistPlan:
    candidates: list[Candidate]
    skipped: list[LayerEntry]
    """Built but left out by the filters."""


def lambda_layer_name(*, prefix: str, entry: LayerEntry) -> str:
    """`[<prefix>-]<layer>-<runtime without dot>-<arch>`: one Lambda layer per zip, so "the
    newest version" of a name is always for one runtime and architecture."""
    base = f"{entry.layer}-{entry.runtime.replace('.', '')}-{entry.architecture}"
    name = f"{prefix.rstrip('-_')}-{base}" if prefix else base
    if not LAYER_NAME.match(name):
        raise ConfigurationError(
            f"--prefix {prefix!r}: the layer name {name!r} is not a valid Lambda layer name "
            "(letters, digits, '-' and '_', at most 140 characters)"
        )
    return name


def _rebuild(entry: LayerEntry) -> str:
    return (
        f"lambda-layers build --force --layer {entry.layer} --runtime {entry.runtime} "
        f"--arch {entry.architecture}"
    )


def _refusal(entry: LayerEntry, path: Path, dist: Path) -> str | None:
    if not path.is_file():
        return (
            f"{path}: listed in {dist / MANIFEST_NAME} but missing; rebuild it with "
            f"`{_rebuild(entry)}`"
        )
    if entry.verification != PASSED:
        return (
            f"{path}: the manifest records verification {entry.verification!r}, not "
            f"{PASSED!r}; fix the findings and rebuild with `{_rebuild(entry)}`"
        )
    actual = sha256_of(path)
    if actual != entry.sha256:
        return (
            f"{path}: sha256 {actual} does not match the manifest's {entry.sha256}: the zip "
            f"changed after it was built and verified; rebuild it with `{_rebuild(entry)}`"
        )
    return None


def _stray(path: Path, selection: Selection, dist: Path) -> str | None:
    parts = ZipName.parse(path.name)
    if parts and not selection.admits(
        name=parts.layer, runtime=parts.runtime, architecture=parts.architecture.value
    ):
        return None
    return (
        f"{path}: not in {dist / MANIFEST_NAME}, so nothing vouches that it was built and "
        "verified; build it with `lambda-layers build` (or delete the stray zip)"
    )


def plan_dist(*, dist: Path, selection: Selection, prefix: str) -> DistPlan:
    """The zips to publish, or one RefusedZipError naming every zip that may not be."""
    selection.check_names()
    manifest = read_manifest(dist)
    if not manifest.layers:
        raise ConfigurationError(
            f"{dist / MANIFEST_NAME}: no built layers; run `lambda-layers build` first"
        )
    for option, wanted, known in (
        ("--layer", selection.names, {e.layer for e in manifest.layers.values()}),
        ("--runtime", selection.runtimes, {e.runtime for e in manifest.layers.values()}),
        ("--arch", selection.architectures, {e.architecture for e in manifest.layers.values()}),
    ):
        unknown = sorted(set(wanted) - known)
        if unknown:
            raise ConfigurationError(
                f"{option} {unknown}: no built zip in {dist} has it (built: {sorted(known)})"
            )
    problems = [
        problem
        for path in sorted(dist.glob("*.zip"))
        if path.name not in manifest.layers
        for problem in [_stray(path, selection, dist)]
        if problem
    ]
    candidates: list[Candidate] = []
    skipped: list[LayerEntry] = []
    for name, entry in manifest.layers.items():
        if not selection.admits(
            name=entry.layer, runtime=entry.runtime, architecture=entry.architecture
        ):
            skipped.append(entry)
            continue
        path = dist / name
        refusal = _refusal(entry, path, dist)
        if refusal:
            problems.append(refusal)
            continue
        layer_name = lambda_layer_name(prefix=prefix, entry=entry)
        candidates.append(Candidate(entry=entry, path=path, layer_name=layer_name))
    if problems:
        raise RefusedZipError(
            f"refusing to publish ({len(problems)} problem{'s' * (len(problems) > 1)}; "
            "nothing was uploaded):\n  - " + "\n  - ".join(problems)
        )
    return DistPlan(candidates=candidates, skipped=skipped)
