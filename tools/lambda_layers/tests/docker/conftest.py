"""The Docker gates (`docker_engine`, `standin`, `skip_or_fail`) are in ../conftest.py."""

from __future__ import annotations

from collections.abc import Callable

from lambda_layers.platform.facts import Architecture

StandinFactory = Callable[[str, Architecture], str]
