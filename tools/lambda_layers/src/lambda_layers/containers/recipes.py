"""Stand-in image recipes as data: Debian suite, architecture, where Python comes from.

A recipe's hash (of everything that decides the image's contents) is part of its tag, so a changed
recipe builds a new image and an unchanged one is reused.
"""

from __future__ import annotations

import enum
import hashlib
import json
from dataclasses import asdict, dataclass

from lambda_layers.base.errors import ContainerError
from lambda_layers.platforms import Architecture, Runtime, architecture_facts

RECIPE_FORMAT = 1
AWSLAMBDARIC = "awslambdaric==4.2.2"  # manylinux2014 wheels for cp311-cp313, aarch64 and x86_64
# Lambda's Python runtimes ship the AWS SDK, so layers leave it out (spec.RUNTIME_PROVIDED): the
# stand-ins must ship it too, or a function that uses boto3 would pass only where Lambda fails.
RUNTIME_SDK = ("boto3==1.44.5", "botocore==1.44.8", "s3transfer==0.19.3")
STANDIN_REPOSITORY = "lambda-layers-standin"
ROOTFS_REPOSITORY = "lambda-layers-rootfs"
ROOTFS_PACKAGES = ("python3", "python3-pip", "ca-certificates")
LANG_DIR = "/var/lang"  # where Lambda keeps its Python


class PythonSource(enum.StrEnum):
    DEBIAN = "debian"  # the suite's own python3, linked into /var/lang/bin
    PYENV = "pyenv"  # the host's pyenv CPython tree, copied to /var/lang


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipe:
    runtime: str
    python_version: str
    architecture: Architecture
    suite: str
    python: PythonSource
    packages: tuple[str, ...] = ROOTFS_PACKAGES
    awslambdaric: str = AWSLAMBDARIC
    runtime_sdk: tuple[str, ...] = RUNTIME_SDK

    @property
    def debian_arch(self) -> str:
        return architecture_facts(self.architecture).debian_arch

    def rootfs_tag(self) -> str:
        """The plain debootstrap image this stand-in starts from (shared by recipes)."""
        key = json.dumps([RECIPE_FORMAT, self.suite, self.debian_arch, self.packages])
        digest = hashlib.sha256(key.encode()).hexdigest()[:12]
        return f"{ROOTFS_REPOSITORY}:{self.suite}-{self.debian_arch}-{digest}"

    def digest(self) -> str:
        """12 hex digits of the hash of everything that decides the stand-in's contents."""
        fields = {**asdict(self), "format": RECIPE_FORMAT, "env": lambda_environment(self)}
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]

    def tag(self) -> str:
        return f"{STANDIN_REPOSITORY}:{self.runtime}-{self.architecture.value}-{self.digest()}"


def lambda_environment(recipe: Recipe) -> dict[str, str]:
    """The environment Lambda's Python runtimes set (as in the official images)."""
    version = recipe.python_version
    return {
        "LANG": "en_US.UTF-8",
        "TZ": ":/etc/localtime",
        "PATH": f"{LANG_DIR}/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin",
        "LD_LIBRARY_PATH": f"{LANG_DIR}/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:"
        "/var/task:/var/task/lib:/opt/lib",
        "LAMBDA_TASK_ROOT": "/var/task",
        "LAMBDA_RUNTIME_DIR": "/var/runtime",
        "PYTHONPATH": f"/var/task:/opt/python/lib/python{version}/site-packages:/opt/python",
    }


_SUITES = {"3.11": ("bookworm", PythonSource.DEBIAN), "3.13": ("trixie", PythonSource.DEBIAN),
           "3.12": ("bookworm", PythonSource.PYENV)}  # fmt: skip
_ARCHITECTURES = {
    "3.11": (Architecture.ARM64, Architecture.X86_64),
    "3.13": (Architecture.ARM64, Architecture.X86_64),
    "3.12": (Architecture.X86_64,),  # no arm64 CPython 3.12 can be had without a registry
}


def recipes() -> list[Recipe]:
    from lambda_layers.platforms import runtimes

    found = []
    for runtime in runtimes().values():
        if runtime.python_version not in _SUITES:
            continue
        suite, source = _SUITES[runtime.python_version]
        found += [
            Recipe(runtime=runtime.name, python_version=runtime.python_version,
                   architecture=architecture, suite=suite, python=source)
            for architecture in _ARCHITECTURES[runtime.python_version]
        ]  # fmt: skip
    return found


def recipe_for(runtime: Runtime, architecture: Architecture) -> Recipe:
    for recipe in recipes():
        if recipe.runtime == runtime.name and recipe.architecture is architecture:
            return recipe
    known = ", ".join(f"{r.runtime} {r.architecture.value}" for r in recipes())
    raise ContainerError(
        f"no stand-in recipe for {runtime.name} on {architecture.value} (stand-ins: {known}): "
        f"pass `--image` naming an image of that runtime, e.g. the official "
        f"{runtime.official_image_for(architecture)} pulled on a machine with registry access"
    )
