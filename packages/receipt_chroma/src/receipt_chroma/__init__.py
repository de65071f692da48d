"""Everything ChromaDB for receipts: one client type, schema-checked collections, S3 storage.

Importing this package imports nothing from `chromadb`: that happens when a client is made.
"""

from receipt_chroma.client import ChromaClient, ClientKind
from receipt_chroma.collections import ReceiptCollection
from receipt_chroma.errors import (
    ChromaInstallError,
    ClientClosedError,
    CollectionNotFoundError,
    DatabaseNotFoundError,
    MissingEmbeddingError,
    ReadOnlyError,
    ReceiptChromaError,
    SchemaError,
    StoreNotFoundError,
)
from receipt_chroma.install import Flavour, installed_flavour
from receipt_chroma.records import Match, MetadataValue, Record, RecordLike
from receipt_chroma.schema import CollectionName

__all__ = [
    "ChromaClient",
    "ChromaInstallError",
    "ClientClosedError",
    "ClientKind",
    "CollectionName",
    "CollectionNotFoundError",
    "DatabaseNotFoundError",
    "Flavour",
    "Match",
    "MetadataValue",
    "MissingEmbeddingError",
    "ReadOnlyError",
    "ReceiptChromaError",
    "ReceiptCollection",
    "Record",
    "RecordLike",
    "SchemaError",
    "StoreNotFoundError",
    "installed_flavour",
]
