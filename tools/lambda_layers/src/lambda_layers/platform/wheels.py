"""Which wheels a runtime can load, and which of those the resolver can be asked for.

A runtime loads a wheel built for its CPython (or a compatible ABI), its architecture and a
manylinux glibc at or below its own (PEP 600). The resolver is given one manylinux tag per runtime
(`Runtime.manylinux`); where that tag is below the runtime's glibc (uv offers no manylinux_2_26),
a wheel between the two is loadable but cannot be chosen: the resolver cannot express its tag.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import InvalidWheelFilename, parse_wheel_filename

from lambda_layers.platform.facts import Architecture, Runtime, architecture_facts

Glibc = tuple[int, int]

_MANYLINUX = re.compile(r"^manylinux_(\d+)_(\d+)_(.+)$")
# PEP 600's aliases for the older manylinux tags.
_LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


class Fit(enum.IntEnum):
    """How well a wheel fits a runtime and architecture, best last (so `max` picks the best)."""

    OTHER = 0  # not for this Python, architecture or libc (macOS, Windows, musl, ...)
    GLIBC_TOO_NEW = 1  # for this Python and architecture, but a newer glibc than the runtime's
    NOT_EXPRESSIBLE = 2  # loadable, but above the manylinux tag the resolver is given
    RESOLVABLE = 3  # loadable, and the resolver can choose it


@dataclass(frozen=True, slots=True, kw_only=True)
class WheelFit:
    fit: Fit
    wheel: str
    platform: str = ""
    """The deciding platform tag (`manylinux_2_24_aarch64`), empty for OTHER."""
    glibc: Glibc | None = None
    """The glibc that tag needs (None for a pure wheel)."""

    @property
    def glibc_text(self) -> str:
        return ".".join(str(part) for part in self.glibc) if self.glibc else ""


def manylinux_glibc(platform: str, architecture: Architecture) -> Glibc | None:
    """The glibc a manylinux platform tag of `architecture` needs, or None for other tags."""
    wheel_arch = architecture_facts(architecture).wheel_arch
    for legacy, glibc in _LEGACY.items():
        if platform == f"{legacy}_{wheel_arch}":
            return glibc
    found = _MANYLINUX.match(platform)
    if found and found[3] == wheel_arch:
        return int(found[1]), int(found[2])
    return None


@functools.cache
def _interpreters(python_version: str) -> frozenset[tuple[str, str]]:
    """The (interpreter, abi) pairs a CPython of `python_version` imports (cp312-cp312,
    cp39-abi3, py3-none, ...)."""
    version = tuple(int(part) for part in python_version.split("."))
    tags: Iterable[Tag] = [
        *cpython_tags(python_version=version, platforms=["any"]),
        *compatible_tags(python_version=version, interpreter=f"cp{version[0]}{version[1]}",
                         platforms=["any"]),
    ]  # fmt: skip
    return frozenset((tag.interpreter, tag.abi) for tag in tags)


def wheel_fit(wheel: str, runtime: Runtime, architecture: Architecture) -> WheelFit:
    """How the wheel called `wheel` (its file name) fits `runtime` on `architecture`."""
    try:
        tags = parse_wheel_filename(wheel)[3]
    except InvalidWheelFilename:
        return WheelFit(fit=Fit.OTHER, wheel=wheel)
    ceiling, resolver = runtime.base_system.glibc, runtime.resolver_glibc
    best = WheelFit(fit=Fit.OTHER, wheel=wheel)
    for tag in tags:
        if (tag.interpreter, tag.abi) not in _interpreters(runtime.python_version):
            continue
        if tag.platform == "any":
            return WheelFit(fit=Fit.RESOLVABLE, wheel=wheel, platform="any")
        glibc = manylinux_glibc(tag.platform, architecture)
        if glibc is None:
            continue
        fit = (
            Fit.GLIBC_TOO_NEW if glibc > ceiling
            else Fit.RESOLVABLE if glibc <= resolver
            else Fit.NOT_EXPRESSIBLE
        )  # fmt: skip
        candidate = WheelFit(fit=fit, wheel=wheel, platform=tag.platform, glibc=glibc)
        if (fit, _lower(glibc)) > (best.fit, _lower(best.glibc)):
            best = candidate
    return best


def _lower(glibc: Glibc | None) -> tuple[int, int]:
    """Within one fit, the tag needing the older glibc is the better one to name."""
    major, minor = glibc or (0, 0)
    return -major, -minor


def best_fit(wheels: Iterable[str], runtime: Runtime, architecture: Architecture) -> WheelFit:
    """The best fit among a release's wheels (OTHER, naming nothing, when it has none)."""
    fits = [wheel_fit(wheel, runtime, architecture) for wheel in wheels]
    return max(
        fits, key=lambda f: (f.fit, _lower(f.glibc)), default=WheelFit(fit=Fit.OTHER, wheel="")
    )


def marker_environment(runtime: Runtime, architecture: Architecture) -> dict[str, str]:
    """PEP 508 marker variables as a runtime's Python on Lambda would report them."""
    return {
        "implementation_name": "cpython", "platform_python_implementation": "CPython",
        "python_version": runtime.python_version,
        "python_full_version": f"{runtime.python_version}.0",
        "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
        "platform_machine": architecture_facts(architecture).machine,
    }  # fmt: skip
