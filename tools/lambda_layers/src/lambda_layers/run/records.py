"""What the in-container Runtime API reported, read back from its JSON lines into typed records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lambda_layers.base.errors import ContainerError
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
class ImportProbe:
    """Whether a module imported from the stack, from which file, and in how long."""

    module: str
    ok: bool
    file: str | None = None
    ms: float | None = None
    error: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRecords:
    """Everything one container run reported, in order."""

    init_ms: float | None
    init_error: dict[str, Any] | None
    invocations: tuple[Invocation, ...]
    logs: tuple[str, ...]
    exit_code: int | None
    probes: tuple[ImportProbe, ...] = ()

    def log_text(self, last: int = 40) -> str:
        return "\n".join(self.logs[-last:])


def parse_records(output: str, *, source: str) -> RunRecords:
    """Read the prefixed JSON lines of `output` (other lines are the engine's, ignored)."""
    init_ms: float | None = None
    init_error: dict[str, Any] | None = None
    invocations: dict[int, Invocation] = {}
    logs: list[str] = []
    exit_code: int | None = None
    probes: list[ImportProbe] = []
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
            invocations[int(record["index"])] = Invocation(
                name=str(record["name"]),
                ok=bool(record["ok"]),
                response=record.get("response"),
                error=dict(record.get("error") or {}),
                duration_ms=record.get("duration_ms"),
                phase=str(record.get("phase", "invoke")),
            )
        elif kind == "probe":
            probes = [
                ImportProbe(
                    module=str(item["module"]),
                    ok=bool(item["ok"]),
                    file=item.get("file"),
                    ms=item.get("ms"),
                    error=str(item.get("error", "")),
                )
                for item in record["results"]
            ]
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
        init_ms=init_ms,
        init_error=init_error,
        invocations=tuple(invocations[index] for index in sorted(invocations)),
        logs=tuple(logs),
        exit_code=exit_code,
        probes=tuple(probes),
    )
