"""The Lambda Runtime API, served on 127.0.0.1 next to the runtime it drives. Standard library only.

The harness mounts this file (read-only) into the function's container and runs it with the
runtime's own Python, isolated from the layers (`python3 -I runtime_api.py SESSION.json`):
a container with `--network none` has its own loopback, so the API must live inside it. It

1. serves the Runtime API (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on
   127.0.0.1 at a free port: `GET /2018-06-01/runtime/invocation/next` hands out the session's
   events one by one with the `Lambda-Runtime-Aws-Request-Id`, `-Deadline-Ms`,
   `-Invoked-Function-Arn` and `-Trace-Id` headers; `POST .../invocation/<id>/response` and
   `.../invocation/<id>/error` take the outcome; `POST /2018-06-01/runtime/init/error` takes an
   init failure;
2. starts the runtime (the session's command, e.g. `python3 -m awslambdaric handler.handle`)
   with `AWS_LAMBDA_RUNTIME_API` pointing at itself, and measures init (start to the first
   `next`, or to the init error) and each invocation (event handed out to outcome posted);
3. prints what happened as JSON lines on stdout, each prefixed with `RECORD_PREFIX`: the
   runtime's own output (`log`), an `init` record, one `invocation` record per event, and a final
   `summary`. Events left unanswered when the runtime exits or times out get the error Lambda
   would report (`Runtime.ExitError`, `Sandbox.Timedout`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

RECORD_PREFIX = "@@lambda-run@@ "
API_PREFIX = "/2018-06-01/runtime"
INIT_TIMEOUT_SECONDS = 10 * 60  # the runtime must ask for its first event within this
EXIT_GRACE_SECONDS = 2.0

Emit = Callable[[dict[str, Any]], None]

# Imports modules in a fresh process (lambda_layers/layer/probe.py, put next to this file by the
# harness): run by the runtime's Python with the function's environment before the runtime starts.
PROBE_FILE = "probe.py"
PROBE_TIMEOUT_SECONDS = 300


def _now_ms() -> float:
    return time.monotonic() * 1000.0


def stdout_emitter(stream: IO[str] | None = None) -> Emit:
    """Print records as prefixed JSON lines (thread-safe)."""
    lock = threading.Lock()
    target = stream or sys.stdout

    def emit(record: dict[str, Any]) -> None:
        line = RECORD_PREFIX + json.dumps(record, sort_keys=True, default=str)
        with lock:
            target.write(line + "\n")
            target.flush()

    return emit


class Session:
    """The events to hand out and what became of each; shared by the HTTP threads and main."""

    def __init__(
        self,
        *,
        events: list[dict[str, Any]],
        function_arn: str,
        timeout_seconds: float,
        emit: Emit,
    ) -> None:
        self._events = list(events)
        self._function_arn = function_arn
        self._timeout_ms = timeout_seconds * 1000.0
        self._emit = emit
        self._condition = threading.Condition()
        self._next_index = 0
        self._current: dict[str, Any] | None = None
        self._outcomes: dict[int, dict[str, Any]] = {}
        self.started_ms = _now_ms()
        self.init_ms: float | None = None
        self.init_error: dict[str, Any] | None = None
        self.closed = False

    @property
    def finished(self) -> bool:
        with self._condition:
            return self.closed or len(self._outcomes) == len(self._events)

    def current_deadline_ms(self) -> float | None:
        with self._condition:
            return None if self._current is None else float(self._current["deadline"])

    def _end_init(self) -> None:
        if self.init_ms is None:
            self.init_ms = _now_ms() - self.started_ms
            self._emit({"kind": "init", "duration_ms": round(self.init_ms, 3)})

    def next_invocation(self, wait: float | None = None) -> dict[str, Any] | None:
        """The next event with its headers, or None once every event is handed out (after
        `wait` seconds, default: until the session closes)."""
        with self._condition:
            self._end_init()
            if self._next_index >= len(self._events):
                self._condition.wait_for(lambda: self.closed, timeout=wait)
                return None
            index = self._next_index
            self._next_index += 1
            request_id = str(uuid.uuid4())
            started = _now_ms()
            deadline_wall_ms = int(time.time() * 1000 + self._timeout_ms)
            self._current = {
                "index": index,
                "request_id": request_id,
                "started": started,
                "deadline": started + self._timeout_ms,
            }
            event = self._events[index]
            return {
                "request_id": request_id,
                "body": json.dumps(event.get("event", {})).encode(),
                "headers": {
                    "Lambda-Runtime-Aws-Request-Id": request_id,
                    "Lambda-Runtime-Deadline-Ms": str(deadline_wall_ms),
                    "Lambda-Runtime-Invoked-Function-Arn": self._function_arn,
                    "Lambda-Runtime-Trace-Id": _trace_id(),
                    "Content-Type": "application/json",
                },
            }

    def _record(self, index: int, outcome: dict[str, Any]) -> None:
        if index in self._outcomes:
            return
        event = self._events[index]
        record = {"kind": "invocation", "index": index, "name": event.get("name", str(index))}
        self._outcomes[index] = {**record, **outcome}
        self._emit(self._outcomes[index])
        self._condition.notify_all()

    def post_outcome(self, request_id: str, *, ok: bool, body: bytes, error_type: str) -> bool:
        """Record a response or error for `request_id`; False when no such invocation is open."""
        with self._condition:
            current = self._current
            if current is None or current["request_id"] != request_id:
                return False
            self._current = None
            duration = round(_now_ms() - current["started"], 3)
            payload = _json_or_text(body)
            outcome: dict[str, Any] = {"request_id": request_id, "ok": ok, "duration_ms": duration}
            if ok:
                outcome["response"] = payload
            else:
                outcome["error"] = _error_payload(payload, error_type)
            self._record(current["index"], outcome)
            return True

    def post_init_error(self, *, body: bytes, error_type: str) -> None:
        with self._condition:
            self._end_init()
            self.init_error = _error_payload(_json_or_text(body), error_type)
            self._emit({"kind": "init_error", "error": self.init_error})
            self._condition.notify_all()

    def fail_open(self, error: dict[str, Any], *, phase: str) -> None:
        """Every event not answered yet fails with `error` (the runtime is gone)."""
        with self._condition:
            for index in range(len(self._events)):
                self._record(index, {"ok": False, "error": error, "phase": phase})
            self._current = None

    def timed_out(self) -> None:
        with self._condition:
            current = self._current
            if current is None:
                return
            seconds = self._timeout_ms / 1000.0
            self._record(
                current["index"],
                {
                    "request_id": current["request_id"],
                    "ok": False,
                    "duration_ms": round(_now_ms() - current["started"], 3),
                    "error": {
                        "errorType": "Sandbox.Timedout",
                        "errorMessage": f"Task timed out after {seconds:.2f} seconds",
                    },
                },
            )
            self._current = None

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()

    def wait_change(self, timeout: float) -> None:
        with self._condition:
            self._condition.wait(timeout=timeout)


def _trace_id() -> str:
    return f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]};Sampled=0"


def _json_or_text(body: bytes) -> Any:
    try:
        return json.loads(body.decode() or "null")
    except (UnicodeDecodeError, ValueError):
        return body.decode(errors="replace")


def _error_payload(payload: Any, error_type: str) -> dict[str, Any]:
    error = dict(payload) if isinstance(payload, dict) else {"errorMessage": str(payload)}
    if not error.get("errorType"):
        error["errorType"] = error_type or "Unknown"
    return error


class RuntimeApiHandler(BaseHTTPRequestHandler):
    """The Runtime API's routes over one `Session` (set on the server as `.session`)."""

    protocol_version = "HTTP/1.1"
    server_version = "lambda-run-runtime-api/1"

    @property
    def session(self) -> Session:
        session: Session = self.server.session  # type: ignore[attr-defined]
        return session

    def log_message(self, format: str, *args: Any) -> None:
        return  # the records say what happened; no access log on stderr

    def _reply(
        self, status: HTTPStatus, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if "Content-Type" not in (headers or {}):
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _status(self, status: HTTPStatus, message: str) -> None:
        self._reply(status, json.dumps({"status": message}).encode())

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        if self.path != f"{API_PREFIX}/invocation/next":
            self._status(HTTPStatus.NOT_FOUND, f"no route GET {self.path}")
            return
        invocation = self.session.next_invocation()
        if invocation is None:  # every event is out and the session is ending: say goodbye
            self._status(HTTPStatus.GONE, "no more events")
            self.close_connection = True
            return
        self._reply(HTTPStatus.OK, invocation["body"], invocation["headers"])

    def do_POST(self) -> None:
        body = self._body()
        error_type = self.headers.get("Lambda-Runtime-Function-Error-Type", "")
        if self.path == f"{API_PREFIX}/init/error":
            self.session.post_init_error(body=body, error_type=error_type)
            self._status(HTTPStatus.ACCEPTED, "OK")
            return
        parts = self.path.removeprefix(f"{API_PREFIX}/invocation/").split("/")
        if (
            not self.path.startswith(f"{API_PREFIX}/invocation/")
            or len(parts) != 2
            or parts[1] not in ("response", "error")
        ):
            self._status(HTTPStatus.NOT_FOUND, f"no route POST {self.path}")
            return
        request_id, outcome = parts
        accepted = self.session.post_outcome(
            request_id, ok=outcome == "response", body=body, error_type=error_type
        )
        if not accepted:
            self._status(HTTPStatus.BAD_REQUEST, f"unknown or closed request id {request_id}")
            return
        self._status(HTTPStatus.ACCEPTED, "OK")


class RuntimeApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            return  # the runtime was stopped while it waited for an event: expected at the end
        super().handle_error(request, client_address)


def serve(session: Session, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """Start serving `session` in a daemon thread; the server's address tells the port."""
    server = RuntimeApiServer((host, port), RuntimeApiHandler)
    server.session = session  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, name="runtime-api", daemon=True).start()
    return server


def _forward(stream: IO[bytes], name: str, emit: Emit, tail: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        text = raw.decode(errors="replace").rstrip("\n")
        tail.append(text)
        del tail[:-40]
        emit({"kind": "log", "stream": name, "text": text})


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=EXIT_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def probe(*, python: str, modules: list[str], environment: dict[str, str], emit: Emit) -> None:
    """Import `modules` in one fresh process with the function's environment; emit the results."""
    try:
        code = (Path(__file__).parent / PROBE_FILE).read_text(encoding="utf-8")
        done = subprocess.run(
            [python, "-c", code, *modules],
            env={**os.environ, **environment},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PROBE_TIMEOUT_SECONDS,
            check=False,
        )
        lines = done.stdout.decode(errors="replace").strip().splitlines()
        results = json.loads(lines[-1]) if done.returncode == 0 and lines else None
        detail = done.stderr.decode(errors="replace")[-2000:]
    except (OSError, subprocess.TimeoutExpired, ValueError) as error:
        results, detail = None, str(error)
    if results is None:
        results = [
            {"module": name, "ok": False, "error": f"probe failed: {detail}"} for name in modules
        ]
    emit({"kind": "probe", "results": results})


def drive(
    *,
    command: list[str],
    environment: dict[str, str],
    session: Session,
    emit: Emit,
) -> int:
    """Run the runtime against `session` until every event is answered or the runtime is gone."""
    server = serve(session)
    port = server.server_address[1]
    child_environment = {**os.environ, **environment, "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}"}
    tail: list[str] = []
    session.started_ms = _now_ms()
    process = subprocess.Popen(
        command,
        env=child_environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    readers = [
        threading.Thread(target=_forward, args=(stream, name, emit, tail), daemon=True)
        for stream, name in ((process.stdout, "stdout"), (process.stderr, "stderr"))
        if stream is not None
    ]
    for reader in readers:
        reader.start()
    try:
        while not session.finished:
            if process.poll() is not None:
                break
            deadline = session.current_deadline_ms()
            if deadline is not None and _now_ms() > deadline:
                session.timed_out()
                break
            if (
                session.init_ms is None
                and _now_ms() - session.started_ms > INIT_TIMEOUT_SECONDS * 1000
            ):
                break
            session.wait_change(0.05)
    finally:
        _stop(process)
        for reader in readers:
            reader.join(timeout=EXIT_GRACE_SECONDS)
        code = process.returncode
        if session.init_error is not None:
            session.fail_open(session.init_error, phase="init")
        else:
            message = f"RequestId: runtime exited with error: exit status {code}"
            if code is not None and code < 0:
                message = f"RequestId: runtime exited with error: signal {-code}"
            session.fail_open(
                {"errorType": "Runtime.ExitError", "errorMessage": message, "logTail": tail[-10:]},
                phase="invoke" if session.init_ms is not None else "init",
            )
        session.close()
        server.shutdown()
        server.server_close()
    emit(
        {
            "kind": "summary",
            "init_ms": None if session.init_ms is None else round(session.init_ms, 3),
            "exit_code": code,
        }
    )
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: python3 -I runtime_api.py SESSION.json\n")
        return 2
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    emit = stdout_emitter()
    environment = {str(k): str(v) for k, v in spec.get("environment", {}).items()}
    if spec.get("probe"):
        probe(
            python=spec["command"][0],
            modules=list(spec["probe"]),
            environment=environment,
            emit=emit,
        )
    if not spec["events"]:
        emit({"kind": "summary", "init_ms": None, "exit_code": None})
        return 0
    session = Session(
        events=spec["events"],
        function_arn=spec["function_arn"],
        timeout_seconds=float(spec["timeout_seconds"]),
        emit=emit,
    )
    return drive(
        command=list(spec["command"]),
        environment=environment,
        session=session,
        emit=emit,
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv))
