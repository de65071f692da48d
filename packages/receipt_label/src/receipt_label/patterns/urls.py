"""Web addresses, normalised to a lower-case host (no scheme, no `www.`) plus any path."""

from __future__ import annotations

import re

_TLDS = "com|net|org|us|co|io|biz|info|store|shop|ca"
_URL = re.compile(
    rf"(?:https?\s?:\s?//\s?)?(?:www\s?\.\s?)?(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\s?\.\s?)+(?:{_TLDS})"
    r"(?:/[^\s]*)?",
    re.IGNORECASE,
)


def _normalise(raw: str) -> str:
    value = re.sub(r"\s+", "", raw).lower()
    value = re.sub(r"^https?://", "", value)
    value = value.removeprefix("www.")
    return value.rstrip("/.")


def find_urls(text: str) -> list[tuple[str, str]]:
    """Every web address in `text` as (matched text, normalised address)."""
    found = []
    for match in _URL.finditer(text):
        raw = match.group(0)
        if "@" in text[max(0, match.start() - 1) : match.start()]:  # an e-mail's domain
            continue
        found.append((raw, _normalise(raw)))
    return found


def normalize_url(text: str) -> str | None:
    """The first web address in `text`, normalised, or None."""
    found = find_urls(text)
    return found[0][1] if found else None
