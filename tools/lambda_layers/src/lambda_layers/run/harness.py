"""`lambda-layers functions test`: smoke events, the import matrix and cold starts, per stack."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lambda_layers.base.console import console, plain, step
from lambda_layers.base.errors import ConfigurationError, LayerToolError
from lambda_layers.engine.client import Client, docker_client
from lambda_layers.engine.images import resolve_image
from lambda_layers.layer.contents import LayerContents
from lambda_layers.layer.functions import (
    FunctionSpec,
    Service,
    ServiceSpec,
    load_functions,
    load_services,
    select_functions,
)
from lambda_layers.layer.targets import Selection
from lambda_layers.platform.facts import Architecture, Runtime, runtime
from lambda_layers.platform.host import Host
from lambda_layers.run.coldstart import (
    ImportComparison,
    InitComparison,
    Subject,
    compare_imports,
    compare_init,
    stack_label,
    write_cold_start,
)
from lambda_layers.run.matrix import (
    StackRow,
    render_table,
    stack_row,
    with_probes,
    write_matrix,
)
from lambda_layers.run.services import RunningServices, running_services
from lambda_layers.run.smoke import FunctionTarget, SmokeResult, run_smoke
from lambda_layers.run.stack import Scratch, build_layers, stack_layers


@dataclass(frozen=True, slots=True, kw_only=True)
class HarnessOptions:
    root: Path
    output: Path
    selection: Selection = field(default_factory=Selection)
    """Functions by name, runtimes and architectures to run (empty: all declared)."""
    image: str | None = None
    build: bool = True
    cold_start: bool = True
    repeats: int = 3
    host: Host = field(default_factory=Host.detect)
    """Cold starts are measured where the host's CPU runs the architecture natively."""


@dataclass(slots=True)
class HarnessReport:
    """What a harness run found, report as it goes."""

    smoke: list[SmokeResult] = field(default_factory=list)
    matrix: list[StackRow] = field(default_factory=list)
    inits: list[InitComparison] = field(default_factory=list)
    imports: list[ImportComparison] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def failures(self) -> list[str]:
        found = list(self.errors)
        found += [
            f"{r.target.label}: {p}" for r in self.smoke if not r.skipped for p in r.problems()
        ]
        found += [f"{row.stack}: {p}" for row in self.matrix for p in row.problems()]
        return found

    @property
    def passed(self) -> bool:
        return not self.failures()


def plan_runs(functions: Sequence[FunctionSpec], options: HarnessOptions) -> list[FunctionTarget]:
    """Every (function, runtime, architecture) to run, narrowed by the options."""
    wanted = options.selection
    wanted.check_names()
    targets = [
        FunctionTarget(function=function, runtime=runtime(name), architecture=arch)
        for function in functions
        for name in function.all_runtimes
        for arch in function.architectures
        if wanted.admits(name=function.name, runtime=name, architecture=arch.value)
    ]
    if not targets:
        raise ConfigurationError(
            "no function is declared for the runtimes and architectures asked for "
            f"(runtimes {list(wanted.runtimes) or 'any'}, architectures "
            f"{list(wanted.architectures) or 'any'})"
        )
    return targets


Images = Callable[[Runtime, Architecture], tuple[str | None, str]]


def _images(override: str | None) -> Images:
    """The image per runtime and architecture, resolved once (None and why, if there is none)."""

    @functools.cache
    def image(runtime_: Runtime, architecture_: Architecture) -> tuple[str | None, str]:
        try:
            return resolve_image(runtime_, architecture_, override), ""
        except LayerToolError as error:
            return None, str(error)

    return image


def _print_smoke(result: SmokeResult) -> None:
    label = result.target.label
    if result.skipped:
        console.print(
            f"  [yellow]-[/yellow] {label} [dim]skipped: {plain(result.skipped)}[/dim]",
            soft_wrap=True,
        )
        return
    init = f"init {result.init_ms:.0f} ms · " if result.init_ms is not None else ""
    emulated = (
        f" · emulated: timeout x{result.timeout_factor:g}" if result.timeout_factor != 1 else ""
    )
    timing = f"[dim]({init}{len(result.events)} events · {result.seconds:.1f}s{emulated})[/dim]"
    if result.passed:
        console.print(f"  [green]✓[/green] {label} {timing}")
        return
    console.print(f"  [red]✗[/red] {label} {timing}")
    for problem in result.problems():
        console.print(f"      [red]{plain(problem)}[/red]", soft_wrap=True)
    if result.records is not None and not result.passed:
        console.print(f"[dim]{plain(result.records.log_text(15))}[/dim]", soft_wrap=True)


@contextlib.contextmanager
def _services(
    function: FunctionSpec, context: _Context
) -> Iterator[tuple[RunningServices | None, str]]:
    with contextlib.ExitStack() as stack:
        try:
            running = stack.enter_context(
                running_services(function, declared=context.services, root=context.options.root)
            )
        except LayerToolError as error:  # a server that would not start, a seed that failed
            yield None, f"services {[s.value for s in function.services]} failed: {error}"
            return
        yield running, ""


@dataclass(frozen=True, slots=True, kw_only=True)
class _Context:
    client: Client | None
    engine_error: str
    options: HarnessOptions
    images: Images
    workspace: Scratch
    services: dict[Service, ServiceSpec]


