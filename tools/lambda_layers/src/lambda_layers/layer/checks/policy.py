"""What a layer is checked against: its runtime and architecture, and the spec's own limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from lambda_layers.platform.facts import Architecture, Runtime, limits


@dataclass(frozen=True, slots=True, kw_only=True)
class LayerPolicy:
    layer: str
    runtime: Runtime
    architecture: Architecture
    forbid: frozenset[str] = frozenset()
    max_unzipped_bytes: int = field(default_factory=lambda: limits().unzipped_bytes)

    @property
    def python_tag(self) -> str:
        """`312` for python3.12: the part of `cpython-312` and `cp312` that names the version."""
        return self.runtime.python_tag.removeprefix("cp")

    def allowed_libraries(self) -> frozenset[str]:
        """Libraries the runtime provides: base system, loader, and Lambda's own libpython."""
        libpython = f"libpython{self.runtime.python_version}.so.1.0"
        return self.runtime.allowed_libraries(self.architecture) | {libpython}
