"""functions/functions.toml: the repository's declarations load; mistakes name file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.layer.functions import Service, load_functions, load_services, select_functions
from lambda_layers.platform.facts import supported_runtimes
from lambda_layers.run.services import service_environment


def test_the_repository_declares_its_functions(repository: Path) -> None:
    functions = {spec.name: spec for spec in load_functions(repository)}
    assert {"label-receipt", "validate-labels", "query-snapshot", "compact"} <= set(functions)
    for name in ("query-snapshot", "compact"):
        assert functions[name].layers == ["receipt-chroma-full"]
        assert functions[name].services == [Service.S3]
    validate = functions["validate-labels"]
    assert validate.layers == ["receipt-label", "receipt-chroma"]
    assert validate.services == [Service.CHROMA]
    assert validate.handler_module == "handler"
    assert all(event.event for spec in functions.values() for event in spec.events)
    # every function is proven on every runtime Lambda supports, on both architectures
    for spec in functions.values():
        assert set(spec.all_runtimes) == set(supported_runtimes()), spec.name
        assert len(spec.architectures) == 2
    # and its cold start is reported where it deploys and where it moves next
    assert validate.cold_start_runtimes == ["python3.13", "python3.14"]


@pytest.fixture
def scratch_root(tmp_path: Path, repository: Path) -> Path:
    shutil.copytree(
        repository / "layers", tmp_path / "layers", ignore=shutil.ignore_patterns("locks")
    )
    (tmp_path / "functions" / "demo").mkdir(parents=True)
    (tmp_path / "functions" / "demo" / "handler.py").write_text("def handle(e, c): return {}\n")
    return tmp_path


def _declare(root: Path, text: str) -> None:
    (root / "functions" / "functions.toml").write_text(text)


GOOD = """
[functions.demo]
runtime = "python3.13"
architectures = ["arm64"]
layers = ["receipt-label"]
handler = "handler.handle"
[[functions.demo.events]]
name = "e"
event = { a = 1 }
expect = { ok = true }
"""


def test_a_minimal_declaration_loads(scratch_root: Path) -> None:
    _declare(scratch_root, GOOD)
    (spec,) = load_functions(scratch_root)
    assert spec.memory_mb == 512
    assert spec.events[0].event == {"a": 1}
    with pytest.raises(ConfigurationError, match=r"unknown functions \['nope'\]"):
        select_functions([spec], ["nope"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("memory_mb", "memory_mb = 64\n"), r"field functions\.demo\.memory_mb"),
        (("extra", 'colour = "red"\n'), r"field functions\.demo\.colour: Extra inputs"),
        (("layer", None), r"field functions\.demo\.layers: no layer spec .*nope\.toml"),
        (
            ("handler", None),
            r"field functions\.demo\.handler: 'missing\.handle' needs "
            r"functions/demo/missing\.py",
        ),
        (("env", 'environment = { AWS_REGION = "x" }\n'), r"set by Lambda itself"),
        (("runtime", None), r"unknown Lambda runtime 'python2\.7'"),
        (
            ("deprecated", None),
            r"functions\.demo\.runtime: .*python3\.10 was deprecated on 2026-10-31",
        ),
    ],
)
def test_mistakes_name_the_file_and_field(
    scratch_root: Path, change: tuple[str, str | None], message: str
) -> None:
    kind, line = change
    text = GOOD
    if kind == "layer":
        text = text.replace('["receipt-label"]', '["nope"]')
    elif kind == "handler":
        text = text.replace("handler.handle", "missing.handle")
    elif kind in {"runtime", "deprecated"}:
        text = text.replace('"python3.13"', '"python2.7"' if kind == "runtime" else '"python3.10"')
    else:
        text = text.replace('handler = "handler.handle"\n', f'handler = "handler.handle"\n{line}')
    _declare(scratch_root, text)
    with pytest.raises(ConfigurationError, match=message) as caught:
        load_functions(scratch_root)
    assert "functions.toml" in str(caught.value)


def test_a_layer_not_built_for_a_declared_runtime_is_named(scratch_root: Path) -> None:
    spec = scratch_root / "layers" / "receipt-label.toml"
    text = spec.read_text().replace(
        'runtimes = ["python3.14", "python3.13", "python3.12", "python3.11"]',
        'runtimes = ["python3.12"]',
    )
    spec.write_text(text)
    _declare(scratch_root, GOOD)
    with pytest.raises(
        ConfigurationError,
        match=r"layer 'receipt-label' is not built for "
        r"\['python3\.13'\]",
    ):
        load_functions(scratch_root)


def test_a_service_is_found_through_the_environment_its_table_declares(repository: Path) -> None:
    declared = load_services(repository)[Service.CHROMA]
    assert service_environment(declared, "http://127.0.0.1:8123") == {
        "RECEIPT_CHROMA_HOST": "127.0.0.1",
        "RECEIPT_CHROMA_PORT": "8123",
    }
    s3 = load_services(repository)[Service.S3]
    assert service_environment(s3, "http://127.0.0.1:5000") == {
        "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:5000"
    }


def test_a_service_with_no_table_is_named(scratch_root: Path) -> None:
    uses_s3 = GOOD.replace(
        'handler = "handler.handle"\n', 'handler = "handler.handle"\nservices = ["s3"]\n'
    )
    _declare(scratch_root, uses_s3)
    with pytest.raises(ConfigurationError, match=r"functions\.demo\.services: no \[services\.s3\]"):
        load_functions(scratch_root)
    _declare(scratch_root, uses_s3 + '[services.s3]\nenvironment = { ENDPOINT = "{url}" }\n')
    (spec,) = load_functions(scratch_root)
    assert spec.services == [Service.S3] and spec.import_comparison is None


def test_an_import_comparison_names_two_modules(scratch_root: Path) -> None:
    comparison = 'handler = "handler.handle"\nimport_comparison = ["one"]\n'
    _declare(scratch_root, GOOD.replace('handler = "handler.handle"\n', comparison))
    with pytest.raises(ConfigurationError, match=r"functions\.demo\.import_comparison"):
        load_functions(scratch_root)
