"""Smoke runs: one function on one runtime and architecture, every event checked."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lambda_layers.base.errors import LayerToolError
from lambda_layers.engine.client import Client
from lambda_layers.layer.contents import LayerContents
from lambda_layers.layer.functions import FunctionSpec
from lambda_layers.platform.facts import Architecture, Runtime
from lambda_layers.run.expect import judge
from lambda_layers.run.invoke import Invocation, invoke
from lambda_layers.run.records import RunRecords
from lambda_layers.run.stack import Scratch


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionTarget:
    function: FunctionSpec
    runtime: Runtime
    architecture: Architecture

    @property
    def label(self) -> str:
        return f"{self.function.name} {self.runtime.name} {self.architecture.value}"


@dataclass(frozen=True, slots=True, kw_only=True)
class EventOutcome:
    name: str
    problems: tuple[str, ...]
    duration_ms: float | None

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True, kw_only=True)
class SmokeResult:
    target: FunctionTarget
    image: str = ""
    init_ms: float | None = None
    events: tuple[EventOutcome, ...] = ()
    seconds: float = 0.0
    error: str = ""
    """A failure before any event could be judged (no image, container died, ...)."""
    skipped: str = ""
    records: RunRecords | None = field(default=None, repr=False)

    @property
    def passed(self) -> bool:
        return not self.error and all(event.passed for event in self.events)

    def problems(self) -> list[str]:
        found = [self.error] if self.error else []
        found += [f"{event.name}: {problem}" for event in self.events for problem in event.problems]
        return found


def run_smoke(
    client: Client,
    *,
    target: FunctionTarget,
    image: str,
    layers: Sequence[LayerContents],
    workspace: Scratch,
    root: Path,
    services: Mapping[str, str],
    handler: str | None = None,
) -> SmokeResult:
    """Run every smoke event of `target` in one fresh container; judge each response."""
    started = time.perf_counter()
    function = target.function
    try:
        records = invoke(
            client,
            Invocation(
                function=function,
                runtime=target.runtime,
                architecture=target.architecture,
                image=image,
                stack=workspace.stack(layers),
                code=function.code_directory(root),
                events=function.events,
                services=services,
                handler=handler,
                probe=function.imports,
            ),
            scratch=workspace.directory,
        )
    except LayerToolError as error:
        return SmokeResult(
            target=target, image=image, error=str(error), seconds=time.perf_counter() - started
        )
    outcomes = tuple(
        EventOutcome(name=event.name, problems=tuple(judge(event, invocation)),
                     duration_ms=invocation.duration_ms)
        for event, invocation in zip(function.events, records.invocations, strict=True)
    )  # fmt: skip
    return SmokeResult(
        target=target,
        image=image,
        init_ms=records.init_ms,
        events=outcomes,
        seconds=time.perf_counter() - started,
        records=records,
    )
