"""What makes a Chroma collection one of ours, set when it is created and checked on every open:
cosine space, and a schema marker in the collection's metadata (`receipt_chroma:schema`, e.g.
`words/v1`). A collection someone made with Chroma's defaults (L2 space) would answer queries
with distances that mean something else, silently; one without the marker holds records nobody
checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from receipt_chroma.errors import SchemaError
from receipt_chroma.schema import schema_for

SPACE = "cosine"
SCHEMA_KEY = "receipt_chroma:schema"
SCHEMA_VERSION = 1
_FREE = "unchecked"  # a collection with a name no schema is defined for (metadata not checked)


def marker(name: str) -> str:
    """The schema marker for collection `name`: `words/v1`, `lines/v1`, `unchecked/v1`."""
    schema = schema_for(name)
    return f"{schema.value if schema else _FREE}/v{SCHEMA_VERSION}"


def creation_arguments(name: str) -> dict[str, Any]:
    """Keyword arguments for chromadb's `create_collection`: cosine space, the marker, and no
    embedding function (Chroma's default, ONNX MiniLM, is never used)."""
    return {
        "name": name,
        "configuration": {"hnsw": {"space": SPACE}},
        "metadata": {SCHEMA_KEY: marker(name)},
        "embedding_function": None,
    }


def stored_space(collection: Any) -> str:
    """The distance space a chromadb collection was created with (Chroma's default is l2)."""
    configuration: Mapping[str, Any] = getattr(collection, "configuration_json", None) or {}
    for index in ("hnsw", "spann"):
        settings = configuration.get(index) or {}
        if settings.get("space"):
            return str(settings["space"])
    return str((collection.metadata or {}).get("hnsw:space", "l2"))


def check(collection: Any, name: str) -> None:
    """Raise SchemaError unless the chromadb `collection` is in cosine space and marked for the
    schema of `name` (the message names what was expected and what was found)."""
    space = stored_space(collection)
    if space != SPACE:
        raise SchemaError(
            collection=name,
            field="space",
            problem=f"space: the collection was created with distance {space!r}; receipt_chroma "
            f"needs {SPACE!r} (distances and max_distance thresholds assume it). The space "
            "cannot be changed in place: copy the records into a collection made with "
            f"ChromaClient.collection({name!r}, create=True) under another name, or drop it",
        )
    metadata = dict(collection.metadata or {})
    found = metadata.get(SCHEMA_KEY)
    expected = marker(name)
    if found != expected:
        described = f"{found!r}" if found is not None else f"none (metadata {metadata or {}!r})"
        raise SchemaError(
            collection=name,
            field=SCHEMA_KEY,
            problem=f"metadata {SCHEMA_KEY!r} is {described}; receipt_chroma expects "
            f"{expected!r}: the collection was not made by receipt_chroma for this schema, so "
            "its records were never checked. Copy them through ReceiptCollection.upsert into a "
            f"collection made with create=True, or drop it",
        )
