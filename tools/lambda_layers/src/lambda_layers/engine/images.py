"""Runtime images: the one to run a target in, present on this machine (never pulled)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lambda_layers.base.errors import ContainerError
from lambda_layers.base.settings import Settings
from lambda_layers.engine.client import docker_client, image_present, require_image
from lambda_layers.platform.facts import Architecture, Runtime, runtime
from lambda_layers.platform.standins import recipe_for, recipes

# The host's CA bundle, mounted here in containers that reach a package index.
CONTAINER_CA = "/lambda-layers/ca-certificates.crt"


def cache_directory(settings: Settings) -> Path:
    settings.cache_directory.mkdir(parents=True, exist_ok=True)
    return settings.cache_directory


def standin_targets() -> list[tuple[Runtime, Architecture]]:
    return [(runtime(recipe.runtime), recipe.architecture) for recipe in recipes()]


def standin_tag(runtime_: Runtime, architecture: Architecture) -> str:
    return recipe_for(runtime_, architecture).tag()


def present_image(runtime_: Runtime, architectures: Sequence[Architecture]) -> str | None:
    """The first of `architectures` with an image of `runtime_` here (as `resolve_image` picks
    it), or None: no engine, or no such image."""
    for architecture in dict.fromkeys(architectures):
        try:
            return resolve_image(runtime_, architecture)
        except ContainerError:
            continue
    return None


def resolve_image(
    runtime_: Runtime, architecture: Architecture, override: str | None = None
) -> str:
    """A tag present here: the override, else the official image, else the stand-in."""
    client = docker_client()
    try:
        if override is not None:
            tag = (
                override.replace("{runtime}", runtime_.name)
                .replace("{python_version}", runtime_.python_version)
                .replace("{architecture}", architecture.value)
            )
            require_image(client, tag)
            return tag
        official = runtime_.official_image_for(architecture)
        if image_present(client, official):
            return official
        candidates = [r.tag() for r in recipes()
                      if r.runtime == runtime_.name and r.architecture is architecture]  # fmt: skip
        for tag in candidates:
            if image_present(client, tag):
                return tag
    finally:
        client.close()
    pull = (
        f"`docker pull {official}` on a machine with registry access and `docker load` it here "
        "(lambda-layers never pulls; `--image` names another image)"
    )
    if candidates:
        raise ContainerError(
            f"no image for {runtime_.name} on {architecture.value} is on this machine: build its "
            f"stand-in {candidates[0]} with `lambda-layers images build --runtime "
            f"{runtime_.name} --arch {architecture.value}` (or `nox -s runtime_images`), or {pull}"
        )
    raise ContainerError(
        f"no image for {runtime_.name} on {architecture.value} is on this machine, and no "
        f"stand-in can be built for it here: {pull}"
    )
