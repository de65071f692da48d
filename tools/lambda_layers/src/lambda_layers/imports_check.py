"""Check that a spec's `imports` resolve from the layer: really, or from its files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from lambda_layers.base.console import run_command
from lambda_layers.base.errors import CommandError, VerificationError
from lambda_layers.platform.facts import Architecture
from lambda_layers.platform.host import Host

_PROBE_TIMEOUT = 300.0
_PROBE = """
import importlib, json, sys
site = sys.argv[1]
sys.path[:0] = [site]
found = {}
for name in sys.argv[2:]:
    try:
        module = importlib.import_module(name)
        found[name] = getattr(module, "__file__", None) or "(namespace)"
    except Exception as error:
        found[name] = "ERROR " + type(error).__name__ + ": " + str(error)
print(json.dumps(found))
"""


def _static(site: Path, module: str) -> bool:
    parts = module.split(".")
    base = site.joinpath(*parts)
    return (
        (base / "__init__.py").is_file()
        or base.with_suffix(".py").is_file()
        or any(base.parent.glob(f"{parts[-1]}.*.so"))
        or base.is_dir()
    )


def check_imports(
    site: Path,
    modules: Sequence[str],
    *,
    python_version: str,
    architecture: Architecture,
    host: Host,
) -> str:
    """Import `modules` from `site` with a matching interpreter when the host can run the layer,
    else check that each resolves to files in it. Returns how it checked; raises on failure."""
    if not modules:
        return "no imports listed"
    interpreter = host.interpreter_for(python_version, architecture)
    if interpreter is None:
        missing = [module for module in modules if not _static(site, module)]
        if missing:
            raise VerificationError(
                f"modules {missing} listed in the spec's `imports` have no files in the layer "
                f"({site}): add the distribution that provides them to `requirements`"
            )
        return "files present (the host cannot run this architecture; the container tests import)"
    try:
        result = run_command(
            [interpreter, "-I", "-S", "-c", _PROBE, site, *modules],
            env={"ANONYMIZED_TELEMETRY": "False"}, clean_env=True, timeout=_PROBE_TIMEOUT,
            quiet=True,
        )  # fmt: skip
    except CommandError as error:
        raise VerificationError(
            f"importing {list(modules)} from the layer crashed:\n{error}"
        ) from None
    found: dict[str, str] = json.loads(result.stdout)
    failures = {
        module: where
        for module, where in found.items()
        if where.startswith("ERROR") or not (where == "(namespace)" or where.startswith(str(site)))
    }
    if failures:
        lines = "\n".join(f"  - {module}: {where}" for module, where in failures.items())
        raise VerificationError(
            f"modules listed in the spec's `imports` do not import from the layer:\n{lines}\n"
            "add what they need to `requirements`, or stop excluding it"
        )
    return f"imported with {interpreter}"
