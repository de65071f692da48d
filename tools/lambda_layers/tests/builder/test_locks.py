"""Locks: uv's output read back (pins, hashes, who needs what), notes kept in the header, and the
runtime-provided distributions left out only when nothing else needs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.builder.locks import installable, parse_lock, read_lock
from lambda_layers.layer.spec import LayerSpec
from lambda_layers.platform.facts import Architecture, runtime

LOCK = """\
# Lock for layer demo: python3.12 on arm64 (aarch64-manylinux_2_34, wheels only).
# Made by `lambda-layers lock`; do not edit by hand.
# requirements-fingerprint: {fingerprint}
boto3==1.40.0 \\
    --hash=sha256:aaa \\
    --hash=sha256:bbb
    # via demo-client
botocore==1.40.0 \\
    --hash=sha256:ccc
    # via
    #   boto3
    #   s3transfer
demo-client==2.0 \\
    --hash=sha256:ddd
    # via layers/demo.toml
    # wheel: 123456 bytes demo_client-2.0-py3-none-any.whl
jmespath==1.0.1 \\
    --hash=sha256:eee
    # via
    #   boto3
    #   botocore
python-dateutil==2.9.0 \\
    --hash=sha256:fff
    # via
    #   botocore
    #   demo-client
"""


def _spec(**fields: object) -> LayerSpec:
    return LayerSpec.model_validate({"name": "demo", "requirements": ["demo-client"],
                                     "runtimes": ["python3.12"], "architectures": ["arm64"],
                                     **fields})  # fmt: skip


def _lock(tmp_path: Path, spec: LayerSpec) -> Path:
    path = tmp_path / "layers" / "locks" / "demo" / "python3.12-arm64.txt"
    path.parent.mkdir(parents=True)
    path.write_text(LOCK.format(fingerprint=spec.requirements_fingerprint()))
    return path


def test_a_lock_reads_back_as_pins_hashes_and_who_needs_each(tmp_path: Path) -> None:
    lock = parse_lock(_lock(tmp_path, _spec()))
    pins = {item.name: item for item in lock.distributions}
    assert lock.versions() == {"boto3": "1.40.0", "botocore": "1.40.0", "demo-client": "2.0",
                               "jmespath": "1.0.1", "python-dateutil": "2.9.0"}  # fmt: skip
    assert pins["boto3"].hashes == ("sha256:aaa", "sha256:bbb")
    assert pins["botocore"].required_by == {"boto3", "s3transfer"}
    assert pins["boto3"].required_by == {"demo-client"}
    assert pins["boto3"].requirement_text() == "boto3==1.40.0 --hash=sha256:aaa --hash=sha256:bbb"


def test_a_pin_asked_for_by_the_spec_and_its_wheel_size_read_back(tmp_path: Path) -> None:
    pins = {item.name: item for item in parse_lock(_lock(tmp_path, _spec())).distributions}
    client = pins["demo-client"]
    assert client.requested and client.required_by == frozenset()
    assert (client.wheel, client.wheel_bytes) == ("demo_client-2.0-py3-none-any.whl", 123456)
    assert not pins["boto3"].requested and pins["boto3"].wheel_bytes is None


def test_runtime_provided_ones_and_their_lone_dependencies_are_left_out(tmp_path: Path) -> None:
    lock = parse_lock(_lock(tmp_path, _spec()))
    kept, gone = installable(_spec(), lock)
    # boto3 and botocore: the runtime ships them; jmespath: only they needed it;
    # python-dateutil: demo-client needs it too, so it stays
    assert [item.name for item in kept] == ["demo-client", "python-dateutil"]
    assert gone == [
        "boto3 (provided by the Lambda runtime)", "botocore (provided by the Lambda runtime)",
        "jmespath (provided by the Lambda runtime (needed only by left-out ones))",
    ]  # fmt: skip
    # naming boto3 ships the runtime's SDK as the lock resolved it (botocore with it: a boto3
    # must never meet another botocore), and jmespath, which they need
    for named in (
        _spec(keep_runtime_provided=["boto3"]),
        _spec(requirements=["demo-client", "boto3>=1.40"]),
    ):
        kept, gone = installable(named, lock)
        assert {item.name for item in kept} == {"boto3", "botocore", "demo-client", "jmespath",
                                                "python-dateutil"}  # fmt: skip
        assert gone == []


def test_a_lock_made_for_other_requirements_is_stale(tmp_path: Path) -> None:
    _lock(tmp_path, _spec())
    changed = _spec(requirements=["demo-client>=2"])
    with pytest.raises(ConfigurationError, match="lock_layers -- --layer demo"):
        read_lock(tmp_path, changed, runtime("python3.12"), Architecture.ARM64)
    assert read_lock(tmp_path, _spec(), runtime("python3.12"), Architecture.ARM64) is not None
