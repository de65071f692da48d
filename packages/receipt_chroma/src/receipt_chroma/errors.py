"""receipt_chroma's errors: one tree; each message says what was wrong and what to do."""

from __future__ import annotations


class ReceiptChromaError(Exception):
    """Base of every error this package raises on purpose."""


class ChromaInstallError(ReceiptChromaError):
    """The installed ChromaDB distribution cannot make the client asked for."""


class ReadOnlyError(ReceiptChromaError):
    """A write was attempted through a read-only client."""


class SchemaError(ReceiptChromaError, ValueError):
    """A record breaks the collection's metadata schema (names the record and the field), or a
    collection is not what receipt_chroma made (names the setting: space or schema marker)."""

    def __init__(
        self, *, collection: str, field: str, problem: str, record_id: str | None = None
    ) -> None:
        self.collection = collection
        self.record_id = record_id
        self.field = field
        self.problem = problem
        where = f"collection {collection!r}" if record_id is None else (
            f"{collection} record {record_id!r}: field {field!r}"
        )  # fmt: skip
        super().__init__(f"{where}: {problem}")


class MissingEmbeddingError(ReceiptChromaError, ValueError):
    """A write or query came without embeddings; Chroma's default ONNX embedder is never used."""


class CollectionNotFoundError(ReceiptChromaError, LookupError):
    """The collection does not exist and may not be created here."""


class StoreNotFoundError(ReceiptChromaError, FileNotFoundError):
    """A read-only client was asked to open a persistent store that does not exist."""


class DatabaseNotFoundError(ReceiptChromaError, LookupError):
    """The tenant or database named for a client does not exist on the server."""


class ClientClosedError(ReceiptChromaError):
    """A call came through a client (or one of its collections) after `close()`."""


class StorageError(ReceiptChromaError):
    """S3 snapshot storage failed; `key` names the object at fault (None when none is)."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        self.key = key
        super().__init__(message)


class ObjectMissingError(StorageError, LookupError):
    """An object the storage needs (snapshot archive, delta, manifest) is not in the bucket."""


class PointerError(StorageError, ValueError):
    """A collection's pointer object cannot be read or does not name a usable snapshot."""


class SnapshotCorruptError(StorageError, ValueError):
    """A snapshot archive does not match its recorded checksum or cannot be unpacked."""


class DeltaError(StorageError, ValueError):
    """A delta is unreadable, or does not fit the collection (name, embedding dimension, schema)."""


class VerificationError(StorageError):
    """A merged snapshot failed its checks (record count, spot checks); nothing was published."""


class LeaseHeldError(StorageError):
    """Another compactor holds the collection's lease and it has not expired."""


class LeaseLostError(StorageError):
    """This compactor's lease was taken over (it expired): its work is discarded."""


class FenceError(StorageError):
    """The pointer moved since this compactor read it: publishing was refused, work discarded."""


class S3AccessError(StorageError):
    """S3 cannot be reached or refuses the request as a whole: no or wrong credentials, an
    unreachable endpoint, a missing bucket, access denied. The message says what to set."""
