"""Specs a user writes for packages this repository has never seen, against the real index:
misspelled names, conflicting pins, sdist-only packages, a pinned boto3, layers that cannot fit.
Each builds (or fails) the way the user meets it: through `run_build`, as the CLI calls it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.base.errors import (
    LayerToolError,
    NoWheelError,
    UnsatisfiableError,
)
from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build

RepositoryFactory = Callable[[str], Path]  # the `scratch_repository` fixture (../conftest.py)


def _spec(name: str, requirements: list[str], *, runtime: str = "python3.12",
          arch: str = "arm64", extra: str = "") -> str:  # fmt: skip
    return (
        f'name = "{name}"\nrequirements = {json.dumps(requirements)}\n'
        f'runtimes = ["{runtime}"]\narchitectures = ["{arch}"]\n{extra}\n'
    )


def _build(root: Path, layer: str, builder: BuilderName = BuilderName.AUTO) -> dict[str, object]:
    manifest = run_build(
        layers=[layer], runtimes=[], architectures=[], builder=builder, image=None, force=False,
        output=root / "dist", root=root,
    )  # fmt: skip
    return {name: entry.model_dump() for name, entry in manifest.layers.items()}


def test_a_misspelled_name_stops_with_uvs_cause_not_a_container(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN a spec naming a project the index does not have
    root = scratch_repository(_spec("typo", ["reqeusts-oauth-nonexistent-zz==1.0"]))
    # WHEN it is built with the default builder
    with pytest.raises(UnsatisfiableError) as raised:
        _build(root, "typo")
    # THEN it stops on the spec (exit 2), in uv's words, naming the requirement and the fix
    message = str(raised.value)
    assert raised.value.exit_code == 2
    assert message.startswith("layers/typo.toml: field requirements: no such project")
    assert "reqeusts-oauth-nonexistent-zz was not found in the package registry" in message
    assert 'concerns: "reqeusts-oauth-nonexistent-zz==1.0"' in message
    assert "fix: check the name" in message
    # AND never went near Docker or suggested an older release with a wheel
    assert "image" not in message and "docker" not in message.lower()
    assert "older release" not in message
    assert not list(root.glob("layers/locks/**/*.txt"))


def test_conflicting_pins_name_both_requirements(scratch_repository: RepositoryFactory) -> None:
    root = scratch_repository(_spec("conflict", ["requests==2.32.3", "urllib3<1.21"]))
    with pytest.raises(UnsatisfiableError) as raised:
        _build(root, "conflict")
    message = str(raised.value)
    assert "requests==2.32.3 depends on urllib3>=1.21.1,<3" in message
    assert 'concerns: "requests==2.32.3", "urllib3<1.21"' in message
    assert "fix: loosen or align these pins" in message


def test_an_sdist_only_requirement_goes_to_a_container_only_with_a_builder_that_can(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN a requirement with no wheel at all (pyperclip 1.9.0 is an sdist only), for a target
    # no stand-in exists for (python3.12 on arm64)
    root = scratch_repository(_spec("clip", ["pyperclip==1.9.0"]))
    # WHEN built with the local builder THEN it stops: only a container may build an sdist
    with pytest.raises(NoWheelError) as local:
        _build(root, "clip", BuilderName.LOCAL)
    assert local.value.exit_code == 3
    assert "pyperclip==1.9.0 has no usable wheels" in str(local.value)
    assert "fix: build it with `--builder docker`" in str(local.value)
    # WHEN built with `auto` (or docker) THEN it falls back to a container, whose absence is the
    # one thing left to fix, said as one sentence naming what to pull
    for builder in (BuilderName.AUTO, BuilderName.DOCKER):
        with pytest.raises(LayerToolError) as fallback:
            _build(root, "clip", builder)
        message = str(fallback.value)
        assert "neither" not in message and "nor no" not in message
        assert (
            "no image for python3.12 on arm64 is on this machine, and no stand-in can be built "
            "for it here: `docker pull public.ecr.aws/lambda/python:3.12-arm64`"
            in message
            or "no Docker engine answers" in message  # a machine with no engine at all
        )


def test_a_named_runtime_distribution_ships_and_says_it_shadows_the_runtimes(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN a spec holding only boto3 (which the Lambda runtime ships its own copy of)
    root = scratch_repository(_spec("sdk", ["boto3>=1.40"], runtime="python3.13", arch="x86_64",
                                    extra='imports = ["boto3"]'))  # fmt: skip
    # WHEN it is built
    entry = _build(root, "sdk")["sdk-python3.13-x86_64.zip"]
    # THEN the user's boto3 is in it, with the botocore and s3transfer it was resolved with
    distributions = entry["distributions"]  # type: ignore[index]
    assert {"boto3", "botocore", "s3transfer", "jmespath"} <= set(distributions)
    # AND the manifest says it shadows the runtime's copy
    shadows = entry["shadows_runtime"]  # type: ignore[index]
    assert [item.split()[0] for item in shadows] == ["boto3", "botocore", "s3transfer"]
    assert any("shadow the AWS SDK the Lambda runtime ships" in w for w in entry["warnings"])  # type: ignore[index]


def test_a_layer_left_with_nothing_is_never_passed(scratch_repository: RepositoryFactory) -> None:
    root = scratch_repository(_spec("nothing", ["six==1.17.0"], extra='exclude = ["six"]'))
    with pytest.raises(LayerToolError) as raised:
        _build(root, "nothing")
    assert "[empty] 1 problem:" in str(raised.value)
    assert "holds no distribution and no files" in str(raised.value)
    assert not list((root / "dist").glob("*.zip"))


def test_torch_for_arm64_is_refused_from_the_lock_before_any_download(
    scratch_repository: RepositoryFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN torch for arm64: its closure's wheels weigh about 3 GB on the index
    root = scratch_repository(_spec("torch", ["torch"]))
    # WHEN it is built
    with pytest.raises(LayerToolError) as raised:
        _build(root, "torch")
    # THEN it is refused on the wheels' sizes, naming the rule and the largest, before installing
    message = str(raised.value)
    assert "[unzipped-size] 1 problem:" in message
    assert "its wheels alone are" in message and "refused before downloading them" in message
    assert "torch " in message.split("largest:")[1]
    assert "uv pip install" not in capsys.readouterr().err
    # AND its size report is written (table and treemap) though no zip is
    report = root / "dist" / "torch-python3.12-arm64.sizes.md"
    assert f"size report: {report}" in message
    assert "Refused before anything was downloaded" in report.read_text()
    assert "| torch |" in report.read_text()
    assert "<rect" in (root / "dist" / "torch-python3.12-arm64.sizes.svg").read_text()
    assert not list((root / "dist").glob("*.zip"))


def test_a_layer_over_its_limit_after_install_is_refused_before_compiling(
    scratch_repository: RepositoryFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a limit the wheel (11 kB compressed) is under but the installed files (37 kB) are not
    root = scratch_repository(_spec("tight", ["six==1.17.0"], runtime="python3.12",
                                    arch="x86_64", extra="max_unzipped_mb = 0.02"))  # fmt: skip
    with pytest.raises(LayerToolError) as raised:  # the build's one error, naming each failure
        _build(root, "tight", BuilderName.LOCAL)
    # THEN the refusal names the rule, and nothing was compiled
    assert "[unzipped-size]" in str(raised.value)
    assert "over the spec's max_unzipped_mb" in str(raised.value)
    assert "compileall" not in capsys.readouterr().err
    report = (root / "dist" / "tight-python3.12-x86_64.sizes.md").read_text()
    assert "Refused: this is the layer as installed" in report and "| six |" in report
