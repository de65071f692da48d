"""Which ChromaDB distribution is installed: exactly one of `chromadb-client` or `chromadb`.

Asked when a client is made, never at import: `importlib.metadata` (and the `email` package it
loads) would cost more than the rest of `import receipt_chroma`.
"""

from __future__ import annotations

import enum

from receipt_chroma.errors import ChromaInstallError


class Flavour(enum.StrEnum):
    """The extra that was installed: `lambda` (thin HTTP client) or `full` (embedded + server)."""

    LAMBDA = "lambda"
    FULL = "full"


_DISTRIBUTIONS = {Flavour.LAMBDA: "chromadb-client", Flavour.FULL: "chromadb"}


def _installed(distribution: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def installed_flavour() -> Flavour:
    """The installed flavour, or ChromaInstallError saying what to install (neither or both)."""
    found = {
        flavour: version
        for flavour, distribution in _DISTRIBUTIONS.items()
        if (version := _installed(distribution)) is not None
    }
    if len(found) == 1:
        return next(iter(found))
    if not found:
        raise ChromaInstallError(
            "no ChromaDB is installed: install exactly one extra: "
            "`pip install 'receipt-chroma[lambda]'` (thin HTTP client, for Lambda functions) or "
            "`pip install 'receipt-chroma[full]'` (embedded persistent/in-memory stores)"
        )
    raise ChromaInstallError(
        f"both chromadb-client {found[Flavour.LAMBDA]} and chromadb {found[Flavour.FULL]} are "
        "installed; they both provide the `chromadb` module and overwrite each other's files. "
        "Uninstall both, then install exactly one extra: "
        "`pip uninstall -y chromadb chromadb-client && pip install 'receipt-chroma[lambda]'` "
        "(or `[full]`)"
    )


def require_full(what: str) -> None:
    """Raise ChromaInstallError unless the embedded ChromaDB (`[full]`) is installed."""
    if installed_flavour() is not Flavour.FULL:
        raise ChromaInstallError(
            f"{what} needs the embedded ChromaDB, but only the thin HTTP client (chromadb-client) "
            "is installed: `pip uninstall -y chromadb-client && pip install 'receipt-chroma[full]'`"
            " (or use ChromaClient.http / ChromaClient.cloud)"
        )
