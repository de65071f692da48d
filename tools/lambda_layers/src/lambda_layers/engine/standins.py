"""Lambda-like stand-in images, built here with no registry and reused while their recipe holds.

A stand-in is built in two steps, each reused when present:
1. rootfs: `debootstrap --variant=minbase` of the recipe's Debian suite and architecture (arm64
   under qemu emulation), tarred and imported through the SDK;
2. stand-in: a container of the rootfs (network host, host CA bundle) puts Python at Lambda's
   Python home, installs awslambdaric and the AWS SDK (boto3, which Lambda ships) where that
   Python lives, and is committed with Lambda's ENV, WORKDIR and labels, tagged
   `lambda-layers-standin:<runtime>-<arch>-<recipe hash>`.
"""

from __future__ import annotations

import contextlib
import fcntl
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docker.errors import DockerException

from lambda_layers.base.console import console, run_command, step
from lambda_layers.base.errors import ContainerError
from lambda_layers.base.settings import Settings
from lambda_layers.engine.client import Client, docker_client, image_present, require_image
from lambda_layers.engine.host import (
    ca_bundle,
    debian_mirror,
    debootstrap_script,
    find_links_directories,
    pyenv_python,
    require_rootfs_tools,
)
from lambda_layers.engine.images import CONTAINER_CA, cache_directory
from lambda_layers.engine.runner import ContainerRun, Mount, Network, RunOptions
from lambda_layers.platform.facts import Architecture, PythonSource, Runtime, facts
from lambda_layers.platform.host import Host
from lambda_layers.platform.standins import Recipe, recipe_for

LABEL_PREFIX = "org.lambda-layers"
_PYENV_MOUNT = "/lambda-layers/python"
_SETUP_TIMEOUT = 1800.0


@contextlib.contextmanager
def _exclusive(tag: str, settings: Settings) -> Iterator[None]:
    """One builder per tag across processes (parallel sessions may ask for the same image)."""
    path = cache_directory(settings) / f"{tag.replace(':', '_').replace('/', '_')}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_standin(
    runtime_: Runtime, architecture: Architecture, settings: Settings | None = None
) -> str:
    """The stand-in's tag, building it (and its rootfs) first when it is not here."""
    settings = settings or Settings.from_environment()
    recipe = recipe_for(runtime_, architecture)
    tag = recipe.tag()
    client = docker_client()
    try:
        if image_present(client, tag):
            console.print(f"[dim]· {tag}: present, reused[/dim]")
            return tag
        with _exclusive(tag, settings):
            if image_present(client, tag):
                return tag
            with step(f"stand-in {recipe.runtime} {recipe.architecture.value} -> {tag}"):
                _ensure_rootfs(client, recipe, settings)
                _build_standin(client, recipe, settings)
    finally:
        client.close()
    return tag


def ensure_standins(
    targets: Sequence[tuple[Runtime, Architecture]],
    settings: Settings | None = None,
    *,
    jobs: int = 1,
) -> list[str]:
    """Every target's stand-in tag, building missing ones `jobs` at a time (debootstrap is
    mostly network and disk: an amd64 download overlaps an arm64 one's emulated setup).

    Two recipes on one rootfs share it (the second waits for it). Every failure is collected,
    then one ContainerError names them all; the images that did build are kept."""
    settings = settings or Settings.from_environment()

    def ensure(target: tuple[Runtime, Architecture]) -> str | ContainerError:
        try:
            return ensure_standin(*target, settings)
        except ContainerError as error:
            return error

    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="standin") as pool:
        outcomes = list(pool.map(ensure, targets))
    failures = [
        f"{runtime_.name} {architecture.value}: {outcome}"
        for (runtime_, architecture), outcome in zip(targets, outcomes, strict=True)
        if isinstance(outcome, ContainerError)
    ]
    if failures:
        raise ContainerError(
            f"{len(failures)} of {len(targets)} stand-in images failed:\n\n" + "\n\n".join(failures)
        )
    return [outcome for outcome in outcomes if isinstance(outcome, str)]


