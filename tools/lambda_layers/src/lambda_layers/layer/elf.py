"""Read what matters in an ELF file with pyelftools: machine, needed libraries, symbol versions."""

from __future__ import annotations

import io
from dataclasses import dataclass

from elftools.common.exceptions import ELFError
from elftools.elf.dynamic import DynamicSection
from elftools.elf.elffile import ELFFile
from elftools.elf.gnuversions import GNUVerNeedSection

from lambda_layers.platform.facts import Architecture, elf_architecture, facts

ELF_MAGIC = b"\x7fELF"


@dataclass(frozen=True, slots=True, kw_only=True)
class ElfFacts:
    machine: str  # e.g. "EM_X86_64"
    elf_class: int
    little_endian: bool
    needed: tuple[str, ...]
    soname: str | None
    # (library, version) pairs from .gnu.version_r, e.g. ("libc.so.6", "GLIBC_2.17")
    version_needs: tuple[tuple[str, str], ...]

    @property
    def architecture(self) -> Architecture | None:
        return elf_architecture(self.machine, self.elf_class, self.little_endian)

    @property
    def description(self) -> str:
        name = facts().elf_machines.get(self.machine, self.machine)
        return f"{name} ({self.elf_class}-bit, {'little' if self.little_endian else 'big'}-endian)"


class CorruptElfError(ValueError):
    """The file starts like an ELF file but cannot be read as one."""


def is_elf(head: bytes) -> bool:
    return head[:4] == ELF_MAGIC


def read_elf(content: bytes) -> ElfFacts:
    """The facts of an ELF image, or CorruptElfError."""
    try:
        elf = ELFFile(io.BytesIO(content))
        needed: list[str] = []
        soname: str | None = None
        version_needs: list[tuple[str, str]] = []
        for section in elf.iter_sections():
            if isinstance(section, DynamicSection):
                for tag in section.iter_tags():
                    if tag.entry.d_tag == "DT_NEEDED":
                        needed.append(tag.needed)  # type: ignore[attr-defined]
                    elif tag.entry.d_tag == "DT_SONAME":
                        soname = tag.soname  # type: ignore[attr-defined]
            elif isinstance(section, GNUVerNeedSection):
                for need, auxiliaries in section.iter_versions():
                    version_needs += [(str(need.name), str(aux.name)) for aux in auxiliaries]
        return ElfFacts(
            machine=str(elf.header["e_machine"]), elf_class=elf.elfclass,
            little_endian=elf.little_endian, needed=tuple(needed), soname=soname,
            version_needs=tuple(version_needs),
        )  # fmt: skip
    except (ELFError, ValueError, KeyError, IndexError, AssertionError) as error:
        raise CorruptElfError(str(error) or type(error).__name__) from None
