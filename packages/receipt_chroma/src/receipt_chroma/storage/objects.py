"""The few S3 operations storage needs, over a boto3 client, with S3's errors made ours."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from receipt_chroma.errors import ObjectMissingError, StorageError
from receipt_chroma.storage.layout import StorageConfig

Progress = Callable[[int], None]
"""Called with the number of bytes moved since the last call (boto3's transfer callback)."""

_MISSING = {"NoSuchKey", "404", "NotFound"}
_PRECONDITION = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}


class PreconditionFailed(Exception):  # noqa: N818 - S3's own name for it
    """A conditional write (IfMatch / IfNoneMatch) lost: someone else wrote first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredObject:
    key: str
    size: int
    etag: str


def _code(error: Exception) -> str:
    response: dict[str, Any] = getattr(error, "response", {})
    return str(response.get("Error", {}).get("Code", ""))


class ObjectStore:
    """One bucket seen through a boto3 S3 client (any client: Lambda's, moto's, a test's)."""

    def __init__(self, *, config: StorageConfig, s3: Any) -> None:
        self.config = config
        self.s3 = s3
        # botocore's ClientError, reached through the client (boto3 is the declared dependency)
        self._client_error: type[Exception] = s3.exceptions.ClientError

    @property
    def bucket(self) -> str:
        return self.config.bucket

    def _missing(self, key: str, what: str, fix: str) -> ObjectMissingError:
        return ObjectMissingError(f"{what} {self.config.url(key)} does not exist: {fix}", key=key)

    def get(self, key: str, *, what: str = "object", fix: str = "") -> tuple[bytes, str]:
        """The object's bytes and ETag; ObjectMissingError naming it when absent."""
        try:
            answer = self.s3.get_object(Bucket=self.bucket, Key=key)
        except self._client_error as error:
            if _code(error) in _MISSING:
                raise self._missing(key, what, fix or "check the key and the bucket") from None
            raise StorageError(f"cannot read {self.config.url(key)}: {error}", key=key) from error
        return answer["Body"].read(), str(answer["ETag"])

    def head(self, key: str) -> StoredObject | None:
        try:
            answer = self.s3.head_object(Bucket=self.bucket, Key=key)
        except self._client_error as error:
            if _code(error) in _MISSING:
                return None
            raise StorageError(f"cannot read {self.config.url(key)}: {error}", key=key) from error
        return StoredObject(key=key, size=int(answer["ContentLength"]), etag=str(answer["ETag"]))

    def put(
        self, key: str, body: bytes, *, if_match: str | None = None, if_absent: bool = False,
        same_bytes_are_ours: bool = True,
    ) -> str:  # fmt: skip
        """Write `body`; with `if_match`/`if_absent` only if the object is unchanged/absent.

        Raises PreconditionFailed when the condition does not hold, unless the object already
        holds exactly `body` and `same_bytes_are_ours` (see `_etag_if_holding`). Returns the
        new ETag.
        """
        conditions: dict[str, str] = {}
        if if_match is not None:
            conditions["IfMatch"] = if_match
        if if_absent:
            conditions["IfNoneMatch"] = "*"
        try:
            answer = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, **conditions)
        except self._client_error as error:
            if conditions and _code(error) in _PRECONDITION | _MISSING:
                mine = self._etag_if_holding(key, body) if same_bytes_are_ours else None
                if mine is not None:
                    return mine
                raise PreconditionFailed(key) from None
            raise StorageError(f"cannot write {self.config.url(key)}: {error}", key=key) from error
        return str(answer["ETag"])

    def _etag_if_holding(self, key: str, body: bytes) -> str | None:
        """The ETag of `key` if it holds exactly `body`.

        A 412 may answer botocore's retry of this very write, when S3 applied it and the reply
        was lost. Every conditional write storage makes is unique (a run id, a nonce), so an
        object holding the same bytes is this write, not someone else's.
        """
        try:
            stored, etag = self.get(key)
        except ObjectMissingError:
            return None
        return etag if stored == body else None

    def copy(self, source: str, target: str) -> None:
        """Copy an object within the bucket (server side)."""
        source_ref = {"Bucket": self.bucket, "Key": source}
        try:
            self.s3.copy_object(Bucket=self.bucket, Key=target, CopySource=source_ref)
        except self._client_error as error:
            if _code(error) in _MISSING:
                raise self._missing(source, "object", "it was removed meanwhile") from None
            url = self.config.url(target)
            raise StorageError(f"cannot copy to {url}: {error}", key=target) from error

    def delete(self, key: str) -> None:
        self.s3.delete_object(Bucket=self.bucket, Key=key)

    def list(self, prefix: str) -> Iterator[StoredObject]:
        """Every object under `prefix`, in key order."""
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield StoredObject(key=item["Key"], size=int(item["Size"]), etag=str(item["ETag"]))

    def open(self, key: str, *, what: str = "object", fix: str = "") -> Any:
        """The object's body as a stream (botocore's StreamingBody: `read(n)`, `close()`)."""
        try:
            return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"]
        except self._client_error as error:
            if _code(error) in _MISSING:
                raise self._missing(key, what, fix or "check the key and the bucket") from None
            raise StorageError(f"cannot read {self.config.url(key)}: {error}", key=key) from error

    def upload(self, path: Path, key: str, *, progress: Progress | None = None) -> None:
        """Upload a file (multipart when large)."""
        self.s3.upload_file(str(path), self.bucket, key, Callback=progress)

    def download(
        self, key: str, path: Path, *, what: str = "object", fix: str = "",
        progress: Progress | None = None,
    ) -> None:  # fmt: skip
        """Download to `path` (via a temporary name, renamed when complete)."""
        partial = path.with_name(path.name + ".partial")
        try:
            self.s3.download_file(self.bucket, key, str(partial), Callback=progress)
        except self._client_error as error:
            partial.unlink(missing_ok=True)
            if _code(error) in _MISSING:
                raise self._missing(key, what, fix or "check the key and the bucket") from None
            raise StorageError(f"cannot read {self.config.url(key)}: {error}", key=key) from error
        partial.replace(path)
