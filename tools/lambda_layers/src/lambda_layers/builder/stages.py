"""One target through the stages: estimate -> install -> prune -> strip -> compile -> verify -> zip.

A layer that cannot fit is refused as early as the evidence allows: before anything is downloaded
when the index's wheel sizes already add up to more than the limit (compressed sizes are a floor
for the unzipped layer), and before compiling when the pruned and stripped tree is over it
(compiling only adds bytes). A refused layer still gets its size report; its zip is never written.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import parse_wheel_filename

from lambda_layers.base.console import console
from lambda_layers.base.errors import VerificationError
from lambda_layers.base.files import sha256_of
from lambda_layers.builder.archive import write_zip
from lambda_layers.builder.builders import Assembly, Builder
from lambda_layers.builder.imports import check_spec_imports
from lambda_layers.builder.locks import Lock, LockedDistribution, installable
from lambda_layers.builder.manifest import LayerEntry
from lambda_layers.builder.prune import PruneReport, prune, remove_distributions
from lambda_layers.builder.reports import write_reports
from lambda_layers.builder.strip import StripReport, strip_debug
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.layer.checks import verify_contents
from lambda_layers.layer.checks.findings import Finding, Severity, describe
from lambda_layers.layer.checks.policy import LayerPolicy
from lambda_layers.layer.checks.size import check_layer_size, check_wheel_sizes
from lambda_layers.layer.contents import Distribution, Inventory, LayerFile, read_tree
from lambda_layers.platform.facts import facts, mb
from lambda_layers.platform.host import Host

ESTIMATED = (
    "Refused before anything was downloaded: these are the index's sizes of the wheels "
    "(compressed), so the unzipped layer would be larger still."
)
REFUSED = "Refused: this is the layer as installed, pruned and stripped, before compiling."


@dataclass(frozen=True, slots=True, kw_only=True)
class Unlocked:
    """A target no wheels-only lock can exist for: a container resolves and builds it."""

    reason: str
    """The resolver's reason (a distribution with no wheel for the target), for the manifest."""


def policy_for(target: BuildTarget) -> LayerPolicy:
    return LayerPolicy(
        layer=target.spec.name, runtime=target.runtime, architecture=target.architecture,
        forbid=frozenset(target.spec.forbid), max_unzipped_bytes=target.spec.max_unzipped_bytes,
    )  # fmt: skip


def wheel_estimate(
    distributions: Sequence[LockedDistribution], wheels: Sequence[Path]
) -> Inventory:
    """The wheels as the lock sizes them on the index, and the workspace wheels built here: one
    file per distribution."""
    sized = [(item.name, item.version, item.wheel, item.wheel_bytes)
             for item in distributions if item.wheel_bytes is not None]  # fmt: skip
    for wheel in wheels:
        name, version, _, _ = parse_wheel_filename(wheel.name)
        sized.append((str(name), str(version), wheel.name, wheel.stat().st_size))
    return Inventory(
        files=tuple(LayerFile(path=file, size=size) for _, _, file, size in sized),
        distributions=tuple(
            Distribution(name=name, version=version, dist_info="", files=(file,), bytes=size)
            for name, version, file, size in sized
        ),
    )


def _refuse(
    findings: Sequence[Finding],
    *,
    output: Path,
    target: BuildTarget,
    inventory: Inventory,
    note: str,
) -> None:
    """Raise the findings' errors, after writing the size report of what was refused."""
    errors = [finding for finding in findings if finding.severity is Severity.ERROR]
    if errors:
        report = write_reports(output, target, inventory, note=note)
        raise VerificationError(f"{describe(target.spec.name, errors)}\nsize report: {report}")


def _progress_line(pruned: PruneReport, stripped: StripReport | None, unzipped: int) -> str:
    strip = (
        f"stripped {stripped.files} native files (-{mb(stripped.saved_bytes):.1f} MB); "
        if stripped and stripped.tool
        else "not stripped; "
    )
    return (
        f"  [dim]pruned {pruned.files:,} files ({mb(pruned.bytes):.1f} MB); {strip}"
        f"{mb(unzipped):.1f} MB unzipped[/dim]"
    )


