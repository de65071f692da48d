"""Old layer versions: keep the newest K of each layer, and never one named in published.json."""

from __future__ import annotations

from collections.abc import Sequence

from lambda_layers.publish.versions import LayerVersion


def versions_to_delete(
    versions: Sequence[LayerVersion], *, keep: int, protected: frozenset[str]
) -> list[LayerVersion]:
    """Of one layer's versions, those beyond the newest `keep` that nothing records."""
    newest_first = sorted(versions, key=lambda item: item.version, reverse=True)
    return [item for item in newest_first[keep:] if item.arn not in protected]
