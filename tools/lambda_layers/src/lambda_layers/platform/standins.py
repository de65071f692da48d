"""Stand-in image recipes: which Debian suite and Python play a runtime on an architecture.

A recipe's hash (of everything that decides the image's contents) is part of its tag, so a changed
recipe builds a new image and an unchanged one is reused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from lambda_layers.base.errors import ContainerError
from lambda_layers.platform.facts import (
    Architecture,
    PythonSource,
    Runtime,
    architecture_facts,
    facts,
    runtime,
)

STANDIN_REPOSITORY = "lambda-layers-standin"
ROOTFS_REPOSITORY = "lambda-layers-rootfs"


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipe:
    runtime: str
    python_version: str
    architecture: Architecture
    suite: str
    python: PythonSource
    packages: tuple[str, ...]
    awslambdaric: str
    runtime_sdk: tuple[str, ...]

    @property
    def debian_arch(self) -> str:
        return architecture_facts(self.architecture).debian_arch

    def environment(self) -> dict[str, str]:
        """The environment Lambda's image of this runtime sets (the stand-in's ENV)."""
        return runtime(self.runtime).environment()

    def rootfs_tag(self) -> str:
        """The plain debootstrap image this stand-in starts from (shared by recipes)."""
        key = json.dumps([facts().standins.format, self.suite, self.debian_arch, self.packages])
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        return f"{ROOTFS_REPOSITORY}:{self.suite}-{self.debian_arch}-{digest}"

    def digest(self) -> str:
        """12 hex digits of the hash of everything that decides the stand-in's contents."""
        fields = {**asdict(self), "format": facts().standins.format, "env": self.environment()}
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]

    def tag(self) -> str:
        return f"{STANDIN_REPOSITORY}:{self.runtime}-{self.architecture.value}-{self.digest()}"


def recipes() -> list[Recipe]:
    """Every stand-in the platform data declares, in runtime order."""
    standins, found = facts().standins, []
    for name, entry in facts().runtimes.items():
        if (standin := standins.runtimes.get(name)) is None:
            continue
        for architecture in standin.architectures:
            found.append(Recipe(
                runtime=name, python_version=entry.python_version, architecture=architecture,
                suite=standin.suite, python=standin.python, packages=standins.rootfs_packages,
                awslambdaric=standins.awslambdaric, runtime_sdk=standins.runtime_sdk,
            ))  # fmt: skip
    return found


def recipe_for(runtime_: Runtime, architecture: Architecture) -> Recipe:
    for recipe in recipes():
        if recipe.runtime == runtime_.name and recipe.architecture is architecture:
            return recipe
    known = ", ".join(f"{r.runtime} {r.architecture.value}" for r in recipes())
    raise ContainerError(
        f"no stand-in recipe for {runtime_.name} on {architecture.value} (stand-ins: {known}): "
        f"pass `--image` naming an image of that runtime, e.g. the official "
        f"{runtime_.official_image_for(architecture)} pulled on a machine with registry access"
    )
