"""The few S3 operations storage needs, over a boto3 client, with S3's errors made ours.

Every call goes through `_translating`: a missing object is ObjectMissingError, a lost
conditional write PreconditionFailed, and what stops every call (no or wrong credentials, an
unreachable endpoint, a missing bucket, access denied) S3AccessError saying what to set.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from receipt_chroma.errors import ObjectMissingError, S3AccessError, StorageError
from receipt_chroma.storage.layout import StorageConfig

Progress = Callable[[int], None]
"""Called with the number of bytes moved since the last call (boto3's transfer callback)."""

_MISSING = {"NoSuchKey", "404", "NotFound"}
_PRECONDITION = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}
_REFUSED = {
    *("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "ExpiredToken"),
    *("InvalidToken", "TokenRefreshRequired", "AllAccessDisabled", "AccountProblem"),
}
# botocore's own errors are named, not imported: boto3 is the declared dependency
_NO_CREDENTIALS = {"NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError",
                   "ProfileNotFound"}  # fmt: skip
_UNREACHABLE = {"EndpointConnectionError", "ConnectTimeoutError", "ReadTimeoutError",
                "ConnectionClosedError", "ProxyConnectionError", "SSLError"}  # fmt: skip
_QUOTED_CODE = re.compile(r"\((\w+)\)")


class PreconditionFailed(Exception):  # noqa: N818 - S3's own name for it
    """A conditional write (IfMatch / IfNoneMatch) lost: someone else wrote first."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredObject:
    key: str
    size: int
    etag: str


def _code(error: Exception) -> str:
    response: dict[str, Any] = getattr(error, "response", {})
    code = str(response.get("Error", {}).get("Code", ""))
    if not code:  # boto3's transfer errors carry the code in their message: "... (NoSuchBucket)"
        found = _QUOTED_CODE.search(str(error))
        code = found[1] if found else ""
    return code


def _class_names(error: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(error).__mro__}


def access_error(error: Exception, *, endpoint: str | None, bucket: str) -> S3AccessError | None:
    """The S3AccessError for an error that stops every call (credentials, endpoint, bucket,
    permissions), or None for any other error."""
    names, code = _class_names(error), _code(error)
    if names & _NO_CREDENTIALS:
        return S3AccessError(
            f"no usable AWS credentials ({error}): set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run where a role provides them"
        )
    if names & _UNREACHABLE:
        return S3AccessError(
            f"cannot reach S3 at {endpoint or 'the default endpoint'} ({error}): check the "
            "endpoint (--endpoint-url or AWS_ENDPOINT_URL) and the network"
        )
    if code == "NoSuchBucket":
        return S3AccessError(
            f"bucket {bucket!r} does not exist: check --bucket or RECEIPT_CHROMA_BUCKET"
        )
    if code in _REFUSED:
        return S3AccessError(
            f"S3 refused the request to bucket {bucket!r} ({code}): check the credentials "
            "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) and their "
            "permissions on the bucket"
        )
    return None


class ObjectStore:
    """One bucket seen through a boto3 S3 client (any client: Lambda's, moto's, a test's)."""

    def __init__(self, *, config: StorageConfig, s3: Any) -> None:
        self.config = config
        self.s3 = s3

    @property
    def bucket(self) -> str:
        return self.config.bucket

    @contextlib.contextmanager
    def _translating(
        self, key: str, *, action: str, what: str = "object", fix: str = "",
        conditional: bool = False,
    ) -> Iterator[None]:  # fmt: skip
        try:
            yield
        except Exception as error:
            names = _class_names(error)
            if not names & {"ClientError", "BotoCoreError", "Boto3Error"}:
                raise
            code = _code(error)
            if conditional and code in _PRECONDITION | _MISSING:
                raise PreconditionFailed(key) from None
            refused = access_error(error, endpoint=self.s3.meta.endpoint_url, bucket=self.bucket)
            if refused is not None:
                raise refused from None
            if code in _MISSING:
                fix = fix or "check the key and the bucket"
                url = self.config.url(key)
                raise ObjectMissingError(f"{what} {url} does not exist: {fix}", key=key) from None
            url = self.config.url(key)
            raise StorageError(f"cannot {action} {url}: {error}", key=key) from error

    def get(self, key: str, *, what: str = "object", fix: str = "") -> tuple[bytes, str]:
        """The object's bytes and ETag; ObjectMissingError naming it when absent."""
        with self._translating(key, action="read", what=what, fix=fix):
            answer = self.s3.get_object(Bucket=self.bucket, Key=key)
            return answer["Body"].read(), str(answer["ETag"])

    def head(self, key: str) -> StoredObject | None:
        try:
            with self._translating(key, action="read"):
                answer = self.s3.head_object(Bucket=self.bucket, Key=key)
        except ObjectMissingError:
            return None
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
            with self._translating(key, action="write", conditional=bool(conditions)):
                answer = self.s3.put_object(Bucket=self.bucket, Key=key, Body=body, **conditions)
        except PreconditionFailed:
            mine = self._etag_if_holding(key, body) if same_bytes_are_ours else None
            if mine is None:
                raise
            return mine
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
        with self._translating(source, action="copy", fix="it was removed meanwhile"):
            self.s3.copy_object(Bucket=self.bucket, Key=target,
                                CopySource={"Bucket": self.bucket, "Key": source})  # fmt: skip

    def delete(self, key: str) -> None:
        with self._translating(key, action="delete"):
            self.s3.delete_object(Bucket=self.bucket, Key=key)

    def list(self, prefix: str) -> Iterator[StoredObject]:
        """Every object under `prefix`, in key order."""
        with self._translating(prefix, action="list"):
            paginator = self.s3.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    yield StoredObject(key=item["Key"], size=int(item["Size"]),
                                       etag=str(item["ETag"]))  # fmt: skip

    def folders(self, prefix: str) -> tuple[str, ...]:
        """The names of the "folders" right under `prefix` (common prefixes, no slash)."""
        with self._translating(prefix, action="list"):
            paginator = self.s3.get_paginator("list_objects_v2")
            pages = paginator.paginate(Bucket=self.bucket, Prefix=prefix, Delimiter="/")
            return tuple(
                common["Prefix"].removeprefix(prefix).rstrip("/")
                for page in pages
                for common in page.get("CommonPrefixes", [])
            )

    def open(self, key: str, *, what: str = "object", fix: str = "") -> Any:
        """The object's body as a stream (botocore's StreamingBody: `read(n)`, `close()`)."""
        with self._translating(key, action="read", what=what, fix=fix):
            return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"]

    def upload(self, path: Path, key: str, *, progress: Progress | None = None) -> None:
        """Upload a file (multipart when large)."""
        with self._translating(key, action="write"):
            self.s3.upload_file(str(path), self.bucket, key, Callback=progress)

    def download(
        self, key: str, path: Path, *, what: str = "object", fix: str = "",
        progress: Progress | None = None,
    ) -> None:  # fmt: skip
        """Download to `path` (via a temporary name, renamed when complete)."""
        partial = path.with_name(path.name + ".partial")
        try:
            with self._translating(key, action="read", what=what, fix=fix):
                self.s3.download_file(self.bucket, key, str(partial), Callback=progress)
        except StorageError:
            partial.unlink(missing_ok=True)
            raise
        partial.replace(path)
