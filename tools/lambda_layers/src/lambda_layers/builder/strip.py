"""Native-file steps: strip debug symbols with the target architecture's binutils."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from lambda_layers.base.console import run_command
from lambda_layers.layer.elf import is_elf
from lambda_layers.platform.facts import Architecture, architecture_facts


@dataclass(frozen=True, slots=True)
class StripReport:
    tool: str | None
    files: int
    saved_bytes: int


def elf_files(site: Path) -> list[Path]:
    found = []
    for path in sorted(site.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if is_elf(handle.read(4)):
                    found.append(path)
    return found


def _has_debug_sections(path: Path, machine: str) -> bool:
    """Debug sections in an ELF file of `machine`; files of another machine are left for
    verification to name (strip would only fail on them)."""
    with path.open("rb") as handle:
        try:
            elf = ELFFile(handle)
            return elf.header["e_machine"] == machine and any(
                section.name.startswith((".debug", ".zdebug")) for section in elf.iter_sections()
            )
        except ELFError:
            return False


def strippable(path: Path, architecture: Architecture) -> bool:
    """Worth stripping and safe to strip.

    Libraries that auditwheel grafted into `<dist>.libs/` were rewritten by patchelf, and strip
    can break such files (measured: numpy 2.2.6's libgfortran and OpenBLAS stopped loading), so
    they are left alone; so is any file with no debug sections to remove.
    """
    grafted = any(part.endswith(".libs") for part in path.parts)
    return not grafted and _has_debug_sections(path, architecture_facts(architecture).elf_machine)


def strip_debug(site: Path, architecture: Architecture) -> StripReport:
    """Remove debug sections from ELF files that have them (`strip --strip-debug`)."""
    tool = shutil.which(architecture_facts(architecture).strip_tool)
    if tool is None:
        return StripReport(tool=None, files=0, saved_bytes=0)
    files = [path for path in elf_files(site) if strippable(path, architecture)]
    before = sum(path.stat().st_size for path in files)
    for start in range(0, len(files), 200):
        run_command([tool, "--strip-debug", "--preserve-dates", *files[start : start + 200]],
                    quiet=start > 0, timeout=600)  # fmt: skip
    after = sum(path.stat().st_size for path in files)
    return StripReport(tool=Path(tool).name, files=len(files), saved_bytes=before - after)
