"""One container, as a context manager: created on enter, always removed on exit (even on Ctrl-C).

Set LAMBDA_LAYERS_KEEP_CONTAINERS=1 to keep it for debugging. Containers are named
`lambda-layers-<purpose>-<random>` so a leftover is easy to spot, run with every capability
dropped, no new privileges, never privileged and never with the Docker socket inside.
"""

from __future__ import annotations

import enum
import secrets
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import requests
from docker.errors import DockerException
from docker.models.containers import Container
from docker.types import Mount as DockerMount

from lambda_layers.base.console import console, plain
from lambda_layers.base.errors import ContainerError
from lambda_layers.base.settings import KEEP_VARIABLE, Settings
from lambda_layers.engine.client import Client, require_image

_SOCKET = "docker.sock"


class Network(enum.StrEnum):
    NONE = "none"
    HOST = "host"


@dataclass(frozen=True, slots=True, kw_only=True)
class Mount:
    source: Path
    target: str
    read_only: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class RunOptions:
    image: str
    command: Sequence[str]
    purpose: str
    mounts: Sequence[Mount] = ()
    environment: Mapping[str, str] = field(default_factory=dict)
    network: Network = Network.NONE
    read_only: bool = True
    tmpfs: Mapping[str, str] = field(default_factory=lambda: {"/tmp": "rw,exec,size=1g"})
    mem_limit: str | None = None
    user: str | None = None
    working_dir: str | None = None
    entrypoint: Sequence[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RunResult:
    exit_code: int
    logs: str

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def _check_mounts(mounts: Sequence[Mount]) -> None:
    for mount in mounts:
        if _SOCKET in str(mount.source) or _SOCKET in mount.target:
            raise ContainerError(
                f"refusing to mount the Docker socket ({mount.source}) in a container"
            )
        if not mount.source.exists():
            raise ContainerError(
                f"cannot mount {mount.source} at {mount.target}: it does not exist"
            )


def describe(options: RunOptions) -> str:
    """The run as a `docker run` command line a user could paste to reproduce it."""
    words = ["docker", "run", "--rm", f"--network={options.network.value}"]
    if options.read_only:
        words.append("--read-only")
    words += [f"--tmpfs={path}" for path in options.tmpfs]
    words += ["--cap-drop=ALL", "--security-opt=no-new-privileges"]
    if options.user:
        words.append(f"--user={options.user}")
    if options.mem_limit:
        words.append(f"--memory={options.mem_limit}")
    for mount in options.mounts:
        suffix = ",readonly" if mount.read_only else ""
        words.append(f"--mount=type=bind,source={mount.source},target={mount.target}{suffix}")
    words += [f"--env={key}={value}" for key, value in sorted(options.environment.items())]
    if options.working_dir:
        words.append(f"--workdir={options.working_dir}")
    if options.entrypoint is not None:
        words.append(f"--entrypoint={shlex.join(options.entrypoint)}")
    return shlex.join([*words, options.image, *options.command])


class ContainerRun:
    """`with ContainerRun(client, options) as run: result = run.wait(timeout=...)`."""

    def __init__(self, client: Client, options: RunOptions, *, keep: bool | None = None) -> None:
        self.client = client
        self.options = options
        self.keep = Settings.from_environment().keep_containers if keep is None else keep
        self.name = f"lambda-layers-{options.purpose}-{secrets.token_hex(4)}"
        self.container: Container | None = None

    def _create_arguments(self) -> dict[str, Any]:
        options = self.options
        arguments: dict[str, Any] = {
            "image": options.image,
            "command": list(options.command),
            "name": self.name,
            "network_mode": options.network.value,
            "read_only": options.read_only,
            "tmpfs": dict(options.tmpfs),
            "cap_drop": ["ALL"],
            "security_opt": ["no-new-privileges"],
            "privileged": False,
            "environment": dict(options.environment),
            "mounts": [
                DockerMount(
                    target=m.target, source=str(m.source), type="bind", read_only=m.read_only
                )
                for m in options.mounts
            ],
            "detach": True,
        }
        optional = {
            "mem_limit": options.mem_limit,
            "user": options.user,
            "working_dir": options.working_dir,
            "entrypoint": list(options.entrypoint) if options.entrypoint is not None else None,
        }
        arguments.update({key: value for key, value in optional.items() if value is not None})
        return arguments

    def __enter__(self) -> Self:
        _check_mounts(self.options.mounts)
        require_image(self.client, self.options.image)  # `create` must never get to pull
        console.print(f"  [dim]$ {plain(describe(self.options))}[/dim]", soft_wrap=True)
        try:
            self.container = self.client.containers.create(**self._create_arguments())
            self.container.start()
        except BaseException as error:
            self._remove()
            if isinstance(error, DockerException):
                raise ContainerError(
                    f"could not start a container of {self.options.image}: {error}"
                ) from None
            raise
        return self

    def wait(self, *, timeout: float) -> RunResult:
        """Wait for the command to end; ContainerError (after killing it) when it takes too long."""
        container = self._running()
        try:
            status = container.wait(timeout=timeout)
        except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError):
            container.kill()
            raise ContainerError(
                f"container {self.name} ({self.options.image}) did not finish within "
                f"{timeout:.0f}s and was stopped; its last output:\n{self.logs()[-3000:]}"
            ) from None
        return RunResult(exit_code=int(status["StatusCode"]), logs=self.logs())

    def logs(self) -> str:
        output: bytes = self._running().logs(stdout=True, stderr=True)
        return output.decode(errors="replace")

    def _running(self) -> Container:
        if self.container is None:
            raise ContainerError(f"container {self.name} is not running (use it inside `with`)")
        return self.container

    def _remove(self) -> None:
        if self.keep:
            console.print(f"  [yellow]![/yellow] kept container {self.name} ({KEEP_VARIABLE}=1)")
            return
        try:
            if self.container is not None:
                self.container.remove(force=True)
            else:  # created but not yet returned to us (interrupted): find it by name
                for leftover in self.client.containers.list(all=True, filters={"name": self.name}):
                    leftover.remove(force=True)
        except DockerException as error:
            console.print(f"  [yellow]![/yellow] could not remove {self.name}: {error}")

    def __exit__(self, *exc_info: object) -> None:
        self._remove()


def run_to_completion(client: Client, options: RunOptions, *, timeout: float) -> RunResult:
    """Run a command in a fresh container and return its exit code and output."""
    with ContainerRun(client, options) as run:
        return run.wait(timeout=timeout)
