"""The one place `chromadb` is imported: lazily, with telemetry off and the sqlite3 gate handled."""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from receipt_chroma.install import Flavour, installed_flavour

_MINIMUM_SQLITE = (3, 35, 0)


class _GateOnlySqlite(ModuleType):
    """The stdlib sqlite3, reporting the minimum version to chromadb's import-time gate only."""

    def __init__(self, real: ModuleType) -> None:
        super().__init__("sqlite3")
        self.__dict__.update(real.__dict__)
        self.sqlite_version_info = _MINIMUM_SQLITE


@contextlib.contextmanager
def _old_sqlite_handled() -> Iterator[None]:
    """Let the full chromadb import where the stdlib sqlite3 is older than 3.35 (Amazon Linux 2).

    chromadb refuses such a sqlite3 at import, but its embedded store runs in the Rust bindings,
    which carry their own SQLite (3.46): the check is only a gate. With `pysqlite3` (the
    pysqlite3-binary wheel, x86_64 only) importable it replaces `sqlite3` for good, the fix
    Chroma documents. Without it (arm64) the gate alone is shown the minimum version while
    chromadb imports, and the real module is put back at once.
    """
    real = importlib.import_module("sqlite3")
    if real.sqlite_version_info >= _MINIMUM_SQLITE:
        yield
        return
    try:
        sys.modules["sqlite3"] = importlib.import_module("pysqlite3")
        yield
        return
    except ImportError:
        pass
    import logging  # only on this rare path: logging costs a third of importing this package

    logging.getLogger(__name__).warning(
        "sqlite3 %s is older than chromadb's gate (3.35); the embedded store uses the SQLite "
        "built into chromadb's Rust bindings, so the gate is passed",
        real.sqlite_version,
    )
    sys.modules["sqlite3"] = _GateOnlySqlite(real)
    try:
        yield
    finally:
        sys.modules["sqlite3"] = real


def chromadb() -> ModuleType:
    """The `chromadb` module, imported on first use."""
    if "chromadb" not in sys.modules:
        flavour = installed_flavour()
        if flavour is Flavour.FULL:
            with _old_sqlite_handled():
                import chromadb

                return chromadb
    import chromadb

    return chromadb


def settings(**overrides: Any) -> Any:
    """chromadb Settings built from defaults and `overrides` only.

    `Settings()` would read un-prefixed environment variables and a `.env` file in the working
    directory (a stray CHROMA_SERVER_HOST then makes HttpClient raise): build it without them.
    """
    settings_class = chromadb().Settings
    return settings_class.model_construct(anonymized_telemetry=False, **overrides)
