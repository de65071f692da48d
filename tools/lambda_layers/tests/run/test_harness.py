"""What the harness plans and measures, decided by the declarations and the host, not assumed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.layer.functions import load_functions
from lambda_layers.layer.targets import Selection
from lambda_layers.platform.facts import Architecture, facts, runtime
from lambda_layers.platform.host import Host
from lambda_layers.run.harness import HarnessOptions, measures_cold_start, plan_runs
from lambda_layers.run.invoke import FunctionRun
from lambda_layers.run.smoke import FunctionTarget, SmokeResult


def test_cold_starts_are_measured_on_the_hosts_own_architecture(repository: Path) -> None:
    function = next(f for f in load_functions(repository) if f.name == "label-receipt")
    results = {
        arch: SmokeResult(
            target=FunctionTarget(
                function=function, runtime=runtime(function.runtime), architecture=arch
            ),
            image="some-image",
        )
        for arch in Architecture
    }
    # the deploy runtime and the newest one are measured; python3.12 is not
    on_python314 = SmokeResult(
        target=FunctionTarget(
            function=function, runtime=runtime("python3.14"), architecture=Architecture.X86_64
        ),
        image="some-image",
    )
    on_python312 = SmokeResult(
        target=dataclasses.replace(on_python314.target, runtime=runtime("python3.12")), image="i"
    )
    assert measures_cold_start(on_python314, Host(architecture=Architecture.X86_64))
    assert not measures_cold_start(on_python312, Host(architecture=Architecture.X86_64))
    arm64_host = Host(architecture=Architecture.ARM64)
    assert measures_cold_start(results[Architecture.ARM64], arm64_host)
    assert not measures_cold_start(results[Architecture.X86_64], arm64_host)
    x86_64_host = Host(architecture=Architecture.X86_64)
    assert measures_cold_start(results[Architecture.X86_64], x86_64_host)
    # a host Lambda has no architecture for measures nothing; nor does a failed run
    assert not any(measures_cold_start(r, Host(architecture=None)) for r in results.values())
    failed = SmokeResult(target=results[Architecture.X86_64].target, error="boom", image="i")
    assert not measures_cold_start(failed, x86_64_host)


def test_runs_are_planned_per_declared_runtime_and_architecture(repository: Path) -> None:
    functions = load_functions(repository)
    selection = Selection(runtimes=["python3.12"], architectures=["arm64"])
    options = HarnessOptions(root=repository, output=repository, selection=selection)
    runs = plan_runs(functions, options)
    assert {(r.runtime.name, r.architecture) for r in runs} == {("python3.12", Architecture.ARM64)}
    assert {r.function.name for r in runs} == {f.name for f in functions}
    with pytest.raises(ConfigurationError, match="aarch64"):
        wrong = Selection(architectures=["aarch64"])
        plan_runs(functions, HarnessOptions(root=repository, output=repository, selection=wrong))


def test_an_emulated_run_gets_the_emulation_factor_times_the_functions_timeout(
    repository: Path, tmp_path: Path
) -> None:
    function = next(f for f in load_functions(repository) if f.name == "validate-labels")
    host = Host(architecture=Architecture.X86_64)
    runs = {
        arch: FunctionRun(
            function=function, runtime=runtime("python3.13"), architecture=arch, image="i",
            stack=tmp_path, code=tmp_path, events=function.events,
            timeout_factor=host.timeout_factor(arch),
        )
        for arch in Architecture
    }  # fmt: skip
    # THEN the native run keeps Lambda's timeout (a real hang fails there within it) ...
    assert runs[Architecture.X86_64].timeout_seconds == function.timeout_seconds == 60
    # ... and the emulated one gets the factor the platform data gives emulation
    factor = facts().emulation.timeout_factor
    assert runs[Architecture.ARM64].timeout_seconds == 60 * factor
