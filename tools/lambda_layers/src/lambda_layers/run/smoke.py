"""Smoke runs: one function on one runtime and architecture, each response judged."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lambda_layers.base.errors import LayerToolError
from lambda_layers.engine.client import Client
from lambda_layers.layer.contents import LayerContents
from lambda_layers.layer.functions import FunctionSpec, SmokeEvent
from lambda_layers.platform.facts import Architecture, Runtime
from lambda_layers.run.invoke import FunctionRun, invoke
from lambda_layers.run.records import Invocation, RunRecords
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
    timeout_factor: float = 1.0
    """Times the function's timeout its invocations had (more than 1: emulated)."""

    @property
    def passed(self) -> bool:
        return not self.error and all(event.passed for event in self.events)

    def problems(self) -> list[str]:
        found = [self.error] if self.error else []
        found += [f"{event.name}: {problem}" for event in self.events for problem in event.problems]
        return found


def differences(expected: Any, actual: Any, path: str = "response") -> list[str]:
    """Where `actual` fails to contain `expected`.

    An object must hold every expected key with a matching value (extra keys are fine), except
    that an empty expected object demands an empty one. Lists and scalars must be equal.
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        if not expected:
            return [] if not actual else [f"{path}: expected an empty object, got {actual!r}"]
        found: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{path}.{key}: missing")
            else:
                found.extend(differences(value, actual[key], f"{path}.{key}"))
        return found
    if expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def judge(event: SmokeEvent, invocation: Invocation) -> list[str]:
    """Every way `invocation` misses what `event` expects (empty: it passed)."""
    if event.expect_error is not None:
        if invocation.ok:
            return [f"expected error {event.expect_error}, got a response {invocation.response!r}"]
        if invocation.error_type != event.expect_error:
            return [
                f"expected error {event.expect_error}, got {invocation.error_type}: "
                f"{invocation.error_message}"
            ]
        return []
    if not invocation.ok:
        return [f"failed with {invocation.error_type}: {invocation.error_message}"]
    return differences(event.expect, invocation.response)


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
    timeout_factor: float = 1.0,
) -> SmokeResult:
    """Run every smoke event of `target` in one fresh container; judge each response.
    `timeout_factor` stretches the function's timeout (an emulated architecture's runs)."""
    started = time.perf_counter()
    function = target.function
    try:
        records = invoke(
            client,
            FunctionRun(
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
                timeout_factor=timeout_factor,
            ),
            scratch=workspace.directory,
        )
    except LayerToolError as error:
        return SmokeResult(
            target=target, image=image, error=str(error), seconds=time.perf_counter() - started,
            timeout_factor=timeout_factor,
        )  # fmt: skip
    outcomes = tuple(
        EventOutcome(name=event.name, problems=tuple(judge(event, invocation)),
                     duration_ms=invocation.duration_ms)
        for event, invocation in zip(function.events, records.invocations, strict=True)
    )  # fmt: skip
    return SmokeResult(
        target=target, image=image, init_ms=records.init_ms, events=outcomes,
        seconds=time.perf_counter() - started, records=records, timeout_factor=timeout_factor,
    )  # fmt: skip
