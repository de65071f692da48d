"""One client type for every way of reaching Chroma; the installed extra decides which work."""

from __future__ import annotations

import enum
import gc
from collections.abc import Callable, Mapping
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any, Self

from receipt_chroma import _chromadb, identity
from receipt_chroma.collections import ReceiptCollection
from receipt_chroma.errors import (
    CollectionNotFoundError,
    DatabaseNotFoundError,
    ReadOnlyError,
    StoreNotFoundError,
)
from receipt_chroma.install import installed_flavour, require_full
from receipt_chroma.lifetime import Lifetime
from receipt_chroma.schema import CollectionName

if TYPE_CHECKING:  # pathlib is imported when a persistent client is made, not with the package
    from pathlib import Path

_STORE_FILE = "chroma.sqlite3"  # every persistent store has it, made when the store is created
_DROP_BATCH = 1000
DEFAULT_TENANT = "default_tenant"
DEFAULT_DATABASE = "default_database"


def _connect(make: Callable[[ModuleType], Any], *, where: str) -> Any:
    """chromadb's client from `make`; a tenant or database the server lacks is named."""
    try:
        return make(_chromadb.chromadb())
    except Exception as error:
        if not _not_found(error):
            raise
        raise DatabaseNotFoundError(
            f"{where}: {error} Create the database first "
            "(chromadb.AdminClient(...).create_database) or name another one"
        ) from None


def _not_found(error: Exception) -> bool:
    """Whether chromadb's `error` says something does not exist (its NotFoundError, by name:
    the thin and the full client raise it from different places)."""
    return "NotFound" in type(error).__name__ or "does not exist" in str(error)


class ClientKind(enum.StrEnum):
    HTTP = "http"
    CLOUD = "cloud"
    PERSISTENT = "persistent"
    IN_MEMORY = "in_memory"


