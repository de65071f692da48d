"""`build`, `lock` and `verify` as plain functions: the CLI, the harness and tests call these."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from lambda_layers.base.console import console, plain, step
from lambda_layers.base.errors import ConfigurationError, VerificationError
from lambda_layers.base.settings import Settings
from lambda_layers.builder.builders import Builder, BuilderName, LocalBuilder
from lambda_layers.builder.docker_builder import DockerBuilder
from lambda_layers.builder.locks import compile_lock
from lambda_layers.builder.manifest import Manifest
from lambda_layers.builder.pipeline import BuildRequest, build
from lambda_layers.builder.targets import BuildTarget, plan_targets
from lambda_layers.builder.workspace import below, find_root
from lambda_layers.layer.checks import verify_zip
from lambda_layers.layer.checks.findings import describe
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.spec import read_specs
from lambda_layers.platform.facts import architecture, runtime
from lambda_layers.platform.host import Host


def _builders(
    name: BuilderName, image: str | None, settings: Settings, host: Host
) -> tuple[Builder, Callable[[], Builder] | None]:
    """The builder for every target, and (for `auto`) the one for targets with no wheels."""
    docker = functools.partial(DockerBuilder, image=image, settings=settings)
    if name is BuilderName.DOCKER:
        return docker(), None
    if name is BuilderName.AUTO:
        return LocalBuilder(host), docker
    if image is not None:
        raise ConfigurationError(
            "--image is for the docker builder: add `--builder docker` (or `--builder auto`)"
        )
    return LocalBuilder(host), None


def _planned(
    root: Path | None,
    layers: Sequence[str],
    runtimes: Sequence[str],
    architectures: Sequence[str],
    today: datetime.date | None = None,
) -> tuple[Path, list[BuildTarget]]:
    """The repository root, and the targets its specs declare narrowed by the options.

    A broken spec stops the command only when it is one of the layers asked for (all of them
    when none is named); any other is reported and left alone."""
    repository = find_root(root)
    found = read_specs(repository / "layers", today=today)
    specs = found.require_valid(layers)
    for name, error in found.broken.items():
        console.print(f"[yellow]![/yellow] layer {name} is not built (its spec is invalid):\n"
                      f"{plain(str(error))}", soft_wrap=True)  # fmt: skip
    return repository, plan_targets(specs, layers=layers, runtimes=runtimes,
                                    architectures=architectures)  # fmt: skip


def run_build(
    *,
    layers: Sequence[str],
    runtimes: Sequence[str],
    architectures: Sequence[str],
    builder: BuilderName,
    image: str | None,
    force: bool,
    output: Path,
    root: Path | None,
    settings: Settings | None = None,
    host: Host | None = None,
    today: datetime.date | None = None,
) -> Manifest:
    """Build the selected targets; `today` (default: today) judges runtimes' deprecation."""
    settings = settings or Settings.from_environment()
    host = host or Host.detect(settings)
    today = today or datetime.date.today()
    repository, targets = _planned(root, layers, runtimes, architectures, today)
    destination = below(repository, output)
    primary, fallback = _builders(builder, image, settings, host)
    request = BuildRequest(root=repository, output=destination, targets=targets, builder=primary,
                           fallback=fallback, force=force, host=host, today=today)  # fmt: skip
    return build(request)


def run_lock(
    *,
    layers: Sequence[str],
    runtimes: Sequence[str],
    architectures: Sequence[str],
    root: Path | None,
) -> None:
    repository, targets = _planned(root, layers, runtimes, architectures)
    for target in targets:
        with step(f"lock {target.stem}"):
            compile_lock(repository, target.spec, target.runtime, target.architecture)


def run_verify(
    *, zips: Sequence[Path], runtime_name: str, architecture_name: str, forbid: Sequence[str]
) -> None:
    failed, runtime_, architecture_ = 0, runtime(runtime_name), architecture(architecture_name)
    for path in zips:
        if not path.is_file():
            raise ConfigurationError(f"{path}: no such zip")
        policy = LayerPolicy(
            layer=path.name, runtime=runtime_, architecture=architecture_, forbid=frozenset(forbid)
        )
        result = verify_zip(path, policy)
        if result.findings:
            console.print(plain(describe(path.name, result.findings)), soft_wrap=True)
        if result.passed:
            console.print(f"[green]✓[/green] {path.name} passes ({len(result.warnings)} warnings)")
        else:
            failed += 1
    if failed:
        raise VerificationError(f"{failed} of {len(zips)} zips failed verification")
