"""The built layer zips a function's stack is made of: found in the output directory, built first
(local builder; unchanged ones are skipped) so the stack is never stale."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lambda_layers.base.errors import ConfigurationError
from lambda_layers.layer.contents import LayerContents, read_layer
from lambda_layers.layer.targets import zip_name
from lambda_layers.platform.facts import Architecture


def build_layers(
    targets: Iterable[tuple[str, str, Architecture]], *, output: Path, root: Path
) -> None:
    """Build (or confirm unchanged) every (layer, runtime, architecture) in `targets`."""
    from lambda_layers.builder.builders import BuilderName
    from lambda_layers.builder.commands import run_build

    wanted = sorted(set(targets))
    if not wanted:
        return
    run_build(
        layers=sorted({layer for layer, _, _ in wanted}),
        runtimes=sorted({runtime for _, runtime, _ in wanted}),
        architectures=sorted({architecture.value for _, _, architecture in wanted}),
        builder=BuilderName.LOCAL,
        image=None,
        force=False,
        output=output,
        root=root,
    )


def stack_layers(
    layers: Iterable[str], *, runtime: str, architecture: Architecture, output: Path
) -> list[LayerContents]:
    """The zips of `layers` for one runtime and architecture, in stack order."""
    found = []
    for layer in layers:
        path = output / zip_name(layer, runtime, architecture)
        if not path.is_file():
            raise ConfigurationError(
                f"{path}: layer {layer} is not built for {runtime} {architecture.value}: run "
                f"`lambda-layers build --layer {layer} --runtime {runtime} --arch "
                f"{architecture.value}`"
            )
        found.append(read_layer(path, name=layer))
    return found
