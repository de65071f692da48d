"""The container runner: always removes its container, never pulls, confines what runs."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import docker
import pytest

from lambda_layers.base.errors import ContainerError
from lambda_layers.base.settings import KEEP_VARIABLE
from lambda_layers.engine.runner import (
    ContainerRun,
    RunOptions,
    run_to_completion,
)
from lambda_layers.platform.facts import Architecture

pytestmark = pytest.mark.docker
StandinFactory = Callable[[str, Architecture], str]  # the `standin` fixture (../conftest.py)


@pytest.fixture
def image(standin: StandinFactory) -> str:
    return standin("python3.11", Architecture.X86_64)


def _names(client: docker.DockerClient) -> set[str]:
    return {container.name for container in client.containers.list(all=True)}


@pytest.fixture
def pull_spy(
    docker_engine: docker.DockerClient, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[str]]:
    """Records any pull (and stops it): the registry is unreachable, a pull must never start."""
    pulls: list[str] = []

    def refuse(repository: str, *args: object, **kwargs: object) -> None:
        pulls.append(repository)
        raise AssertionError(f"a pull of {repository} was attempted")

    monkeypatch.setattr(docker_engine.api, "pull", refuse)
    yield pulls


def test_container_removed_after_a_run(docker_engine: docker.DockerClient, image: str) -> None:
    options = RunOptions(image=image, command=["python3", "-c", "print('hello')"], purpose="test")
    with ContainerRun(docker_engine, options) as run:
        assert run.name.startswith("lambda-layers-test-")
        assert run.name in _names(docker_engine)
        result = run.wait(timeout=120)
    assert (result.exit_code, result.logs.strip()) == (0, "hello")
    assert run.name not in _names(docker_engine)


def test_container_removed_when_the_block_raises(
    docker_engine: docker.DockerClient, image: str
) -> None:
    options = RunOptions(image=image, command=["sleep", "300"], purpose="test")
    with pytest.raises(KeyboardInterrupt), ContainerRun(docker_engine, options) as run:
        assert run.name in _names(docker_engine)
        raise KeyboardInterrupt  # what Ctrl-C raises
    assert run.name not in _names(docker_engine)


def test_keep_variable_keeps_the_container(
    docker_engine: docker.DockerClient, image: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEEP_VARIABLE, "1")
    options = RunOptions(image=image, command=["true"], purpose="test")
    with ContainerRun(docker_engine, options) as run:
        run.wait(timeout=120)
    try:
        assert run.name in _names(docker_engine)
    finally:
        docker_engine.containers.get(run.name).remove(force=True)


def test_timeout_stops_and_removes(docker_engine: docker.DockerClient, image: str) -> None:
    options = RunOptions(image=image, command=["sleep", "300"], purpose="test")
    with pytest.raises(ContainerError, match="did not finish within 2s"):  # noqa: SIM117
        with ContainerRun(docker_engine, options) as run:
            run.wait(timeout=2)
    assert run.name not in _names(docker_engine)


def test_missing_image_fails_fast_without_a_pull(
    docker_engine: docker.DockerClient, pull_spy: list[str]
) -> None:
    before = _names(docker_engine)
    for tag in ("public.ecr.aws/lambda/python:3.99-arm64", "lambda-layers-standin:nope"):
        options = RunOptions(image=tag, command=["true"], purpose="test")
        with pytest.raises(ContainerError, match=r"is not on this machine \(lambda-layers never"):
            run_to_completion(docker_engine, options, timeout=60)
    assert pull_spy == []
    assert _names(docker_engine) == before


def test_confinement(docker_engine: docker.DockerClient, image: str) -> None:
    # GIVEN the default options WHEN a container writes outside /tmp and reads its capabilities
    script = (
        "import pathlib, socket\n"
        "pathlib.Path('/tmp/ok').write_text('x')\n"
        "try:\n    pathlib.Path('/etc/nope').write_text('x'); print('rootfs-writable')\n"
        "except OSError: print('rootfs-read-only')\n"
        "status = pathlib.Path('/proc/self/status').read_text().splitlines()\n"
        "print([line.split()[1] for line in status if line.startswith('CapEff')][0])\n"
        "print(sorted(name for _, name in socket.if_nameindex()))\n"
    )
    options = RunOptions(image=image, command=["python3", "-c", script], purpose="test")
    result = run_to_completion(docker_engine, options, timeout=120)
    # THEN the rootfs is read-only, no capability is left, and there is no network but loopback
    assert result.logs.split("\n")[:3] == ["rootfs-read-only", "0000000000000000", "['lo']"]


def test_docker_socket_is_never_mounted(docker_engine: docker.DockerClient, image: str) -> None:
    from pathlib import Path

    from lambda_layers.engine.runner import Mount

    options = RunOptions(
        image=image, command=["true"], purpose="test",
        mounts=[Mount(source=Path("/var/run/docker.sock"), target="/var/run/docker.sock")],
    )  # fmt: skip
    with pytest.raises(ContainerError, match="Docker socket"):
        run_to_completion(docker_engine, options, timeout=60)
