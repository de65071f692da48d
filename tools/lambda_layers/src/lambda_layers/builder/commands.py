"""`build`, `lock` and `verify` as plain functions: the CLI, the harness and tests call these."""

from __future__ import annotations

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
from lambda_layers.layer.spec import load_specs
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
    root: Path | None, layers: Sequence[str], runtimes: Sequence[str], architectures: Sequence[str]
) -> tuple[Path, list[BuildTarget]]:
    """The repository root, and the targets its specs declare narrowed by the options."""
    repository = find_root(root)
    specs = load_specs(repository / "layers")
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
) -> Manifest:
    settings = settings or Settings.from_environment()
    host = host or Host.detect(settings)
    repository, targets = _planned(root, layers, runtimes, architectures)
    destination = below(repository, output)
    primary, fallback = _builders(builder, image, settings, host)
    request = BuildRequest(root=repository, output=destination, targets=targets, builder=primary,
                           fallback=fallback, force=force, host=host)  # fmt: skip
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
    failed = 0
    for path in zips:
        if not path.is_file():
            raise ConfigurationError(f"{path}: no such zip")
        policy = LayerPolicy(
            layer=path.name,
            runtime=runtime(runtime_name),
            architecture=architecture(architecture_name),
            forbid=frozenset(forbid),
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
