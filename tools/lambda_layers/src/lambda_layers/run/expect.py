"""Does a response hold what a smoke event expects? Objects key by key, all else exactly."""

from __future__ import annotations

from typing import Any

from lambda_layers.layer.functions import SmokeEvent
from lambda_layers.run.records import Invocation


def differences(expected: Any, actual: Any, path: str = "response") -> list[str]:
    """Where `actual` fails to contain `expected`.

    An object must hold every expected key with a matching value (extra keys are fine), except
    that an empty expected object demands an empty one. Lists and scalars must be equal.
    """
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        if not expected:
            return [] if not actual else [f"{path}: expected an empty object, got {actual!r}"]
        found: list[str] = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{path}.{key}: missing")
            else:
                found.extend(differences(value, actual[key], f"{path}.{key}"))
        return found
    if expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def judge(event: SmokeEvent, invocation: Invocation) -> list[str]:
    """Every way `invocation` misses what `event` expects (empty: it passed)."""
    if event.expect_error is not None:
        if invocation.ok:
            return [f"expected error {event.expect_error}, got a response {invocation.response!r}"]
        if invocation.error_type != event.expect_error:
            return [
                f"expected error {event.expect_error}, got {invocation.error_type}: "
                f"{invocation.error_message}"
            ]
        return []
    if not invocation.ok:
        return [f"failed with {invocation.error_type}: {invocation.error_message}"]
    return differences(event.expect, invocation.response)