def _shadowing(versions: dict[str, str]) -> list[str]:
    """The runtime's own distributions this layer ships (found before the runtime's copies)."""
    provided = facts().distributions.runtime_provided
    return [f"{name} {version}" for name, version in sorted(versions.items()) if name in provided]


def build_target(
    *,
    builder: Builder,
    output: Path,
    target: BuildTarget,
    prepared: Lock | Unlocked,
    wheels: Sequence[Path],
    wanted_hash: str,
    host: Host,
    image: str | None = None,
    unlocked: Sequence[str] = (),
) -> LayerEntry:
    """Fill, prune, strip, compile and verify a staging tree, then zip it; the zip is written only
    after every check passed (never half a zip)."""
    spec, zip_path, policy = target.spec, output / target.zip_name, policy_for(target)
    lock = prepared if isinstance(prepared, Lock) else None
    kept, left_out = installable(spec, lock) if lock else ([], [])
    if lock is not None:
        estimate = wheel_estimate(kept, wheels)
        _refuse(check_wheel_sizes(estimate, policy), output=output, target=target,
                inventory=estimate, note=ESTIMATED)  # fmt: skip
    with tempfile.TemporaryDirectory(prefix=f"lambda-layers-{target.stem}-") as scratch:
        staging = Path(scratch) / "layer"
        site = staging / "python"
        assembly = Assembly(target=target, distributions=kept, wheels=wheels, site=site,
                            image=image, unlocked_requirements=unlocked)  # fmt: skip
        builder.install(assembly)
        if lock is None:
            left_out = remove_distributions(site, spec.left_out())
        pruned = prune(site, extra_patterns=tuple(spec.prune))
        stripped = strip_debug(site, target.architecture) if spec.strip else None
        installed = read_tree(staging)
        _refuse(check_layer_size(installed, policy), output=output, target=target,
                inventory=installed.inventory, note=REFUSED)  # fmt: skip
        bytecode = builder.compile(assembly) if spec.compile_bytecode else None
        contents = read_tree(staging)
        result = verify_contents(contents, policy)
        _refuse(result.errors, output=output, target=target, inventory=contents.inventory,
                note="Refused: the layer failed verification.")  # fmt: skip
        imports = check_spec_imports(contents, spec.imports, runtime=target.runtime,
                                     architecture=target.architecture, host=host)  # fmt: skip
        write_zip(staging, zip_path)
    zipped = dataclasses.replace(contents, zipped_bytes=zip_path.stat().st_size)
    found = (*result.warnings, *check_layer_size(zipped, policy))
    warnings = [finding.render() for finding in found if finding.severity is Severity.WARNING]
    if bytecode is not None and not bytecode.compiled:
        warnings.append(bytecode.reason)
    if stripped is not None and stripped.tool is None:
        warnings.append(f"no {target.architecture.value} strip tool found: debug symbols kept")
    inventory = contents.inventory
    versions = inventory.versions()
    if shadowing := _shadowing(versions):
        warnings.append(f"{', '.join(shadowing)} shadow the AWS SDK the Lambda runtime ships "
                        "(the spec names it): the function imports these copies")  # fmt: skip
    write_reports(output, target, inventory, zipped=zip_path.stat().st_size)
    console.print(_progress_line(pruned, stripped, inventory.total_bytes))
    return LayerEntry(
        layer=spec.name, runtime=target.runtime.name, architecture=target.architecture.value,
        zip=target.zip_name, sha256=sha256_of(zip_path), zipped_bytes=zip_path.stat().st_size,
        unzipped_bytes=inventory.total_bytes, files=len(inventory.files), distributions=versions,
        left_out=left_out, shadows_runtime=shadowing, builder=builder.name, image=image,
        locked=lock is not None,
        unlocked_reason=prepared.reason if isinstance(prepared, Unlocked) else "",
        bytecode=bool(bytecode and bytecode.compiled),
        bytecode_note=bytecode.reason if bytecode else "disabled by the spec",
        stripped=bool(stripped and stripped.tool), imports_checked=imports,
        input_hash=wanted_hash, warnings=warnings,
        version_notes=[n for n in (lock.notes if lock else ()) if n.split()[0] in versions],
        description=spec.description, license=spec.license,
    )  # fmt: skip
