"""`published.json`: every published zip's ARN, and each function's stack as ordered ARNs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from lambda_layers.base.documents import read_model
from lambda_layers.base.files import write_atomically
from lambda_layers.layer.functions import FunctionSpec
from lambda_layers.layer.targets import zip_name

PUBLISHED_NAME = "published.json"
SCHEMA_VERSION = 1


class PublishedLayer(BaseModel):
    """One zip as a Lambda layer version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    layer: str
    runtime: str
    architecture: str
    layer_name: str
    version: int
    arn: str
    sha256: str
    input_hash: str


class PublishedFunction(BaseModel):
    """A declared function's stack: `arns[arch]` in the declared order, for each architecture
    whose every layer is published; the others are listed in `missing[arch]`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    runtime: str
    layers: list[str]
    arns: dict[str, list[str]] = Field(default_factory=dict)
    missing: dict[str, list[str]] = Field(default_factory=dict)


class Published(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = SCHEMA_VERSION
    region: str
    prefix: str
    layers: dict[str, PublishedLayer] = Field(default_factory=dict)
    """By zip name (`<layer>-<runtime>-<arch>.zip`)."""
    functions: dict[str, PublishedFunction] = Field(default_factory=dict)

    def arns(self) -> frozenset[str]:
        return frozenset(layer.arn for layer in self.layers.values())


def read_published(path: Path) -> Published | None:
    fix = "delete it and publish again (unchanged layers are reused, not duplicated)"
    return read_model(path, Published, what=PUBLISHED_NAME, fix=fix)


def function_stacks(
    functions: Sequence[FunctionSpec], layers: dict[str, PublishedLayer]
) -> dict[str, PublishedFunction]:
    """Each function's layer ARNs per architecture, in the order its declaration stacks them."""
    by_target = {(i.layer, i.runtime, i.architecture): i.arn for i in layers.values()}
    stacks: dict[str, PublishedFunction] = {}
    for function in functions:
        arns: dict[str, list[str]] = {}
        missing: dict[str, list[str]] = {}
        for architecture in function.architectures:
            wanted = [(layer, function.runtime, architecture.value) for layer in function.layers]
            absent = [
                zip_name(layer, function.runtime, architecture)
                for layer, _, _ in wanted
                if (layer, function.runtime, architecture.value) not in by_target
            ]
            if absent:
                missing[architecture.value] = absent
            else:
                arns[architecture.value] = [by_target[key] for key in wanted]
        stacks[function.name] = PublishedFunction(
            runtime=function.runtime, layers=list(function.layers), arns=arns, missing=missing
        )
    return stacks


def merged(
    *,
    previous: Published | None,
    region: str,
    prefix: str,
    current: Iterable[tuple[str, PublishedLayer]],
    still_built: frozenset[str],
    functions: Sequence[FunctionSpec],
) -> Published:
    """This run's layers over the previous record's (same region and prefix, zips still built)."""
    layers: dict[str, PublishedLayer] = {}
    if previous is not None and (previous.region, previous.prefix) == (region, prefix):
        layers.update((name, item) for name, item in previous.layers.items() if name in still_built)
    layers.update(current)
    ordered = dict(sorted(layers.items()))
    return Published(
        region=region, prefix=prefix, layers=ordered, functions=function_stacks(functions, ordered)
    )


def write_published(path: Path, published: Published) -> Path:
    """Write atomically: a deployment never reads half a record."""
    return write_atomically(path, published.model_dump_json(indent=2) + "\n")