def _smoke_target(
    context: _Context, target: FunctionTarget, services: RunningServices | None, service_error: str
) -> tuple[SmokeResult, StackRow, list[LayerContents]]:
    options, function = context.options, target.function
    layers = stack_layers(
        function.layers, runtime=target.runtime.name, architecture=target.architecture,
        output=options.output,
    )  # fmt: skip
    row = stack_row(function=function, runtime=target.runtime, architecture=target.architecture,
                    layers=layers, code=function.code_directory(options.root))  # fmt: skip
    client = context.client
    if client is None:
        return SmokeResult(target=target, error=context.engine_error), row, layers
    image, missing = context.images(target.runtime, target.architecture)
    if image is None:
        if options.selection.runtimes and options.selection.architectures:  # asked for by name
            return SmokeResult(target=target, error=missing), row, layers
        return SmokeResult(target=target, skipped=missing), row, layers
    if services is None:
        return SmokeResult(target=target, image=image, error=service_error), row, layers
    result = run_smoke(client, target=target, image=image, layers=layers,
                       workspace=context.workspace, root=options.root,
                       services=services.environment,
                       timeout_factor=options.host.timeout_factor(target.architecture))  # fmt: skip
    if result.records is not None:
        row = with_probes(row, result.records.probes)
    return result, row, layers


def _cold_start(
    context: _Context,
    result: SmokeResult,
    layers: list[LayerContents],
    services: RunningServices,
    report: HarnessReport,
) -> None:
    """Init with and without .pyc (and, where it applies, the import comparison) for one stack."""
    target, options = result.target, context.options
    subject = Subject(
        function=target.function, runtime=target.runtime, architecture=target.architecture,
        image=result.image, layers=tuple(layers), root=options.root,
    )  # fmt: skip
    client, work, repeats = context.client, context.workspace, options.repeats
    assert client is not None  # a stack is measured only after it ran in a container
    try:
        with step(f"cold start {target.label} (with and without .pyc, {repeats}x)"):
            environment = services.environment
            init = compare_init(
                client, subject, workspace=work, services=environment, repeats=repeats
            )
            report.inits.append(init)
        pair = target.function.import_comparison
        key = (target.runtime.name, target.architecture.value, stack_label(layers))
        compared = {(i.runtime, i.architecture, i.layer, i.modules) for i in report.imports}
        if pair and (*key, tuple(pair)) not in compared:  # once per stack and pair of modules
            first, second = pair
            with step(f"import {first} vs {second} on {target.label}"):
                modules = (first, second)
                report.imports.append(compare_imports(client, subject, modules=modules,
                                                      workspace=work, repeats=repeats))  # fmt: skip
    except LayerToolError as error:
        report.errors.append(f"cold start {target.label}: {error}")


def measures_cold_start(result: SmokeResult, host: Host) -> bool:
    """A passing run on the function's deploy runtime or the newest runtime it is proven on (the
    one it moves to next), on the host's own architecture (emulated timings say nothing about
    Lambda)."""
    target = result.target
    return (
        not host.emulates(target.architecture)
        and target.runtime.name in target.function.cold_start_runtimes
        and result.passed
        and bool(result.image)
    )


def _run_function(
    context: _Context,
    function: FunctionSpec,
    targets: Sequence[FunctionTarget],
    report: HarnessReport,
) -> None:
    measured: list[tuple[SmokeResult, list[LayerContents]]] = []
    with _services(function, context) as (services, service_error):
        for target in targets:
            result, row, layers = _smoke_target(context, target, services, service_error)
            _print_smoke(result)
            report.smoke.append(result)
            report.matrix.append(row)
            if measures_cold_start(result, context.options.host):
                measured.append((result, layers))
        if context.options.cold_start and services is not None:
            for result, layers in measured:
                _cold_start(context, result, layers, services, report)


def _engine() -> tuple[Client | None, str]:
    try:
        return docker_client(), ""
    except LayerToolError as error:
        return None, str(error)


def run_function_tests(options: HarnessOptions) -> HarnessReport:
    """Everything `lambda-layers functions test` does, as one function (tests call it too)."""
    functions = select_functions(load_functions(options.root), list(options.selection.names))
    targets = plan_runs(functions, options)
    if options.build:
        with step(f"layers for {len(targets)} stacks (local builder; unchanged ones skipped)"):
            build_layers(
                {
                    (layer, t.runtime.name, t.architecture)
                    for t in targets
                    for layer in t.function.layers
                },
                output=options.output,
                root=options.root,
                host=options.host,
            )
    client, engine_error = _engine()
    if client is None:
        console.print(f"[red]✗[/red] {plain(engine_error)}", soft_wrap=True)
    report = HarnessReport()
    with Scratch() as workspace:
        context = _Context(client=client, engine_error=engine_error, options=options,
                           images=_images(options.image), workspace=workspace,
                           services=load_services(options.root))  # fmt: skip
        for function in functions:
            mine = [target for target in targets if target.function is function]
            console.print(
                f"[bold]▸[/bold] {function.name} [dim]({' + '.join(function.layers)})[/dim]"
            )
            try:
                _run_function(context, function, mine, report)
            except LayerToolError as error:
                report.errors.append(f"{function.name}: {error}")
                console.print(f"  [red]✗[/red] {function.name}: {plain(error)}", soft_wrap=True)
    if client is not None:
        client.close()
    console.print(render_table(report.matrix))
    paths = list(write_matrix(report.matrix, options.output))
    if report.inits or report.imports:
        paths += write_cold_start(report.inits, report.imports, options.output)
    console.print("wrote " + ", ".join(str(path) for path in paths))
    return report
