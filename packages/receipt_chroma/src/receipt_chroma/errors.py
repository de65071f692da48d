"""receipt_chroma's errors: one tree; each message says what was wrong and what to do."""

from __future__ import annotations


class ReceiptChromaError(Exception):
    """Base of every error this package raises on purpose."""


class ChromaInstallError(ReceiptChromaError):
    """The installed ChromaDB distribution cannot make the client asked for."""


class ReadOnlyError(ReceiptChromaError):
    """A write was attempted through a read-only client."""


class SchemaError(ReceiptChromaError, ValueError):
    """A record breaks the collection's metadata schema: names the record and the field."""

    def __init__(self, *, collection: str, record_id: str, field: str, problem: str) -> None:
        self.collection = collection
        self.record_id = record_id
        self.field = field
        super().__init__(f"{collection} record {record_id!r}: field {field!r}: {problem}")


class MissingEmbeddingError(ReceiptChromaError, ValueError):
    """A write or query came without embeddings; Chroma's default ONNX embedder is never used."""


class CollectionNotFoundError(ReceiptChromaError, LookupError):
    """The collection does not exist and may not be created here."""
