"""Every declared function's smoke events on the stand-in images (arm64 emulated), and negative
runs proving the harness reports faults the way Lambda does. Needs a Docker engine and the
stand-ins (`nox -s runtime_images`); layers are built here with the local builder."""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import docker
import pytest
from typer.testing import CliRunner

from lambda_layers.base.errors import LayerToolError
from lambda_layers.cli.app import app
from lambda_layers.engine.images import standin_tag
from lambda_layers.layer.checks.findings import Check
from lambda_layers.layer.checks.stack import check_overlaps, check_stack_imports, check_versions
from lambda_layers.layer.contents import LayerContents, read_layer
from lambda_layers.layer.functions import FunctionSpec, SmokeEvent, load_functions
from lambda_layers.platform.facts import Architecture, runtime
from lambda_layers.platform.host import Host
from lambda_layers.run.harness import HarnessOptions, HarnessReport, run_function_tests
from lambda_layers.run.matrix import stack_row
from lambda_layers.run.smoke import FunctionTarget, SmokeResult, run_smoke
from lambda_layers.run.stack import Scratch, build_layers, stack_layers

ARM64, X86_64 = Architecture.ARM64, Architecture.X86_64
STANDINS = [
    ("python3.11", ARM64),
    ("python3.11", X86_64),
    ("python3.12", X86_64),
    ("python3.13", ARM64),
    ("python3.13", X86_64),
    ("python3.14", ARM64),
    ("python3.14", X86_64),
]
FUNCTIONS = ["label-receipt", "validate-labels", "query-snapshot", "compact"]
LAYERS_VARIABLE = "LAMBDA_RUN_TEST_LAYERS"
StandinFactory = Callable[[str, Architecture], str]  # the `standin` fixture (../conftest.py)


@pytest.fixture(scope="session")
def functions(repository: Path) -> dict[str, FunctionSpec]:
    return {spec.name: spec for spec in load_functions(repository)}


def _layers_directory(repository: Path) -> Path:
    """Where the harness builds and reads the zips, and writes its reports: dist/layers, as
    `lambda-layers functions test` does (unchanged layers are not rebuilt)."""
    return Path(os.environ.get(LAYERS_VARIABLE) or repository / "dist" / "layers")


@pytest.fixture(scope="session")
def receipt_label_layer(repository: Path) -> Path:
    """The receipt-label layer for python3.13 x86_64 only (a few seconds; no Docker needed)."""
    output = _layers_directory(repository)
    build_layers({("receipt-label", "python3.13", X86_64)}, output=output, root=repository)
    return output / "receipt-label-python3.13-x86_64.zip"


@pytest.fixture(scope="session")
def built_layers(repository: Path, functions: dict[str, FunctionSpec]) -> Path:
    """Every layer the functions stack, for every stand-in target (unchanged ones skipped)."""
    output = _layers_directory(repository)
    build_layers(
        {
            (layer, name, arch)
            for spec in functions.values()
            for layer in spec.layers
            for name, arch in STANDINS
        },
        output=output,
        root=repository,
    )
    return output


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    with Scratch(tmp_path_factory.mktemp("stacks")) as work:
        yield work


@pytest.fixture(scope="session")
def harness_report(standin: StandinFactory, repository: Path, built_layers: Path) -> HarnessReport:
    """One run of the harness over every function, runtime and architecture (what
    `lambda-layers functions test` does): smoke events, the import matrix and the cold-start
    report, written to dist/layers."""
    for runtime_name, arch in STANDINS:
        standin(runtime_name, arch)  # each one must be here (a failure when CI=true)
    return run_function_tests(
        HarnessOptions(root=repository, output=built_layers, build=False, repeats=3)
    )


def _layers(
    spec: FunctionSpec, runtime_name: str, arch: Architecture, output: Path
) -> list[LayerContents]:
    return stack_layers(spec.layers, runtime=runtime_name, architecture=arch, output=output)


def _explain(result: SmokeResult) -> str:
    logs = result.records.log_text(30) if result.records else ""
    return "\n".join(result.problems()) + "\n" + logs


