"""Which ChromaDB distribution is installed: exactly one of `chromadb-client` or `chromadb`,
with its `chromadb` module really there.

Asked when a client is made, never at import: `importlib.metadata` (and the `email` package it
loads) would cost more than the rest of `import receipt_chroma`. Both distributions install the
same `chromadb` files; pip installs one over the other silently, and uninstalling either then
takes the shared files away from the other, whose metadata stays. So the metadata alone is not
believed: the module has to be importable too.
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
        flavour, version = next(iter(found.items()))
        _require_importable(flavour, version)
        return flavour
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


def _require_importable(flavour: Flavour, version: str) -> None:
    """ChromaInstallError naming the repair unless the installed flavour's modules are there."""
    from importlib.util import find_spec

    package = find_spec("chromadb")
    # A package whose __init__ was removed still imports, as a namespace package (origin None).
    missing = package is None or package.origin is None
    if flavour is Flavour.FULL:
        missing = missing or find_spec("chromadb_rust_bindings") is None
    if missing:
        distribution = _DISTRIBUTIONS[flavour]
        raise ChromaInstallError(
            f"{distribution} {version} is installed but its `chromadb` files are gone (both "
            "extras were installed, and uninstalling one removed the files they share). "
            f"Repair: `pip install --force-reinstall --no-deps '{distribution}=={version}'`"
        )


def require_full(what: str) -> None:
    """Raise ChromaInstallError unless the embedded ChromaDB (`[full]`) is installed."""
    if installed_flavour() is not Flavour.FULL:
        raise ChromaInstallError(
            f"{what} needs the embedded ChromaDB, but only the thin HTTP client (chromadb-client) "
            "is installed: `pip uninstall -y chromadb-client && pip install 'receipt-chroma[full]'`"
            " (or use ChromaClient.http / ChromaClient.cloud)"
        )
