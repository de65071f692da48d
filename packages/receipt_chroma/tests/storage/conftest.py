"""Fixtures for the S3 storage tests: a bucket on a real moto server, a fresh prefix per test."""

from __future__ import annotations

import http.client
import tempfile
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import boto3
import pytest

from live_services import MotoEndpoint
from receipt_chroma import ChromaClient, Record
from receipt_chroma.storage import (
    Compactor,
    DeltaWriter,
    ObjectStore,
    Outcome,
    Pointer,
    StorageConfig,
    read_pointer,
)
from receipt_chroma.storage.archive import extract_verified

BUCKET = "receipt-chroma-storage-tests"


@pytest.fixture(scope="session")
def s3(moto_endpoint: MotoEndpoint) -> Any:
    client = boto3.client("s3", **moto_endpoint.client_settings())
    client.create_bucket(Bucket=BUCKET)
    return client


@pytest.fixture
def config(s3: Any) -> StorageConfig:
    return StorageConfig(bucket=BUCKET, collection="words", prefix=f"t-{uuid.uuid4().hex[:10]}")


@dataclass(frozen=True, slots=True)
class SnapshotState:
    version: int
    records: dict[str, Record]
    ids: list[str]
    """Every ID in the snapshot, as listed (to see duplicates)."""


class Storage:
    """Helpers over one test's prefix (a fixture: test modules cannot import each other)."""

    def __init__(self, *, config: StorageConfig, s3: Any) -> None:
        self.config = config
        self.s3 = s3
        self.store = ObjectStore(config=config, s3=s3)

    def fresh(self) -> Storage:
        """The same collection under a new prefix (e.g. one per hypothesis example)."""
        config = StorageConfig(bucket=self.config.bucket, collection=self.config.collection,
                               prefix=f"t-{uuid.uuid4().hex[:10]}")  # fmt: skip
        return Storage(config=config, s3=self.s3)

    def for_collection(self, collection: str) -> StorageConfig:
        return StorageConfig(
            bucket=self.config.bucket, collection=collection, prefix=self.config.prefix
        )

    def write(
        self, *, upserts: Sequence[Record] = (), deletes: Sequence[str] = (), created_ms: int,
        sequence: int = 0, producer: str = "test",
    ) -> str:  # fmt: skip
        writer = DeltaWriter(config=self.config, s3=self.s3, producer=producer)
        return writer.write(
            upserts=upserts, deletes=deletes, created_ms=created_ms, sequence=sequence
        ).key

    def pointer(self) -> Pointer:
        """The current pointer (there must be one)."""
        pointer = read_pointer(self.store)
        assert pointer is not None, "the pointer names no snapshot"
        return pointer

    def objects(self) -> dict[str, str]:
        """Every object under the test's prefix but the lease: key -> ETag."""
        listed = self.store.list(self.config.root)
        return {item.key: item.etag for item in listed if item.key != self.config.lease_key}

    def keys(self, prefix: str) -> list[str]:
        return [item.key for item in self.store.list(prefix)]

    def snapshot(self) -> SnapshotState:
        """The snapshot the pointer names, downloaded, checksum-verified and read back."""
        pointer = self.pointer()
        with tempfile.TemporaryDirectory() as scratch:
            archive = Path(scratch) / "a.tar"
            self.store.download(pointer.archive_key, archive)
            extract_verified(
                archive,
                sha256=pointer.sha256,
                destination=Path(scratch) / "db",
                name=pointer.archive_key,
            )
            with ChromaClient.persistent(Path(scratch) / "db", read_only=True) as client:
                listed = list(client.collection(self.config.collection).all_records())
        return SnapshotState(
            version=pointer.version,
            records={record.id: record for record in listed},
            ids=[record.id for record in listed],
        )


@pytest.fixture
def storage(config: StorageConfig, s3: Any) -> Storage:
    return Storage(config=config, s3=s3)


@pytest.fixture
def work_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="receipt-chroma-test-") as directory:
        yield Path(directory)


