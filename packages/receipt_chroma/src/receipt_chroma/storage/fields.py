"""Reading the small JSON objects storage writes (pointer, manifests): every field checked.

Each field has a rule returning a problem or None. A field of the wrong type or range, a missing
required field or an unknown key is refused with one message naming the field, so the caller
can say which object is at fault instead of failing later with an unrelated error.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

Rule = Callable[[object], str | None]
"""The problem with a value ("expected ..., found ..."), or None when it is fine."""

_SHA256 = re.compile(r"[0-9a-f]{64}")


def _found(value: object) -> str:
    return f"found {type(value).__name__} {value!r}"


def natural(value: object) -> str | None:
    """An integer >= 0 (not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return f"expected an integer >= 0, {_found(value)}"
    return None


def positive(value: object) -> str | None:
    """An integer >= 1 (not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return f"expected an integer >= 1, {_found(value)}"
    return None


def text(value: object) -> str | None:
    return None if isinstance(value, str) else f"expected a string, {_found(value)}"


def key(value: object) -> str | None:
    """A non-empty string (an S3 key)."""
    return None if isinstance(value, str) and value else f"expected an S3 key, {_found(value)}"


def sha256_hex(value: object) -> str | None:
    if isinstance(value, str) and _SHA256.fullmatch(value):
        return None
    return f"expected 64 lower-case hex digits (a SHA-256), {_found(value)}"


def number(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return f"expected a finite number, {_found(value)}"
    return None


def keys(value: object) -> str | None:
    """A list of S3 keys."""
    if not isinstance(value, list):
        return f"expected a list of S3 keys, {_found(value)}"
    problems = [key(item) for item in value]
    return next((f"item {i}: {p}" for i, p in enumerate(problems) if p), None)


def optional(rule: Rule) -> Rule:
    """`rule`, or null."""

    def check(value: object) -> str | None:
        return None if value is None else rule(value)

    return check


def read_object(
    data: bytes, *, required: Mapping[str, Rule], optional_fields: Mapping[str, Rule] = {}
) -> dict[str, Any]:
    """The JSON object in `data`, every field checked; ValueError naming the first problem."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(raw, dict):
        raise ValueError(f"a JSON {type(raw).__name__}, not an object")
    unknown = sorted(set(raw) - set(required) - set(optional_fields))
    if unknown:
        raise ValueError(
            f"unknown field {unknown[0]!r} (known: {sorted({**required, **optional_fields})})"
        )
    missing = sorted(set(required) - set(raw))
    if missing:
        raise ValueError(f"field {missing[0]!r} is missing")
    for name, rule in {**required, **optional_fields}.items():
        problem = rule(raw[name]) if name in raw else None
        if problem:
            raise ValueError(f"field {name!r}: {problem}")
    return raw