class ChromaClient:
    """A Chroma client. Make one with `http`, `cloud`, `persistent` or `in_memory`."""

    def __init__(
        self, *, api: Any, kind: ClientKind, read_only: bool, path: Path | None, where: str
    ) -> None:
        self._api = api
        self.kind = kind
        self.read_only = read_only
        self.path = path
        self._lifetime = Lifetime(f"{kind} client of {where}")

    # --------------------------------------------------------------- constructors

    @classmethod
    def http(
        cls,
        host: str,
        port: int,
        *,
        ssl: bool = False,
        headers: Mapping[str, str] | None = None,
        tenant: str = DEFAULT_TENANT,
        database: str = DEFAULT_DATABASE,
        read_only: bool = False,
    ) -> Self:
        """A Chroma server over HTTP (works with `[lambda]` and `[full]`), in one tenant's
        database (Chroma's defaults unless named)."""
        installed_flavour()
        where = f"{host}:{port} (tenant {tenant!r}, database {database!r})"
        api = _connect(
            lambda chromadb: chromadb.HttpClient(
                host=host, port=port, ssl=ssl, headers=dict(headers or {}),
                tenant=tenant, database=database, settings=_chromadb.settings(),
            ),
            where=where,
        )  # fmt: skip
        return cls(api=api, kind=ClientKind.HTTP, read_only=read_only, path=None, where=where)

    @classmethod
    def cloud(
        cls,
        *,
        api_key: str,
        tenant: str | None = None,
        database: str | None = None,
        host: str = "api.trychroma.com",
        port: int = 443,
        ssl: bool = True,
        read_only: bool = False,
    ) -> Self:
        """Chroma's hosted service, or a distributed Chroma cluster (works with `[lambda]`)."""
        installed_flavour()
        where = f"{host}:{port} (tenant {tenant!r}, database {database!r})"
        api = _connect(
            lambda chromadb: chromadb.CloudClient(
                tenant=tenant, database=database, api_key=api_key,
                settings=_chromadb.settings(), cloud_host=host, cloud_port=port, enable_ssl=ssl,
            ),
            where=where,
        )  # fmt: skip
        return cls(api=api, kind=ClientKind.CLOUD, read_only=read_only, path=None, where=where)

    @classmethod
    def persistent(cls, path: Path, *, read_only: bool = False) -> Self:
        """An embedded store in a directory (needs `[full]`). Close it before moving the files."""
        require_full("ChromaClient.persistent")
        chromadb = _chromadb.chromadb()
        from pathlib import Path

        directory = Path(path)
        if read_only and not (directory / _STORE_FILE).is_file():
            raise StoreNotFoundError(
                f"no Chroma store at {directory} (no {_STORE_FILE} in it): a read-only client "
                "never creates one; check the path (a snapshot copy, a mounted volume), or open "
                "it with read_only=False to make a new store"
            )
        api = chromadb.PersistentClient(path=str(directory), settings=_chromadb.settings())
        return cls(
            api=api, kind=ClientKind.PERSISTENT, read_only=read_only, path=directory,
            where=str(directory),
        )  # fmt: skip

    @classmethod
    def in_memory(cls) -> Self:
        """An embedded store in memory (needs `[full]`); gone when closed."""
        require_full("ChromaClient.in_memory")
        chromadb = _chromadb.chromadb()
        api = chromadb.EphemeralClient(settings=_chromadb.settings(allow_reset=True))
        return cls(api=api, kind=ClientKind.IN_MEMORY, read_only=False, path=None, where="memory")

    # --------------------------------------------------------------- collections

    def collection(self, name: CollectionName | str, *, create: bool = False) -> ReceiptCollection:
        """Open an existing collection, checked: cosine space and receipt_chroma's schema marker
        (SchemaError otherwise). `create=True` makes it first if it is missing (never through a
        read-only client); without it a missing collection raises CollectionNotFoundError."""
        key = str(name)
        self._lifetime.check(f"open collection {key!r}")
        raw = self._existing(key)
        if raw is None:
            if not create or self.read_only:
                raise self._missing(key, create=create)
            raw = self._create(key)
        identity.check(raw, key)
        return ReceiptCollection(
            collection=raw, name=key, read_only=self.read_only, lifetime=self._lifetime
        )

    def _existing(self, name: str) -> Any:
        try:
            return self._api.get_collection(name=name, embedding_function=None)
        except Exception as error:
            if not _not_found(error):
                raise
            return None

    def _create(self, name: str) -> Any:
        try:
            return self._api.create_collection(**identity.creation_arguments(name))
        except Exception as error:  # made by someone else since we looked: open theirs
            raw = self._existing(name)
            if raw is None:
                raise error from None
            return raw

    def _missing(self, name: str, *, create: bool) -> CollectionNotFoundError:
        why = (
            "a read-only client never creates one"
            if self.read_only
            else "pass create=True to create it"
        )
        if create or self.read_only:
            return CollectionNotFoundError(f"collection {name!r} does not exist: {why}")
        return CollectionNotFoundError(
            f"collection {name!r} does not exist (this database holds "
            f"{self.collection_names() or 'no collections'}): {why}"
        )

    def words(self, *, create: bool = False) -> ReceiptCollection:
        """The `words` collection (`create=True` makes it if missing)."""
        return self.collection(CollectionName.WORDS, create=create)

    def lines(self, *, create: bool = False) -> ReceiptCollection:
        """The `lines` collection (`create=True` makes it if missing)."""
        return self.collection(CollectionName.LINES, create=create)

    def collection_names(self) -> list[str]:
        self._lifetime.check("list collections")
        return sorted(collection.name for collection in self._api.list_collections())

    def drop(self, name: CollectionName | str) -> None:
        """Delete a collection if it exists."""
        self._lifetime.check(f"drop collection {str(name)!r}")
        if self.read_only:
            raise ReadOnlyError(f"cannot drop collection {str(name)!r}: the client is read-only")
        raw = self._existing(str(name))
        if raw is None:
            return
        # Chroma 1.5 leaves a deleted collection's list-valued metadata behind, and the next
        # records written anywhere in the database inherit it (chroma-core/chroma#7594: ghost
        # `valid_labels`). Deleting the records first cleans it up; then the collection goes.
        while ids := raw.get(limit=_DROP_BATCH, include=[])["ids"]:
            raw.delete(ids=ids)
        self._api.delete_collection(name=str(name))

    def heartbeat(self) -> int:
        self._lifetime.check("reach the server")
        return int(self._api.heartbeat())

    # --------------------------------------------------------------- lifetime

    def close(self) -> None:
        """Release the store: files of a persistent directory are closed and may be moved."""
        if self._lifetime.closed:
            return
        self._lifetime.closed = True
        self._api.close()
        if self.kind is ClientKind.PERSISTENT:
            # chromadb's close() stops the system, but its SQLite connection lives on in a
            # reference cycle until the garbage collector runs: collect now, so the files are
            # really closed when this returns (measured: chroma.sqlite3 stayed open otherwise).
            gc.collect()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