@pytest.mark.docker
@pytest.mark.parametrize("function_name", FUNCTIONS)
@pytest.mark.parametrize(("runtime_name", "arch"), STANDINS, ids=[f"{r}-{a}" for r, a in STANDINS])
def test_smoke_events_pass_on_the_standins(
    harness_report: HarnessReport,
    functions: dict[str, FunctionSpec],
    function_name: str,
    runtime_name: str,
    arch: Architecture,
) -> None:
    spec = functions[function_name]
    label = f"{function_name} {runtime_name} {arch.value}"
    (result,) = [r for r in harness_report.smoke if r.target.label == label]
    (row,) = [row for row in harness_report.matrix if row.stack == label]
    # WHEN every smoke event ran in one container through awslambdaric
    # THEN each response held what the declaration expects, and init was measured
    assert not result.skipped, result.skipped
    assert result.passed, _explain(result)
    # an emulated run had more time than Lambda gives; a native one exactly Lambda's
    assert result.timeout_factor == Host.detect().timeout_factor(arch)
    assert result.image == standin_tag(runtime(runtime_name), arch)
    assert len(result.events) == len(spec.events)
    assert result.init_ms is not None and result.init_ms > 0
    # AND the stack passes the matrix, imports probed in the runtime itself, from /opt/python
    assert row.probed and row.passed, row.problems()
    assert result.records is not None
    assert {probe.module for probe in result.records.probes} == set(spec.imports)
    assert all(
        probe.file and probe.file.startswith("/opt/python/") for probe in result.records.probes
    )


@pytest.mark.docker
def test_the_harness_writes_the_import_matrix_and_cold_start_reports(
    harness_report: HarnessReport, built_layers: Path, functions: dict[str, FunctionSpec]
) -> None:
    # THEN nothing failed, and the only runs not made are those with no stand-in image
    assert harness_report.passed, harness_report.failures()
    skipped = {r.target.label for r in harness_report.smoke if r.skipped}
    assert skipped == {f"{name} python3.12 arm64" for name in functions}
    # AND the matrix lists every stack, each passing
    matrix = json.loads((built_layers / "import-matrix.json").read_text())
    assert len(matrix["stacks"]) == len(harness_report.smoke)
    assert all(stack["passed"] for stack in matrix["stacks"])
    assert "| stack |" in (built_layers / "import-matrix.md").read_text()
    # AND init was measured with and without .pyc for each function on its deploy runtime and
    # on python3.14 (whose .pyc come from the stand-in's Python), natively only
    cold = json.loads((built_layers / "cold-start.json").read_text())
    measured = {(item["function"], item["runtime"], item["architecture"]) for item in cold["init"]}
    assert measured == {
        (name, runtime_name, "x86_64")
        for name, spec in functions.items()
        for runtime_name in (spec.runtime, "python3.14")
    }
    for item in cold["init"]:
        assert len(item["with_pyc_ms"]) == len(item["without_pyc_ms"]) == 3
        assert item["ratio_without_over_with"] > 0
    # AND import receipt_chroma was set against import chromadb once per stack that has both
    stacks = sorted((item["stack"], item["runtime"]) for item in cold["imports"])
    assert stacks == [
        ("receipt-chroma-full", "python3.13"), ("receipt-chroma-full", "python3.14"),
        ("receipt-label + receipt-chroma", "python3.13"),
        ("receipt-label + receipt-chroma", "python3.14"),
    ]  # fmt: skip
    assert all(item["median_chromadb_ms"] > 0 for item in cold["imports"])
    assert "| function | runtime | arch |" in (built_layers / "cold-start.md").read_text()


# ------------------------------------------------------------------------------ negative runs

NUMPY_HANDLER = (
    "import platform\nimport numpy\n\n"
    "def handle(event, context):\n"
    "    return {'machine': platform.machine(), 'numpy': numpy.__version__}\n"
)


