"""`build` checks every function stack its layers complete: a user's two layers pinning different
urllib3, a function over Lambda's 250 MB, one with six layers, a layer with an old boto3."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError, VerificationError
from lambda_layers.builder.builders import BuilderName
from lambda_layers.builder.commands import run_build
from lambda_layers.layer.checks.stack import older_runtime_sdk
from lambda_layers.layer.contents import read_layer
from lambda_layers.platform.facts import facts, limits

RepositoryFactory = Callable[[str], Path]  # the `scratch_repository` fixture (../conftest.py)
ZipFactory = Callable[..., Path]
RUNTIME, ARCH = "python3.12", "x86_64"


def _spec(name: str, requirements: list[str]) -> str:
    return (
        f'name = "{name}"\nrequirements = {json.dumps(requirements)}\n'
        f'runtimes = ["{RUNTIME}"]\narchitectures = ["{ARCH}"]\n'
    )


def _repository(
    scratch_repository: RepositoryFactory,
    layers: dict[str, list[str]],
    stack: list[str],
    imports: list[str] | None = None,
) -> Path:
    """A repository with these layer specs and one function `api` stacking `stack`."""
    first, *rest = layers.items()
    root = scratch_repository(_spec(first[0], first[1]))
    for name, requirements in rest:
        (root / "layers" / f"{name}.toml").write_text(_spec(name, requirements))
    code = root / "functions" / "api"
    code.mkdir(parents=True)
    (code / "handler.py").write_text("def handle(event, context):\n    return {}\n")
    (root / "functions" / "functions.toml").write_text(
        f'[functions.api]\nruntime = "{RUNTIME}"\narchitectures = ["{ARCH}"]\n'
        f'layers = {json.dumps(stack)}\nhandler = "handler.handle"\n'
        f"imports = {json.dumps(imports or [])}\n"
        '[[functions.api.events]]\nname = "ping"\nevent = {}\n'
    )
    return root


def _build(root: Path, layers: list[str]) -> None:
    run_build(
        layers=layers, runtimes=[], architectures=[], builder=BuilderName.LOCAL, image=None,
        force=False, output=root / "dist", root=root,
    )  # fmt: skip


def test_two_layers_pinning_different_urllib3_fail_the_build_conflict_first(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN two layers, each valid alone, pinning urllib3 2.2.3 and 2.5.0, and a function
    # stacking both
    root = _repository(
        scratch_repository,
        {"old-http": ["urllib3==2.2.3"], "new-http": ["urllib3==2.5.0"]},
        ["old-http", "new-http"],
    )
    # WHEN both are built
    with pytest.raises(VerificationError) as raised:
        _build(root, [])
    # THEN both zips are written (each passed alone) ...
    assert {path.name for path in (root / "dist").glob("*.zip")} == {
        f"old-http-{RUNTIME}-{ARCH}.zip", f"new-http-{RUNTIME}-{ARCH}.zip"
    }  # fmt: skip
    # ... and the build fails (a verification error's exit code) with the conflict on its first
    # line: the function, runtime, architecture, both versions, which layers ship them, the fix
    assert raised.value.exit_code == 4
    message = str(raised.value)
    first = message.splitlines()[0]
    assert first.startswith(
        f"function api on {RUNTIME} {ARCH} (old-http + new-http): [versions] urllib3: "
        "2.2.3 in old-http (python/urllib3-2.2.3.dist-info); "
        "2.5.0 in new-http (python/urllib3-2.5.0.dist-info)"
    )
    assert "pin the same version in every layer" in first
    # AND the paths the two urllib3 share with different bytes are summarised, not listed
    assert "[overlaps]" in message and "paths differ between layers, e.g.:" in message
    assert "... and " in message
    assert len(message.splitlines()) <= 8
    assert "1 of 1 function stacks cannot deploy as declared" in message


def test_a_function_over_250_mb_with_its_layers_fails_the_build(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN a small layer, and a function whose own folder holds a 250 MB model file (sparse:
    # its size is real to the check, its disk blocks are not)
    root = _repository(scratch_repository, {"tiny": ["six==1.17.0"]}, ["tiny"])
    with (root / "functions" / "api" / "model.bin").open("wb") as blob:
        os.truncate(blob.fileno(), limits().unzipped_bytes)
    # WHEN the layer is built THEN the stack is refused on its size, naming the parts
    with pytest.raises(VerificationError) as raised:
        _build(root, ["tiny"])
    first = str(raised.value).splitlines()[0]
    assert first.startswith(f"function api on {RUNTIME} {ARCH} (tiny): [size] function and layers")
    assert "over Lambda's 262,144,000 (250 MiB)" in first
    assert (root / "dist" / f"tiny-{RUNTIME}-{ARCH}.zip").is_file()


def test_a_function_stacking_six_layers_is_refused(scratch_repository: RepositoryFactory) -> None:
    # GIVEN a function stacking six layers (Lambda attaches at most five)
    names = [f"part{index}" for index in range(6)]
    root = _repository(scratch_repository, {name: ["six==1.17.0"] for name in names}, names)
    # WHEN one of them is built THEN the declaration is refused, naming the field and the limit
    with pytest.raises(ConfigurationError) as raised:
        _build(root, ["part0"])
    message = str(raised.value)
    assert "field functions.api.layers" in message
    assert "6 layers, and Lambda attaches at most 5 to a function" in message
    assert "merge the requirements of two layers into one spec" in message
    # AND the layer, valid alone, was still written
    assert (root / "dist" / f"part0-{RUNTIME}-{ARCH}.zip").is_file()


def test_a_stack_that_holds_together_passes_and_says_so(
    scratch_repository: RepositoryFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repository(
        scratch_repository, {"one": ["six==1.17.0"], "two": ["six==1.17.0"]}, ["one", "two"],
        imports=["six"],
    )  # fmt: skip
    _build(root, [])
    assert "1 function stacks hold together" in capsys.readouterr().err


def test_a_declared_import_no_layer_provides_fails_the_build(
    scratch_repository: RepositoryFactory,
) -> None:
    # GIVEN a function that imports `requests`, stacked on a layer that holds only six
    root = _repository(scratch_repository, {"one": ["six==1.17.0"]}, ["one"], ["six", "requests"])
    with pytest.raises(VerificationError) as raised:
        _build(root, [])
    assert str(raised.value).splitlines()[0] == (
        f"function api on {RUNTIME} {ARCH} (one): [imports] requests: not importable from the "
        "stack: no layer in the stack provides it"
    )


def test_a_layer_shipping_an_older_aws_sdk_than_the_runtimes_is_reported(
    make_zip: ZipFactory,
) -> None:
    # GIVEN the runtime's SDK (the stand-ins' pins) and a layer with an older botocore
    sdk = facts().standins.runtime_sdk_versions
    assert set(sdk) == {"boto3", "botocore", "s3transfer"}
    old = read_layer(make_zip("old-sdk", {
        "python/botocore-1.30.0.dist-info/METADATA": "m", "python/botocore/__init__.py": "",
        "python/six-1.17.0.dist-info/METADATA": "m",
    }))  # fmt: skip
    new = read_layer(make_zip("new-sdk", {
        f"python/boto3-{sdk['boto3']}.dist-info/METADATA": "m", "python/boto3/__init__.py": "",
    }))  # fmt: skip
    # THEN only the older one is reported, with the versions and the fix
    assert older_runtime_sdk([new], sdk) == []
    (warning,) = older_runtime_sdk([new, old], sdk)
    assert warning.startswith(
        f"old-sdk ships botocore 1.30.0, older than the {sdk['botocore']} the runtime ships"
    )
    assert f"pin botocore>={sdk['botocore']}" in warning
