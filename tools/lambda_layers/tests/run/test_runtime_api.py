"""The Runtime API served by runtime_api.py: the protocol over plain HTTP, and whole sessions
driven with the real awslambdaric (installed for the host) and with a tiny hand-written runtime."""

from __future__ import annotations

import http.client
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from lambda_layers.layer import probe
from lambda_layers.run import runtime_api
from lambda_layers.run.records import parse_records
from lambda_layers.run.runtime_api import API_PREFIX, Session, drive, serve, stdout_emitter

ARN = "arn:aws:lambda:us-east-1:123456789012:function:demo"


def _session(events: list[dict[str, Any]], *, timeout: float = 30) -> tuple[Session, io.StringIO]:
    output = io.StringIO()
    session = Session(
        events=events, function_arn=ARN, timeout_seconds=timeout, emit=stdout_emitter(output)
    )
    return session, output


def _request(
    port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    payload = None if body is None else json.dumps(body)
    connection.request(method, path, body=payload, headers=headers or {})
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


def test_next_hands_out_events_with_lambdas_headers_and_takes_responses() -> None:
    # GIVEN a session of two events served on 127.0.0.1
    session, output = _session([{"name": "a", "event": {"n": 1}}, {"name": "b", "event": {"n": 2}}])
    server = serve(session)
    port = server.server_address[1]
    try:
        # WHEN a runtime asks for the next event
        status, headers, body = _request(port, "GET", f"{API_PREFIX}/invocation/next")
        # THEN it gets the first event and Lambda's headers
        assert status == 200
        assert json.loads(body) == {"n": 1}
        request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        assert headers["Lambda-Runtime-Invoked-Function-Arn"] == ARN
        assert int(headers["Lambda-Runtime-Deadline-Ms"]) > 0
        assert headers["Lambda-Runtime-Trace-Id"].startswith("Root=1-")
        # AND a response for another request id is refused, its own is accepted
        assert _request(port, "POST", f"{API_PREFIX}/invocation/nope/response", {})[0] == 400
        path = f"{API_PREFIX}/invocation/{request_id}/response"
        assert _request(port, "POST", path, {"ok": 1})[0] == 202
        # AND the second event fails through the error route, with the error type header
        _, headers, _ = _request(port, "GET", f"{API_PREFIX}/invocation/next")
        error = {"errorMessage": "boom", "errorType": "ValueError", "stackTrace": []}
        path = f"{API_PREFIX}/invocation/{headers['Lambda-Runtime-Aws-Request-Id']}/error"
        assert (
            _request(
                port, "POST", path, error, {"Lambda-Runtime-Function-Error-Type": "Unhandled"}
            )[0]
            == 202
        )
        assert _request(port, "GET", "/2018-06-01/runtime/nowhere")[0] == 404
    finally:
        session.close()
        server.shutdown()
    output.write('@@lambda-run@@ {"kind": "summary", "exit_code": 0, "init_ms": 1}\n')
    records = parse_records(output.getvalue(), source="test")
    assert [(i.name, i.ok) for i in records.invocations] == [("a", True), ("b", False)]
    assert records.invocations[0].response == {"ok": 1}
    assert records.invocations[1].error_type == "ValueError"
    assert records.init_ms is not None


def test_init_error_route_records_the_error() -> None:
    session, output = _session([{"name": "a", "event": {}}])
    server = serve(session)
    try:
        error = {
            "errorMessage": "Unable to import module 'x'",
            "errorType": "Runtime.ImportModuleError",
        }
        status, _, _ = _request(server.server_address[1], "POST", f"{API_PREFIX}/init/error", error)
    finally:
        session.close()
        server.shutdown()
    assert status == 202
    assert session.init_error is not None
    assert session.init_error["errorType"] == "Runtime.ImportModuleError"
    assert '"kind": "init_error"' in output.getvalue()


# A runtime written against the documented protocol with urllib only: what a custom runtime does.
TINY_RUNTIME = textwrap.dedent(
    """
    import json, os, sys, time, urllib.request
    api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
    mode = sys.argv[1]
    if mode == "exit":
        sys.exit(3)
    while True:
        with urllib.request.urlopen(api + "/invocation/next") as reply:
            request_id = reply.headers["Lambda-Runtime-Aws-Request-Id"]
            event = json.loads(reply.read())
        if mode == "sleep":
            time.sleep(30)
        body = json.dumps({"echo": event, "handler": os.environ["_HANDLER"]}).encode()
        urllib.request.urlopen(urllib.request.Request(
            api + "/invocation/" + request_id + "/response", data=body, method="POST"))
    """
)


def _drive(
    command: list[str],
    events: list[dict[str, Any]],
    *,
    timeout: float = 30,
    environment: dict[str, str] | None = None,
) -> Any:
    session, output = _session(events, timeout=timeout)
    emit = stdout_emitter(output)
    drive(
        command=command,
        environment={"_HANDLER": "h.h", **(environment or {})},
        session=session,
        emit=emit,
    )
    return parse_records(output.getvalue(), source="test")


def test_a_session_runs_every_event_then_stops_the_runtime() -> None:
    records = _drive(
        [sys.executable, "-c", TINY_RUNTIME, "echo"],
        [{"name": "one", "event": {"a": 1}}, {"name": "two", "event": {"b": 2}}],
    )
    assert [i.response for i in records.invocations] == [
        {"echo": {"a": 1}, "handler": "h.h"},
        {"echo": {"b": 2}, "handler": "h.h"},
    ]
    assert records.init_ms is not None and records.init_ms > 0
    assert all(i.duration_ms is not None for i in records.invocations)


def test_a_runtime_that_exits_fails_every_event_with_runtime_exit_error() -> None:
    records = _drive([sys.executable, "-c", TINY_RUNTIME, "exit"], [{"name": "one", "event": {}}])
    (invocation,) = records.invocations
    assert invocation.error_type == "Runtime.ExitError"
    assert "exit status 3" in invocation.error_message
    assert invocation.phase == "init"


def test_an_invocation_past_its_timeout_fails_with_sandbox_timedout() -> None:
    records = _drive(
        [sys.executable, "-c", TINY_RUNTIME, "sleep"],
        [{"name": "slow", "event": {}}, {"name": "next", "event": {}}],
        timeout=1,
    )
    assert records.invocations[0].error_type == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in records.invocations[0].error_message
    assert records.invocations[1].error_type == "Runtime.ExitError"


# ------------------------------------------------------------- the real awslambdaric, on the host

HANDLERS = {
    "good.py": "def handle(event, context):\n"
    "    return {'got': event, 'name': context.function_name,\n"
    "            'remaining_ok': context.get_remaining_time_in_millis() > 0}\n",
    "raises.py": "def handle(event, context):\n    raise KeyError('missing thing')\n",
    "broken.py": "import module_that_is_not_in_any_layer\n",
}


@pytest.fixture
def handler_directory(tmp_path: Path) -> Path:
    for name, source in HANDLERS.items():
        (tmp_path / name).write_text(source)
    return tmp_path


def _ric(handler: str, ric: Path, code: Path, events: list[dict[str, Any]]) -> Any:
    return _drive(
        [sys.executable, "-m", "awslambdaric", handler],
        events,
        environment={
            "PYTHONPATH": os.pathsep.join([str(code), str(ric)]),
            "AWS_LAMBDA_FUNCTION_NAME": "demo",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/demo",
            "AWS_LAMBDA_LOG_STREAM_NAME": "local",
            "_HANDLER": handler,
        },
    )


def test_awslambdaric_gets_events_and_posts_responses(
    host_awslambdaric: Path, handler_directory: Path
) -> None:
    records = _ric(
        "good.handle",
        host_awslambdaric,
        handler_directory,
        [{"name": "e1", "event": {"x": 1}}, {"name": "e2", "event": {"x": 2}}],
    )
    assert [i.response for i in records.invocations] == [
        {"got": {"x": 1}, "name": "demo", "remaining_ok": True},
        {"got": {"x": 2}, "name": "demo", "remaining_ok": True},
    ], records.log_text()


def test_awslambdaric_reports_a_handler_exception_as_an_error_response(
    host_awslambdaric: Path, handler_directory: Path
) -> None:
    records = _ric(
        "raises.handle", host_awslambdaric, handler_directory, [{"name": "e", "event": {}}]
    )
    (invocation,) = records.invocations
    assert invocation.error_type == "KeyError"
    assert "missing thing" in invocation.error_message
    assert invocation.phase == "invoke"


@pytest.mark.parametrize(
    ("handler", "error_type", "named"),
    [
        ("broken.handle", "Runtime.ImportModuleError", "module_that_is_not_in_any_layer"),
        ("good.nowhere", "Runtime.HandlerNotFound", "nowhere"),
        ("absent.handle", "Runtime.ImportModuleError", "absent"),
    ],
)
def test_awslambdaric_init_failures_surface_as_lambda_reports_them(
    host_awslambdaric: Path, handler_directory: Path, handler: str, error_type: str, named: str
) -> None:
    records = _ric(handler, host_awslambdaric, handler_directory, [{"name": "e", "event": {}}])
    assert records.init_error is not None
    assert records.init_error["errorType"] == error_type
    (invocation,) = records.invocations
    assert invocation.error_type == error_type
    assert named in invocation.error_message
    assert invocation.phase == "init"


def test_the_probe_imports_each_module_in_the_runtime_and_says_from_where(tmp_path: Path) -> None:
    # GIVEN the harness files as the container sees them: runtime_api.py with probe.py beside it
    shutil.copyfile(runtime_api.__file__, tmp_path / "runtime_api.py")
    (tmp_path / runtime_api.PROBE_FILE).write_text(probe.source())
    session = {"command": [sys.executable], "events": [], "probe": ["json", "no_such_module"]}
    (tmp_path / "session.json").write_text(json.dumps(session))
    # WHEN it runs with no events, only the probe
    done = subprocess.run(
        [sys.executable, "-I", str(tmp_path / "runtime_api.py"), str(tmp_path / "session.json")],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    # THEN each module's outcome is recorded: where it came from, or why it failed
    found, missing = parse_records(done.stdout, source="probe").probes
    assert found.ok and found.file and found.file.endswith("json/__init__.py")
    assert not missing.ok and "ModuleNotFoundError" in missing.error