def _native_function(root: Path) -> FunctionSpec:
    code = root / "functions" / "native-check"
    code.mkdir(parents=True, exist_ok=True)
    (code / "handler.py").write_text(NUMPY_HANDLER)
    return FunctionSpec(
        name="native-check",
        runtime="python3.13",
        architectures=[ARM64],
        layers=["receipt-chroma"],
        handler="handler.handle",
        memory_mb=512,
        imports=["numpy"],
        events=[SmokeEvent(name="import numpy", event={}, expect={"machine": "aarch64"})],
    )


@pytest.mark.docker
def test_an_arm64_function_given_an_x86_64_layer_fails_with_import_module_error(
    docker_engine: docker.DockerClient,
    standin: StandinFactory,
    built_layers: Path,
    workspace: Scratch,
    tmp_path: Path,
) -> None:
    # GIVEN a handler importing numpy, on the arm64 python3.13 stand-in
    spec = _native_function(tmp_path)
    image = standin("python3.13", ARM64)
    target = FunctionTarget(function=spec, runtime=runtime("python3.13"), architecture=ARM64)
    # WHEN its receipt-chroma layer is the x86_64 build
    wrong = _layers(spec, "python3.13", X86_64, built_layers)
    failed = run_smoke(
        docker_engine, target=target, image=image, layers=wrong, workspace=workspace,
        root=tmp_path, services={},
    )  # fmt: skip
    # THEN init fails as Lambda reports it, naming the handler module and numpy
    assert failed.records is not None
    assert failed.records.init_error is not None, failed.records.log_text()
    assert failed.records.init_error["errorType"] == "Runtime.ImportModuleError"
    message = failed.records.init_error["errorMessage"]
    assert "Unable to import module 'handler'" in message
    assert "numpy" in message
    assert not failed.passed
    (probe,) = failed.records.probes
    assert not probe.ok and "numpy" in probe.error
    # AND the arm64 build of the same layer works (the fault is the architecture, nothing else)
    right = _layers(spec, "python3.13", ARM64, built_layers)
    passed = run_smoke(
        docker_engine, target=target, image=image, layers=right, workspace=workspace,
        root=tmp_path, services={},
    )  # fmt: skip
    assert passed.passed, _explain(passed)


