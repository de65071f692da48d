"""Whether a client is still open: the client and every collection it handed out ask first."""

from __future__ import annotations

from receipt_chroma.errors import ClientClosedError


class Lifetime:
    """Shared by a client and its collections; `close()` on the client ends it for all."""

    __slots__ = ("closed", "description")

    def __init__(self, description: str) -> None:
        self.description = description
        self.closed = False

    def check(self, action: str) -> None:
        """Raise ClientClosedError naming `action` once the client was closed."""
        if self.closed:
            raise ClientClosedError(
                f"cannot {action}: the {self.description} client was closed; make a new client "
                "(ChromaClient.http(...), .persistent(...), ...) to go on"
            )