def _ensure_rootfs(client: Client, recipe: Recipe, settings: Settings) -> None:
    tag = recipe.rootfs_tag()
    with _exclusive(tag, settings):
        if image_present(client, tag):
            console.print(f"  [dim]· rootfs {tag}: present, reused[/dim]")
            return
        require_rootfs_tools(recipe.architecture, Host.detect(settings))
        scratch = Path(tempfile.mkdtemp(prefix="rootfs-", dir=cache_directory(settings)))
        try:
            tree = scratch / "tree"
            with step(f"debootstrap {recipe.suite} {recipe.debian_arch}"):
                run_command(
                    ["debootstrap", "--variant=minbase", f"--arch={recipe.debian_arch}",
                     f"--include={','.join(recipe.packages)}", recipe.suite, tree,
                     debian_mirror(settings), *debootstrap_script(recipe.suite)],
                    timeout=_SETUP_TIMEOUT,
                )  # fmt: skip
            archive = scratch / "rootfs.tar"
            with step(f"import rootfs as {tag}"):
                run_command(
                    ["tar", "--numeric-owner", "-C", tree, "-cf", archive, "."],
                    timeout=_SETUP_TIMEOUT,
                )
                repository, name = tag.split(":")
                try:
                    client.api.import_image_from_file(str(archive), repository=repository, tag=name)
                except DockerException as error:
                    raise ContainerError(f"could not import the rootfs as {tag}: {error}") from None
                require_image(client, tag)
        finally:
            run_command(["rm", "-rf", "--one-file-system", scratch], timeout=_SETUP_TIMEOUT)


def _setup_script(recipe: Recipe) -> str:
    version, home = recipe.python_version, facts().paths.python_home
    python = f"{home}/bin/python{version}"
    if recipe.python is PythonSource.PYENV:
        place = f"mkdir -p {home} && cp -a {_PYENV_MOUNT}/. {home}/"
    else:
        place = (
            f"test -x /usr/bin/python{version} || {{ echo 'no /usr/bin/python{version} in "
            f"{recipe.suite}' >&2; exit 3; }}; mkdir -p {home}/bin && "
            f"ln -sf /usr/bin/python{version} {python} && "
            f"rm -f /usr/lib/python{version}/EXTERNALLY-MANAGED"
        )
    return " && ".join([
        "set -eu",
        place,
        f"ln -sf python{version} {home}/bin/python3",
        f"ln -sf python{version} {home}/bin/python",
        "mkdir -p /var/task /var/runtime /opt",
        f"{python} -m pip install --no-cache-dir --no-compile --only-binary=:all: "
        f"--disable-pip-version-check {recipe.awslambdaric} {' '.join(recipe.runtime_sdk)}",
        f"{python} -c 'import awslambdaric, boto3, sys; print(sys.version)'",
        "rm -rf /root/.cache",
    ])  # fmt: skip


def _build_standin(client: Client, recipe: Recipe, settings: Settings) -> None:
    home = facts().paths.python_home
    mounts = [Mount(source=ca_bundle(), target=CONTAINER_CA)]
    mounts += [Mount(source=path, target=str(path)) for path in find_links_directories(settings)]
    if recipe.python is PythonSource.PYENV:
        mounts.append(
            Mount(source=pyenv_python(settings, recipe.python_version), target=_PYENV_MOUNT)
        )
    # Settings go on the command line, not in the container's config: commit keeps that config.
    variables = {"SSL_CERT_FILE": CONTAINER_CA, "PIP_CERT": CONTAINER_CA, "HOME": "/root",
                 "LD_LIBRARY_PATH": f"{home}/lib", **settings.package_index}  # fmt: skip
    options = RunOptions(
        image=recipe.rootfs_tag(),
        command=["env", *(f"{k}={v}" for k, v in variables.items()), "sh", "-c",
                 _setup_script(recipe)],
        purpose=f"standin-{recipe.runtime}-{recipe.architecture.value}",
        mounts=mounts,
        network=Network.HOST,
        read_only=False,
        tmpfs={},
    )  # fmt: skip
    tag = recipe.tag()
    with (
        step(f"install awslambdaric ({recipe.runtime} {recipe.architecture.value})"),
        ContainerRun(client, options) as run,
    ):
        result = run.wait(timeout=_SETUP_TIMEOUT)
        if not result.ok:
            raise ContainerError(
                f"setting up the {recipe.runtime} {recipe.architecture.value} stand-in failed "
                f"(exit {result.exit_code}) in {recipe.rootfs_tag()}:\n{result.logs[-3000:]}\n"
                "Check the network to the package index (PIP_INDEX_URL) and the CA bundle"
            )
        repository, name = tag.split(":")
        labels = {"runtime": recipe.runtime, "architecture": recipe.architecture.value,
                      "recipe": recipe.digest()}  # fmt: skip
        changes = [
            *(f"ENV {key}={value}" for key, value in recipe.environment().items()),
            "WORKDIR /var/task",
            *(f"LABEL {LABEL_PREFIX}.{key}={value}" for key, value in labels.items()),
            f'CMD ["{home}/bin/python3"]',
        ]
        try:
            run._running().commit(repository=repository, tag=name, changes=changes)
        except DockerException as error:
            raise ContainerError(f"could not commit {tag}: {error}") from None
