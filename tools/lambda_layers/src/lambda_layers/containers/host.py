"""What building a stand-in needs from the host: root, debootstrap, qemu, a Debian mirror, pyenv."""

from __future__ import annotations

import os
import platform
import re
import shutil
from pathlib import Path

from lambda_layers.base.errors import ContainerError
from lambda_layers.platforms import Architecture, architecture_facts

CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
MIRROR_VARIABLE = "LAMBDA_LAYERS_DEBIAN_MIRROR"
_SOURCES = (Path("/etc/apt/sources.list.d/debian.sources"), Path("/etc/apt/sources.list"))
_BINFMT = Path("/proc/sys/fs/binfmt_misc")
_INDEX_SETTINGS = (
    "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_TRUSTED_HOST", "PIP_FIND_LINKS",
    "PIP_DEFAULT_TIMEOUT", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "UV_INDEX_URL",
)  # fmt: skip


def require_rootfs_tools(architecture: Architecture) -> None:
    """ContainerError naming every missing piece (and how to get it) for a debootstrap build."""
    missing = []
    if os.geteuid() != 0:
        missing.append("root: debootstrap needs it (run `sudo nox -s runtime_images`)")
    for tool, package in (("debootstrap", "debootstrap"), ("tar", "tar")):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            missing.append(f"`{tool}`: `apt-get install {package}`")
    facts = architecture_facts(architecture)
    if facts.machine != platform.machine():
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


def debian_mirror() -> str:
    """The Debian mirror apt uses here (deb822 or one-line sources), else deb.debian.org."""
    if os.environ.get(MIRROR_VARIABLE):
        return os.environ[MIRROR_VARIABLE]
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


def pyenv_python(python_version: str) -> Path:
    """The newest pyenv CPython tree of `python_version` (its prefix), or ContainerError."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    trees = [
        tree
        for tree in (root / "versions").glob(f"{python_version}.*")
        if (tree / "bin" / f"python{python_version}").is_file()
        and re.fullmatch(r"\d+\.\d+\.\d+", tree.name)
    ]
    if not trees:
        raise ContainerError(
            f"no CPython {python_version} in pyenv ({root}/versions/{python_version}.*): the "
            f"python{python_version} stand-in copies it to /var/lang; `pyenv install "
            f"{python_version}` first"
        )
    return max(trees, key=lambda tree: tuple(int(part) for part in tree.name.split(".")))


def ca_bundle() -> Path:
    if not CA_BUNDLE.is_file():
        raise ContainerError(
            f"no CA bundle at {CA_BUNDLE}: containers need it for TLS to package indexes; "
            "`apt-get install ca-certificates`"
        )
    return CA_BUNDLE


def package_index_settings() -> dict[str, str]:
    """The host's package-index settings (pip's and uv's), handed on to containers."""
    return {
        key: value
        for key, value in os.environ.items()
        if (key in _INDEX_SETTINGS or key.startswith("UV_INDEX_")) and value
    }


def find_links_directories() -> list[Path]:
    """Local directories in PIP_FIND_LINKS: mounted read-only at the same path in containers."""
    value = os.environ.get("PIP_FIND_LINKS", "")
    return [Path(item) for item in value.split() if item.startswith("/") and Path(item).is_dir()]
