"""The Docker engine through its SDK: a client that answers; images that are here (never pulled)."""

from __future__ import annotations

from typing import TypeAlias

import docker
from docker.errors import DockerException, ImageNotFound

from lambda_layers.base.errors import ContainerError

Client: TypeAlias = docker.DockerClient

_START_ENGINE = (
    "install a Docker engine (`apt-get install docker.io`) and start it "
    "(`dockerd --bridge=none --iptables=false`), or point DOCKER_HOST at one"
)


def docker_client() -> docker.DockerClient:
    """A client whose engine answered a ping; ContainerError saying how to get one otherwise."""
    try:
        client = docker.from_env(timeout=600)
        client.ping()
    except DockerException as error:
        raise ContainerError(f"no Docker engine answers ({error}): {_START_ENGINE}") from None
    return client


def image_present(client: docker.DockerClient, tag: str) -> bool:
    try:
        client.images.get(tag)
    except ImageNotFound:
        return False
    return True


def require_image(client: docker.DockerClient, tag: str) -> None:
    """ContainerError unless `tag` is in the local image store. Never pulls."""
    if not image_present(client, tag):
        raise ContainerError(
            f"image {tag} is not on this machine (lambda-layers never pulls): build the "
            "stand-ins with `nox -s runtime_images` (or `lambda-layers images build`), or "
            "`docker pull` it on a machine with registry access and `docker load` it here"
        )
