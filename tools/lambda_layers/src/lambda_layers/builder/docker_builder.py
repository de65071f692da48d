"""The `docker` builder: install and compile inside a runtime image of the target architecture.

Unlike the local builder it may build an sdist (inside the container only); given a lock of wheels
it installs those wheels, hash-checked, with the same glibc ceiling as the target runtime (a PEP 600
`_manylinux` policy module, since a stand-in's glibc is newer than Lambda's).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from packaging.utils import canonicalize_name

from lambda_layers.base.errors import ContainerError
from lambda_layers.base.files import sha256_of
from lambda_layers.base.settings import Settings
from lambda_layers.builder.builders import Assembly, BuilderName
from lambda_layers.builder.bytecode import BytecodeReport, compile_in_image, container_user
from lambda_layers.builder.targets import BuildTarget
from lambda_layers.engine.client import docker_client
from lambda_layers.engine.host import (
    ca_bundle,
    find_links_directories,
)
from lambda_layers.engine.images import CONTAINER_CA, cache_directory, resolve_image
from lambda_layers.engine.runner import (
    Mount,
    Network,
    RunOptions,
    RunResult,
    run_to_completion,
)
from lambda_layers.platform.facts import facts

_INPUTS = "/lambda-layers/inputs"
_WORK = "/lambda-layers/work"
_CACHE = "/lambda-layers/pip-cache"
_INSTALL_TIMEOUT = 3600.0


def _manylinux_policy(target: BuildTarget) -> str:
    major, minor = target.runtime.base_system.glibc
    return (
        f'"""PEP 600: only wheels for glibc <= {major}.{minor} ({target.runtime.base_system.name}),'
        ' whatever the image\'s own glibc."""\n\n\n'
        "def manylinux_compatible(tag_major, tag_minor, tag_arch):\n"
        f"    return (tag_major, tag_minor) <= ({major}, {minor})\n"
    )


def write_inputs(directory: Path, assembly: Assembly) -> None:
    """requirements.txt, the workspace wheels and the glibc policy module, in `directory`
    (mounted read-only in the container).

    With a lock: every locked pin and every wheel hash-checked, nothing resolved. Without one
    (`unlocked_requirements`): the requirements and the wheels (with the spec's extras) are
    resolved in the container, which may build sdists.
    """
    (directory / "wheels").mkdir()
    (directory / "policy").mkdir()
    (directory / "policy" / "_manylinux.py").write_text(_manylinux_policy(assembly.target))
    lines = [item.requirement_text() for item in assembly.distributions]
    lines += list(assembly.unlocked_requirements)
    extras = {
        name: extras for name, (_, extras) in assembly.target.spec.requirements_by_name().items()
    }
    for wheel in assembly.wheels:
        shutil.copy2(wheel, directory / "wheels" / wheel.name)
        path = f"{_INPUTS}/wheels/{wheel.name}"
        if assembly.unlocked_requirements:
            name = str(canonicalize_name(wheel.name.split("-")[0]))
            lines.append(f"{name}{extras.get(name, '')} @ file://{path}")
        else:
            lines.append(f"{path} --hash=sha256:{sha256_of(wheel)}")
    (directory / "requirements.txt").write_text("\n".join(lines) + "\n")


def _pip_install(target_directory: str, *, locked: bool) -> list[str]:
    mode = ["--no-deps", "--require-hashes"] if locked else []
    return [
        "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
        "--progress-bar", "off", "--no-compile", "--no-warn-script-location", *mode,
        "--target", target_directory, "--requirement", f"{_INPUTS}/requirements.txt",
    ]  # fmt: skip


class DockerBuilder:
    """Installs the locked closure with the image's own pip, compiles with the image's Python."""

    name = BuilderName.DOCKER

    def __init__(self, image: str | None = None, settings: Settings | None = None) -> None:
        self.override = image
        self.settings = settings or Settings.from_environment()

    def image_for(self, target: BuildTarget) -> str:
        """The image this builder uses for `target` (present here; ContainerError otherwise)."""
        return resolve_image(target.runtime, target.architecture, self.override)

    def _python(self, target: BuildTarget) -> str:
        return f"{facts().paths.python_home}/bin/python{target.runtime.python_version}"

    def install(self, assembly: Assembly) -> None:
        target = assembly.target
        image = assembly.image or self.image_for(target)
        assembly.site.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".docker-install-", dir=assembly.site.parent))
        try:
            inputs, work = scratch / "inputs", scratch / "work"
            inputs.mkdir()
            (work / "python").mkdir(parents=True)
            (work / "tmp").mkdir()
            write_inputs(inputs, assembly)
            pip_cache = cache_directory(self.settings) / "pip-docker"
            pip_cache.mkdir(exist_ok=True)
            environment = {
                "SSL_CERT_FILE": CONTAINER_CA, "PIP_CERT": CONTAINER_CA, "HOME": "/tmp",
                "TMPDIR": f"{_WORK}/tmp", "PIP_CACHE_DIR": _CACHE,
                "PYTHONPATH": f"{_INPUTS}/policy", "PYTHONDONTWRITEBYTECODE": "1",
                **self.settings.package_index,
            }  # fmt: skip
            options = RunOptions(
                image=image,
                command=[
                    self._python(target),
                    *_pip_install(f"{_WORK}/python", locked=not assembly.unlocked_requirements),
                ],
                purpose=f"install-{target.stem}",
                mounts=[
                    Mount(source=ca_bundle(), target=CONTAINER_CA),
                    Mount(source=inputs, target=_INPUTS),
                    Mount(source=work, target=_WORK, read_only=False),
                    Mount(source=pip_cache, target=_CACHE, read_only=False),
                    *(Mount(source=path, target=str(path))
                      for path in find_links_directories(self.settings)),
                ],
                environment=environment,
                network=Network.HOST,
                user=container_user(),
            )  # fmt: skip
            self._run(options, target, action="pip install", timeout=_INSTALL_TIMEOUT)
            if assembly.site.exists():
                assembly.site.rmdir()  # only an empty one may be there: never merge into it
            (work / "python").rename(assembly.site)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def compile(self, assembly: Assembly) -> BytecodeReport:
        target = assembly.target
        image = assembly.image or self.image_for(target)
        return compile_in_image(assembly.site, image=image, runtime=target.runtime,
                                label=target.stem)  # fmt: skip

    def _run(
        self, options: RunOptions, target: BuildTarget, *, action: str, timeout: float,
        allowed: Sequence[int] = (0,),
    ) -> RunResult:  # fmt: skip
        client = docker_client()
        try:
            result = run_to_completion(client, options, timeout=timeout)
        finally:
            client.close()
        if result.exit_code not in allowed:
            raise ContainerError(
                f"{target.stem}: {action} failed in image {options.image} "
                f"(exit {result.exit_code}):\n{result.logs.strip()[-4000:]}\n"
                f"Reproduce with the command above (LAMBDA_LAYERS_KEEP_CONTAINERS=1 keeps the "
                "container); if a distribution needs building from source, use an image with its "
                "build tools (`--image`), or pin a release with a wheel for this platform"
            )
        return result
