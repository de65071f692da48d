"""Build targets: one per layer, runtime and architecture (arm64 first: Lambda's cheaper one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.layer.spec import LayerSpec
from lambda_layers.layer.targets import Selection, ZipName
from lambda_layers.platform.facts import Architecture, Runtime, runtime

_ARCHITECTURE_ORDER = {Architecture.ARM64: 0, Architecture.X86_64: 1}


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class BuildTarget:
    """Identified by its zip name (layer, runtime, architecture)."""

    spec: LayerSpec
    runtime: Runtime
    architecture: Architecture

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BuildTarget) and other.zip_name == self.zip_name

    def __hash__(self) -> int:
        return hash(self.zip_name)

    @property
    def zip_name(self) -> str:
        return str(self.name)

    @property
    def stem(self) -> str:
        return self.name.stem

    @property
    def name(self) -> ZipName:
        return ZipName(
            layer=self.spec.name, runtime=self.runtime.name, architecture=self.architecture
        )


def plan_targets(
    specs: Sequence[LayerSpec],
    *,
    layers: Sequence[str] = (),
    runtimes: Sequence[str] = (),
    architectures: Sequence[str] = (),
) -> list[BuildTarget]:
    """Every target the specs declare, narrowed by the options; unknown names are errors."""
    Selection(runtimes=runtimes, architectures=architectures).check_names()
    known = {spec.name for spec in specs}
    unknown = sorted(set(layers) - known)
    if unknown:
        raise ConfigurationError(
            f"unknown layers {unknown}: the specs in layers/ are {sorted(known)}"
        )
    targets = [
        BuildTarget(spec=spec, runtime=runtime(name), architecture=architecture)
        for spec in specs
        if not layers or spec.name in layers
        for architecture in spec.architectures
        if not architectures or architecture.value in architectures
        for name in spec.runtimes
        if not runtimes or name in runtimes
    ]
    if not targets:
        raise ConfigurationError(
            f"nothing to build: no spec declares layers={list(layers) or 'any'}, "
            f"runtimes={list(runtimes) or 'any'}, architectures={list(architectures) or 'any'}"
        )
    return sorted(
        targets,
        key=lambda t: (_ARCHITECTURE_ORDER[t.architecture], t.spec.name, t.runtime.name),
    )
