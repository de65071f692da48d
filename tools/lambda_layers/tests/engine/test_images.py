"""Stand-in images: tagged by recipe hash, reused, Lambda's environment, the right CPU."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import docker
import pytest

from lambda_layers.base.errors import ContainerError
from lambda_layers.engine.images import resolve_image, standin_targets
from lambda_layers.engine.runner import RunOptions, run_to_completion
from lambda_layers.engine.standins import ensure_standin
from lambda_layers.platform.facts import Architecture, facts, runtime
from lambda_layers.platform.standins import recipe_for, recipes

pytestmark = pytest.mark.docker
StandinFactory = Callable[[str, Architecture], str]  # the `standin` fixture (../conftest.py)

LANG_DIR = facts().paths.python_home
STANDINS = [(rt.name, arch) for rt, arch in standin_targets()]
IDS = [f"{name}-{arch.value}" for name, arch in STANDINS]


def _python(client: docker.DockerClient, tag: str, code: str) -> str:
    options = RunOptions(image=tag, command=[f"{LANG_DIR}/bin/python3", "-c", code],
                         purpose="test-images")  # fmt: skip
    result = run_to_completion(client, options, timeout=300)
    assert result.ok, result.logs
    return result.logs.strip()


def test_the_stand_ins_are_the_contracts_seven() -> None:
    assert sorted(IDS) == [
        "python3.11-arm64", "python3.11-x86_64", "python3.12-x86_64",
        "python3.13-arm64", "python3.13-x86_64", "python3.14-arm64", "python3.14-x86_64",
    ]  # fmt: skip


def test_tag_holds_the_recipe_hash_and_changes_with_the_recipe() -> None:
    # GIVEN every recipe WHEN tagged THEN the tag ends with its hash, unique per recipe
    tags = {recipe.tag() for recipe in recipes()}
    assert len(tags) == len(recipes())
    for recipe in recipes():
        assert recipe.tag() == (
            f"lambda-layers-standin:{recipe.runtime}-{recipe.architecture.value}-{recipe.digest()}"
        )
        changed = dataclasses.replace(recipe, awslambdaric="awslambdaric==4.2.1")
        assert changed.digest() != recipe.digest()


@pytest.mark.parametrize(("runtime_name", "architecture"), STANDINS, ids=IDS)
def test_image_config_is_lambdas(
    docker_engine: docker.DockerClient,
    standin: StandinFactory,
    runtime_name: str,
    architecture: Architecture,
) -> None:
    tag = standin(runtime_name, architecture)
    recipe = recipe_for(runtime(runtime_name), architecture)
    config = docker_engine.images.get(tag).attrs["Config"]
    environment = dict(item.split("=", 1) for item in config["Env"])
    assert environment == recipe.environment()
    assert environment["PYTHONPATH"] == (
        f"/var/task:/opt/python/lib/{runtime_name}/site-packages:/opt/python"
    )
    assert config["WorkingDir"] == "/var/task"
    assert config["Labels"] == {
        "org.lambda-layers.runtime": runtime_name,
        "org.lambda-layers.architecture": architecture.value,
        "org.lambda-layers.recipe": recipe.digest(),
    }
    assert tag.endswith(recipe.digest())


@pytest.mark.parametrize(("runtime_name", "architecture"), STANDINS, ids=IDS)
def test_interpreter_cpu_pip_and_awslambdaric(
    docker_engine: docker.DockerClient,
    standin: StandinFactory,
    runtime_name: str,
    architecture: Architecture,
) -> None:
    tag = standin(runtime_name, architecture)
    code = (
        "import platform, sys, awslambdaric, boto3, pip, ssl, sqlite3; "
        "print(platform.machine(), '%d.%d' % sys.version_info[:2], "
        "awslambdaric.__file__.startswith(sys.prefix) or awslambdaric.__file__, boto3.__version__)"
    )
    machine, version, in_runtime, sdk = _python(docker_engine, tag, code).split()
    assert f"boto3=={sdk}" in recipe_for(runtime(runtime_name), architecture).runtime_sdk
    assert machine == {"arm64": "aarch64", "x86_64": "x86_64"}[architecture.value]
    assert f"python{version}" == runtime_name
    assert in_runtime == "True"  # installed where the runtime's Python lives
    versioned = _python(
        docker_engine, tag, f"import os; print(os.path.realpath('{LANG_DIR}/bin/{runtime_name}'))"
    )
    assert versioned.split("/")[-1] == runtime_name


def test_second_ensure_is_a_no_op(
    docker_engine: docker.DockerClient, standin: StandinFactory
) -> None:
    # GIVEN a present stand-in
    tag = standin("python3.11", Architecture.X86_64)
    before = docker_engine.images.get(tag).id
    containers_before = {c.name for c in docker_engine.containers.list(all=True)}
    # WHEN it is ensured again THEN the same image comes back and nothing ran
    assert ensure_standin(runtime("python3.11"), Architecture.X86_64) == tag
    assert docker_engine.images.get(tag).id == before
    assert {c.name for c in docker_engine.containers.list(all=True)} == containers_before


def test_resolve_prefers_override_then_official_then_standin(
    docker_engine: docker.DockerClient, standin: StandinFactory
) -> None:
    tag = standin("python3.13", Architecture.X86_64)
    python313 = runtime("python3.13")
    assert resolve_image(python313, Architecture.X86_64) == tag  # no official image here
    repository, name = tag.split(":")
    pattern = f"{repository}:{{runtime}}-{{architecture}}-{name.rsplit('-', 1)[1]}"
    assert resolve_image(python313, Architecture.X86_64, override=pattern) == tag
    with pytest.raises(ContainerError, match=r"python3\.99-x86_64.*never pulls"):
        resolve_image(python313, Architecture.X86_64, override=f"{repository}:python3.99-x86_64")


def test_no_stand_in_for_arm64_python312_says_what_to_do(
    docker_engine: docker.DockerClient,
) -> None:
    with pytest.raises(ContainerError) as raised:
        resolve_image(runtime("python3.12"), Architecture.ARM64)
    # one sentence: what is missing, and the one way to get it (no stand-in recipe exists)
    assert str(raised.value) == (
        "no image for python3.12 on arm64 is on this machine, and no stand-in can be built for "
        "it here: `docker pull public.ecr.aws/lambda/python:3.12-arm64` on a machine with "
        "registry access and `docker load` it here (lambda-layers never pulls; `--image` names "
        "another image)"
    )