def _renest(source: Path, destination: Path, prefix: str) -> Path:
    """The same layer with everything under python/ moved to `prefix` (where it does not load)."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(destination, "w") as out:
        for info in archive.infolist():
            name = info.filename.replace("python/", prefix, 1)
            out.writestr(name, archive.read(info))
    return destination


@pytest.mark.docker
def test_a_layer_nested_under_python_lib_fails_with_import_module_error(
    docker_engine: docker.DockerClient,
    standin: StandinFactory,
    repository: Path,
    functions: dict[str, FunctionSpec],
    built_layers: Path,
    workspace: Scratch,
    tmp_path: Path,
) -> None:
    spec = functions["label-receipt"]
    good = _layers(spec, "python3.13", X86_64, built_layers)[0]
    nested_zip = _renest(
        good.path,
        tmp_path / "receipt-label-python3.13-x86_64.zip",
        "python/lib/python3.12/site-packages/",
    )
    nested = read_layer(nested_zip, name="receipt-label")
    # THEN the static check names where it is and where python3.13 looks
    static = check_stack_imports([nested], modules=spec.imports, runtime=runtime("python3.13"))
    assert not static.passed
    assert (
        "/opt/python/lib/python3.12/site-packages, where python3.13 does not look"
        in (static.problems[0])
    )
    # AND the run fails at init the way Lambda reports it
    target = FunctionTarget(function=spec, runtime=runtime("python3.13"), architecture=X86_64)
    result = run_smoke(
        docker_engine, target=target, image=standin("python3.13", X86_64), layers=[nested],
        workspace=workspace, root=repository, services={},
    )  # fmt: skip
    assert result.records is not None and result.records.init_error is not None
    assert result.records.init_error["errorType"] == "Runtime.ImportModuleError"
    assert "No module named 'receipt_label'" in result.records.init_error["errorMessage"]
    assert all(event.problems for event in result.events)


@pytest.mark.docker
def test_a_missing_handler_function_fails_with_handler_not_found(
    docker_engine: docker.DockerClient,
    standin: StandinFactory,
    repository: Path,
    functions: dict[str, FunctionSpec],
    built_layers: Path,
    workspace: Scratch,
) -> None:
    spec = functions["label-receipt"]
    target = FunctionTarget(function=spec, runtime=runtime("python3.12"), architecture=X86_64)
    result = run_smoke(
        docker_engine, target=target, image=standin("python3.12", X86_64),
        layers=_layers(spec, "python3.12", X86_64, built_layers), workspace=workspace,
        root=repository, services={}, handler="handler.nowhere",
    )  # fmt: skip
    assert result.records is not None and result.records.init_error is not None
    assert result.records.init_error["errorType"] == "Runtime.HandlerNotFound"
    assert (
        "Handler 'nowhere' missing on module 'handler'" in result.records.init_error["errorMessage"]
    )


def test_two_layers_shipping_one_distribution_at_two_versions_are_caught(
    functions: dict[str, FunctionSpec], receipt_label_layer: Path, tmp_path: Path
) -> None:
    # GIVEN the real receipt-label layer, and a second layer with an older receipt-label
    spec = functions["label-receipt"]
    real = read_layer(receipt_label_layer, name="receipt-label")
    older = tmp_path / "receipt-label-old.zip"
    with zipfile.ZipFile(real.path) as archive, zipfile.ZipFile(older, "w") as out:
        for info in archive.infolist():
            name = info.filename.replace(
                "receipt_label-0.1.0.dist-info", "receipt_label-0.0.9.dist-info"
            )
            data = archive.read(info)
            if name.endswith("receipt_label/labels.py"):
                data += b"\n# 0.0.9\n"
            out.writestr(name, data)
    stack = [real, read_layer(older, name="receipt-label-old")]
    # THEN the versions check names both versions and the overlap check the file that differs
    versions = check_versions(stack)
    assert not versions.passed
    assert versions.problems[0].startswith("receipt-label: 0.1.0 in receipt-label")
    assert "0.0.9 in receipt-label-old" in versions.problems[0]
    overlaps = check_overlaps(stack)
    assert any(p.startswith("python/receipt_label/labels.py:") for p in overlaps.problems)
    row = stack_row(
        function=spec, runtime=runtime("python3.13"), architecture=X86_64, layers=stack, code=None
    )
    assert not row.results[Check.VERSIONS].passed and not row.results[Check.OVERLAPS].passed


# ------------------------------------------------------------------------------ the CLI


@pytest.mark.docker
def test_the_cli_runs_a_function_and_writes_the_reports(
    standin: StandinFactory,
    repository: Path,
    built_layers: Path,
    tmp_path: Path,
) -> None:
    standin("python3.13", X86_64)
    output = tmp_path / "layers"
    output.mkdir()
    for zip_path in built_layers.glob("receipt-label-python3.13-x86_64.zip"):
        (output / zip_path.name).write_bytes(zip_path.read_bytes())
    arguments = [
        "functions",
        "test",
        "--function",
        "label-receipt",
        "--runtime",
        "python3.13",
        "--arch",
        "x86_64",
        "--no-build",
        "--repeats",
        "1",
        "--output",
        str(output),
        "--root",
        str(repository),
    ]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    matrix = json.loads((output / "import-matrix.json").read_text())
    assert [stack["passed"] for stack in matrix["stacks"]] == [True]
    cold = json.loads((output / "cold-start.json").read_text())
    assert cold["init"][0]["function"] == "label-receipt"
    assert len(cold["init"][0]["with_pyc_ms"]) == 1
    assert (output / "cold-start.md").is_file() and (output / "import-matrix.md").is_file()
    # AND a run that cannot happen (no such image) exits non-zero, naming the image
    failing = CliRunner().invoke(
        app,
        [
            *arguments[:-4],
            "--image",
            "no-such-image:{runtime}",
            "--no-cold-start",
            "--output",
            str(output),
        ],
    )
    assert failing.exit_code == LayerToolError.exit_code == 1
    assert "problems in 1 function runs" in failing.output  # the one error handler printed it
