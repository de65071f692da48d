"""What the in-container Runtime API reported, read back from its JSON lines into typed records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lambda_layers.base.errors import ContainerError
from lambda_layers.layer.probe import Imported
from lambda_layers.run.runtime_api import RECORD_PREFIX


@dataclass(frozen=True, slots=True, kw_only=True)
class Invocation:
    """One event's outcome: a response, or an error as Lambda reports it."""

    name: str
    ok: bool
    response: Any = None
    error: dict[str, Any] = field(default_factory=dict)
    duration_ms: float | None = None
    phase: str = "invoke"

    @property
    def error_type(self) -> str:
        return str(self.error.get("errorType", ""))

    @property
    def error_message(self) -> str:
        return str(self.error.get("errorMessage", ""))


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRecords:
    """Everything one container run reported, in order."""

    init_ms: float | None
    init_error: dict[str, Any] | None
    invocations: tuple[Invocation, ...]
    logs: tuple[str, ...]
    exit_code: int | None
    probes: tuple[Imported, ...] = ()

    def log_text(self, last: int = 40) -> str:
        return "\n".join(self.logs[-last:])


def parse_records(output: str, *, source: str) -> RunRecords:
    """Read the prefixed JSON lines of `output` (other lines are the engine's, ignored)."""
    init_ms: float | None = None
    init_error: dict[str, Any] | None = None
    invocations: dict[int, Invocation] = {}
    logs: list[str] = []
    exit_code: int | None = None
    probes: list[Imported] = []
    summary_seen = False
    for line in output.splitlines():
        start = line.find(RECORD_PREFIX)
        if start < 0:
            if line.strip():
                logs.append(line)
            continue
        record: dict[str, Any] = json.loads(line[start + len(RECORD_PREFIX) :])
        kind = record.get("kind")
        if kind == "log":
            logs.append(f"[{record['stream']}] {record['text']}")
        elif kind == "init":
            init_ms = float(record["duration_ms"])
        elif kind == "init_error":
            init_error = dict(record["error"])
        elif kind == "invocation":
            fields = ("name", "ok", "response", "error", "duration_ms", "phase")
            invocations[record["index"]] = Invocation(
                **{k: record[k] for k in fields if k in record}
            )
        elif kind == "probe":
            probes = [Imported(**item) for item in record["results"]]
        elif kind == "summary":
            summary_seen = True
            exit_code = record.get("exit_code")
    if not summary_seen:
        tail = "\n".join(logs[-20:])
        raise ContainerError(
            f"{source}: the Runtime API harness ended without its summary (the container died or "
            f"could not start Python); last output:\n{tail}"
        )
    return RunRecords(
        init_ms=init_ms, init_error=init_error,
        invocations=tuple(invocations[index] for index in sorted(invocations)), logs=tuple(logs),
        exit_code=exit_code, probes=tuple(probes),
    )  # fmt: skip
