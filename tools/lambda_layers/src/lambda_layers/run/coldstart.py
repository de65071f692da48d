"""Cold-start report: init with and without `.pyc`, and two modules' import times, as ratios.

Each sample runs in a fresh container; the two variants alternate so machine load hits both alike.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lambda_layers.base.errors import ContainerError
from lambda_layers.base.files import write_atomically
from lambda_layers.engine.client import Client
from lambda_layers.layer.contents import LayerContents
from lambda_layers.layer.functions import FunctionSpec
from lambda_layers.platform.facts import Architecture, Runtime
from lambda_layers.run.invoke import FunctionRun, invoke
from lambda_layers.run.stack import Scratch

COLD_START_NAME = "cold-start"


@dataclass(frozen=True, slots=True, kw_only=True)
class InitComparison:
    function: str
    runtime: str
    architecture: str
    with_pyc_ms: tuple[float, ...]
    without_pyc_ms: tuple[float, ...]
    first_response_with_pyc_ms: tuple[float, ...] = ()
    first_response_without_pyc_ms: tuple[float, ...] = ()
    """Init plus the first invocation: what the first caller waits for (lazy imports included)."""

    @property
    def ratio(self) -> float:
        """Median init without `.pyc` over median init with them (>1: the `.pyc` help)."""
        return statistics.median(self.without_pyc_ms) / statistics.median(self.with_pyc_ms)

    @property
    def first_response_ratio(self) -> float:
        return statistics.median(self.first_response_without_pyc_ms) / statistics.median(
            self.first_response_with_pyc_ms
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportComparison:
    runtime: str
    architecture: str
    layer: str
    modules: tuple[str, str]
    samples_ms: tuple[tuple[float, ...], tuple[float, ...]]

    @property
    def ratio(self) -> float:
        """Median import of the second module over median import of the first."""
        first, second = self.samples_ms
        return statistics.median(second) / statistics.median(first)


def stack_label(layers: Sequence[LayerContents]) -> str:
    """How a stack is named in the report: its layers in order."""
    return " + ".join(layer.name for layer in layers)


def _init_sample(client: Client, run: FunctionRun, *, scratch: Path) -> tuple[float, float]:
    """Init duration, and init plus the first invocation."""
    records = invoke(client, run, scratch=scratch)
    first = records.invocations[0] if records.invocations else None
    if records.init_ms is None or first is None or first.duration_ms is None or not first.ok:
        raise ContainerError(
            f"{run.label}: no cold start to measure ({records.init_error or records.log_text(10)})"
        )
    return records.init_ms, records.init_ms + first.duration_ms


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """The stack measured: a function on one runtime, architecture and image."""

    function: FunctionSpec
    runtime: Runtime
    architecture: Architecture
    image: str
    layers: tuple[LayerContents, ...]
    root: Path

    def run(self, *, stack: Path, **changes: object) -> FunctionRun:
        base = FunctionRun(
            function=self.function, runtime=self.runtime, architecture=self.architecture,
            image=self.image, stack=stack, code=self.function.code_directory(self.root),
            events=self.function.events[:1],
        )  # fmt: skip
        return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def compare_init(
    client: Client,
    subject: Subject,
    *,
    workspace: Scratch,
    services: Mapping[str, str],
    repeats: int,
) -> InitComparison:
    """Init of the function (its first event only) on the stack with and without `.pyc`."""
    samples: dict[bool, list[float]] = {True: [], False: []}
    first: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):
        for bytecode in (True, False):
            run = subject.run(
                stack=workspace.stack(subject.layers, bytecode=bytecode), services=services
            )
            init, response = _init_sample(client, run, scratch=workspace.directory)
            samples[bytecode].append(init)
            first[bytecode].append(response)
    return InitComparison(
        function=subject.function.name, runtime=subject.runtime.name,
        architecture=subject.architecture.value, with_pyc_ms=tuple(samples[True]),
        without_pyc_ms=tuple(samples[False]), first_response_with_pyc_ms=tuple(first[True]),
        first_response_without_pyc_ms=tuple(first[False]),
    )  # fmt: skip


def compare_imports(
    client: Client,
    subject: Subject,
    *,
    modules: tuple[str, str],
    workspace: Scratch,
    repeats: int,
) -> ImportComparison:
    """`import` of each of two modules, each in a fresh container and process."""
    samples: dict[str, list[float]] = {module: [] for module in modules}
    stack = workspace.stack(subject.layers)
    for _ in range(repeats):
        for module, found in samples.items():
            run = subject.run(stack=stack, events=(), probe=(module,))
            records = invoke(client, run, scratch=workspace.directory)
            probe = records.probes[0] if records.probes else None
            if probe is None or not probe.ok or probe.ms is None:
                raise ContainerError(f"{run.label}: import {module} failed: {probe}")
            found.append(probe.ms)
    return ImportComparison(
        runtime=subject.runtime.name, architecture=subject.architecture.value,
        layer=stack_label(subject.layers), modules=modules,
        samples_ms=(tuple(samples[modules[0]]), tuple(samples[modules[1]])),
    )  # fmt: skip


def _median(values: Sequence[float]) -> float:
    return round(statistics.median(values), 1)


def _import_record(item: ImportComparison) -> dict[str, object]:
    (first, second), samples = item.modules, item.samples_ms
    record: dict[str, object] = {"runtime": item.runtime, "architecture": item.architecture,
                                 "stack": item.layer, "modules": list(item.modules)}  # fmt: skip
    for module, values in zip(item.modules, samples, strict=True):
        record[f"{module}_ms"] = list(values)
    for module, values in zip(item.modules, samples, strict=True):
        record[f"median_{module}_ms"] = _median(values)
    return record | {f"ratio_{second}_over_{first}": round(item.ratio, 2)}


def _as_json(inits: Sequence[InitComparison], imports: Sequence[ImportComparison]) -> str:
    return json.dumps(
        {
            "init": [
                dataclasses.asdict(item)
                | {
                    "median_with_pyc_ms": _median(item.with_pyc_ms),
                    "median_without_pyc_ms": _median(item.without_pyc_ms),
                    "ratio_without_over_with": round(item.ratio, 3),
                    "first_response_ratio_without_over_with": round(item.first_response_ratio, 3),
                }
                for item in inits
            ],
            "imports": [_import_record(item) for item in imports],
        },
        indent=2,
    )


def _as_markdown(inits: Sequence[InitComparison], imports: Sequence[ImportComparison]) -> str:
    lines = [
        "# Cold start",
        "",
        "Measured on this machine in one run (Docker stand-in images, not Lambda): medians of "
        "fresh containers, the variants alternated. Ratios hold better than absolute times.",
        "",
        "## Init duration: layers with their `.pyc` and without",
        "",
        "Init: from the runtime's start to its first request for an event (the handler "
        "module imported). First response: init plus the first invocation, which pays for "
        "whatever the handler imports lazily.",
        "",
        "| function | runtime | arch | init with .pyc (ms) | init without (ms) | ratio "
        "| first response with .pyc (ms) | first response without (ms) | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| {i.function} | {i.runtime} | {i.architecture} | {_median(i.with_pyc_ms)} | "
        f"{_median(i.without_pyc_ms)} | {i.ratio:.2f}x | {_median(i.first_response_with_pyc_ms)} "
        f"| {_median(i.first_response_without_pyc_ms)} | {i.first_response_ratio:.2f}x |"
        for i in inits
    ]
    for first, second in dict.fromkeys(item.modules for item in imports):
        lines += [
            "",
            f"## `import {first}` against `import {second}`",
            "",
            f"| runtime | arch | stack | import {first} (ms) | import {second} (ms) | ratio |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {i.runtime} | {i.architecture} | {i.layer} | {_median(i.samples_ms[0])} | "
            f"{_median(i.samples_ms[1])} | {i.ratio:.1f}x |"
            for i in imports
            if i.modules == (first, second)
        ]
    return "\n".join(lines) + "\n"


def write_cold_start(
    inits: Sequence[InitComparison], imports: Sequence[ImportComparison], directory: Path
) -> tuple[Path, Path]:
    json_path = write_atomically(
        directory / f"{COLD_START_NAME}.json", _as_json(inits, imports) + "\n"
    )
    markdown_path = write_atomically(
        directory / f"{COLD_START_NAME}.md", _as_markdown(inits, imports)
    )
    return json_path, markdown_path
