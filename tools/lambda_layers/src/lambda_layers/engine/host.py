"""What containers need from the host: root, debootstrap, qemu, a Debian mirror, CAs, pyenv."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from lambda_layers.base.errors import ContainerError
from lambda_layers.base.settings import Settings
from lambda_layers.platform.facts import Architecture, architecture_facts
from lambda_layers.platform.host import Host

CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
_SOURCES = (Path("/etc/apt/sources.list.d/debian.sources"), Path("/etc/apt/sources.list"))
_BINFMT = Path("/proc/sys/fs/binfmt_misc")
DEBOOTSTRAP_SCRIPTS = Path("/usr/share/debootstrap/scripts")


def require_rootfs_tools(architecture: Architecture, host: Host) -> None:
    """ContainerError naming every missing piece (and how to get it) for a debootstrap build."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root: debootstrap needs it (run `sudo nox -s runtime_images`)")
    for tool, package in (("debootstrap", "debootstrap"), ("tar", "tar")):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            missing.append(f"`{tool}`: `apt-get install {package}`")
    facts = architecture_facts(architecture)
    if architecture is not host.architecture:
        handler = _BINFMT / f"qemu-{facts.machine}"
        if not handler.is_file() or not handler.read_text().startswith("enabled"):
            missing.append(
                f"{facts.machine} emulation (binfmt_misc qemu-{facts.machine} is not enabled): "
                "`apt-get install qemu-user-static binfmt-support`, "
                "`mount binfmt_misc -t binfmt_misc /proc/sys/fs/binfmt_misc`, "
                f"`update-binfmts --enable qemu-{facts.machine}`"
            )
    if missing:
        raise ContainerError(
            f"cannot build a {architecture.value} stand-in image here; missing:\n  - "
            + "\n  - ".join(missing)
        )


def debian_mirror(settings: Settings) -> str:
    """The configured mirror, else the one apt uses here (deb822 or one-line sources), else
    deb.debian.org."""
    if settings.debian_mirror:
        return settings.debian_mirror
    for path in _SOURCES:
        if not path.is_file():
            continue
        text = path.read_text()
        uris: list[str] = re.findall(r"^URIs:\s*(\S+)", text, re.MULTILINE)
        uris += re.findall(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+)", text, re.MULTILINE)
        for uri in uris:
            if "security" not in uri:
                return uri
    return DEFAULT_MIRROR


def debootstrap_script(suite: str) -> list[str | Path]:
    """The script argument debootstrap needs for `suite`: none when it knows the suite, else its
    `sid` script (every current Debian suite uses it; an older debootstrap lacks newer names)."""
    if (DEBOOTSTRAP_SCRIPTS / suite).exists() or not (DEBOOTSTRAP_SCRIPTS / "sid").exists():
        return []
    return [DEBOOTSTRAP_SCRIPTS / "sid"]


def pyenv_python(settings: Settings, python_version: str) -> Path:
    """The newest pyenv CPython tree of `python_version` (its prefix), or ContainerError."""
    tree = Host.detect(settings).pyenv_tree(python_version)
    if tree is None:
        raise ContainerError(
            f"no CPython {python_version} in pyenv ({settings.pyenv_root}/versions/"
            f"{python_version}.*): the python{python_version} stand-in copies it to /var/lang; "
            f"`pyenv install {python_version}` first"
        )
    return tree


def ca_bundle() -> Path:
    if not CA_BUNDLE.is_file():
        raise ContainerError(
            f"no CA bundle at {CA_BUNDLE}: containers need it for TLS to package indexes; "
            "`apt-get install ca-certificates`"
        )
    return CA_BUNDLE


def find_links_directories(settings: Settings) -> list[Path]:
    """Local directories in PIP_FIND_LINKS: mounted read-only at the same path in containers."""
    return [path for path in settings.find_links if path.is_dir()]
