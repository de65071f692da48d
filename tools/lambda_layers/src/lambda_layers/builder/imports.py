"""The spec's `imports` in a built tree: imported when this host can run it, else found as files."""

from __future__ import annotations

from collections.abc import Sequence

from lambda_layers.base.console import run_command
from lambda_layers.base.errors import CommandError, VerificationError
from lambda_layers.layer import probe
from lambda_layers.layer.contents import LayerContents
from lambda_layers.layer.imports import Files
from lambda_layers.platform.facts import Architecture, Runtime, facts
from lambda_layers.platform.host import Host

PROBE_TIMEOUT = 300.0


def check_spec_imports(
    contents: LayerContents,
    modules: Sequence[str],
    *,
    runtime: Runtime,
    architecture: Architecture,
    host: Host,
) -> str:
    """Import `modules` from the layer with a matching interpreter when the host can run it, else
    check that each resolves to files in it. Returns how it checked; raises on failure."""
    if not modules:
        return "no imports listed"
    flat = facts().paths.search_paths[-1]
    site = contents.path / flat
    interpreter = host.interpreter_for(runtime.python_version, architecture)
    if interpreter is None:
        files = Files(item.path for item in contents.inventory.files)
        missing = [module for module in modules if not files.provides(module, base=flat)]
        if missing:
            raise VerificationError(
                f"modules {missing} listed in the spec's `imports` have no files in the layer "
                f"({site}): add the distribution that provides them to `requirements`"
            )
        return "files present (the host cannot run this architecture; the container tests import)"
    try:
        result = run_command(
            [interpreter, "-I", "-S", "-c", probe.source(), "--path", site, *modules],
            clean_env=True, timeout=PROBE_TIMEOUT, quiet=True,
        )  # fmt: skip
    except CommandError as error:
        raise VerificationError(
            f"importing {list(modules)} from the layer crashed:\n{error}"
        ) from None
    failures = [
        f"  - {found.module}: {found.file if found.ok else f'ERROR {found.error}'}"
        for found in probe.parse(result.stdout)
        if not found.ok or (found.file and not found.file.startswith(str(site)))
    ]
    if failures:
        raise VerificationError(
            "modules listed in the spec's `imports` do not import from the layer:\n"
            + "\n".join(failures)
            + "\nadd what they need to `requirements`, or stop excluding it"
        )
    return f"imported with {interpreter}"