class Scenario:
    """A first delta (published as version 1), then two deltas that overwrite, delete, re-add."""

    def __init__(self, records: Any) -> None:
        self.first = [records.word(line, 0) for line in range(1, 11)]
        changed = records.word(1, 0, seed=999, text="CHANGED")
        self.second = [changed, *[records.word(line, 0) for line in range(11, 16)]]
        self.second_deletes = [records.word(2, 0).id]
        self.third = [records.word(2, 0, seed=555), records.word(16, 0)]
        self.third_deletes = [records.word(3, 0).id]

    def expected_after_first(self) -> dict[str, Record]:
        return {record.id: record for record in self.first}

    def expected_after_all(self) -> dict[str, Record]:
        model = self.expected_after_first()
        for upserts, deletes in (
            (self.second, self.second_deletes),
            (self.third, self.third_deletes),
        ):
            model.update({record.id: record for record in upserts})
            for key in deletes:
                model.pop(key, None)
        return model

    def write_first(self, storage: Storage) -> list[str]:
        return [storage.write(upserts=self.first, created_ms=1_000)]

    def publish_first(self, storage: Storage, work_dir: Path, *, rest: bool = True) -> list[str]:
        """Version 1 compacted from the first delta, then (`rest`) the other two written."""
        self.write_first(storage)
        first = Compactor(config=storage.config, s3=storage.s3, work_dir=work_dir).run()
        assert (first.outcome, first.version) == (Outcome.PUBLISHED, 1), first.message
        return self.write_rest(storage) if rest else []

    def write_rest(self, storage: Storage) -> list[str]:
        return [
            storage.write(upserts=self.second, deletes=self.second_deletes, created_ms=2_000),
            storage.write(upserts=self.third, deletes=self.third_deletes, created_ms=3_000),
        ]


def assert_holds_exactly(state: SnapshotState, expected: dict[str, Record]) -> None:
    """Every expected record once, with its latest document and embedding; nothing else."""
    assert len(state.ids) == len(set(state.ids)), "a record is stored twice"
    assert set(state.ids) == set(expected)
    for key, want in expected.items():
        got = state.records[key]
        assert got.document == want.document
        assert got.embedding == pytest.approx(want.embedding, abs=1e-5)


@pytest.fixture
def scenario(records: Any) -> Scenario:
    return Scenario(records)


@pytest.fixture
def holds_exactly() -> Any:
    return assert_holds_exactly


# ----------------------------------------------------------------- lost replies


@dataclass
class DropRule:
    """Drop the reply to the next `times` requests that match; run `then` before closing."""

    method: str
    matches: Callable[[str], bool]
    conditional: bool
    times: int = 1
    then: Callable[[], None] | None = None
    dropped: list[str] = field(default_factory=list)


class ReplyDroppingProxy:
    """An HTTP proxy on 127.0.0.1 in front of the moto server. It forwards every request; for a
    request a rule matches, the server applies it, then the proxy closes the connection without
    the reply (a connection reset after S3 acted), so botocore retries the request for real."""

    _HOP = frozenset(
        {"connection", "keep-alive", "transfer-encoding", "expect", "proxy-connection"}
    )

    def __init__(self, upstream: str) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        self._upstream = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self.rules: list[DropRule] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _forward(self) -> None:
                proxy._forward(self)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def drop_reply(
        self,
        *,
        key: Callable[[str], bool],
        method: str = "PUT",
        conditional: bool = True,
        times: int = 1,
        then: Callable[[], None] | None = None,
    ) -> DropRule:
        rule = DropRule(method=method, matches=key, conditional=conditional, times=times, then=then)
        self.rules.append(rule)
        return rule

    def _rule_for(self, handler: BaseHTTPRequestHandler) -> DropRule | None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(handler.path).path)
        conditional = "If-Match" in handler.headers or "If-None-Match" in handler.headers
        with self._lock:
            for rule in self.rules:
                if (rule.times > 0 and rule.method == handler.command and rule.matches(path)
                        and (conditional or not rule.conditional)):  # fmt: skip
                    rule.times -= 1
                    rule.dropped.append(path)
                    return rule
        return None

    @staticmethod
    def _body(handler: BaseHTTPRequestHandler) -> bytes:
        if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(handler.rfile.readline().split(b";")[0], 16):
                chunks.append(handler.rfile.read(size))
                handler.rfile.readline()
            while handler.rfile.readline() not in {b"\r\n", b""}:
                pass
            return b"".join(chunks)
        return handler.rfile.read(int(handler.headers.get("Content-Length", 0)))

    def _forward(self, handler: BaseHTTPRequestHandler) -> None:
        body = self._body(handler)
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in self._HOP}
        headers["Content-Length"] = str(len(body))
        connection = http.client.HTTPConnection(*self._upstream, timeout=60)
        try:
            connection.request(handler.command, handler.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        rule = self._rule_for(handler)
        if rule is not None:  # the server acted; the client never hears of it
            if rule.then is not None:
                rule.then()
            handler.close_connection = True
            return
        handler.send_response_only(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in self._HOP | {"content-length"}:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(data)

    def client(self, moto: MotoEndpoint) -> Any:
        """A boto3 S3 client (default retries, as in Lambda) that talks through this proxy."""
        return boto3.client("s3", **{**moto.client_settings(), "endpoint_url": self.url})

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def lossy(moto_endpoint: MotoEndpoint) -> Iterator[ReplyDroppingProxy]:
    proxy = ReplyDroppingProxy(moto_endpoint.url)
    yield proxy
    proxy.close()
