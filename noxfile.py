"""Every workflow of this repository. Sessions stay thin: they install from the lock and call code.

Run `nox -l` for the list. The README's two commands are `make layers` and `make test`.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.needs_version = ">=2025.5.1"
nox.options.default_venv_backend = "uv"
nox.options.error_on_external_run = True
nox.options.sessions = ["lint", "isolation", "tests"]

ROOT = Path(__file__).parent
PYTHON = "3.11"
CHROMA_SERVER_ENV = ROOT / ".nox" / "_chroma_server"


def sync(
    session: nox.Session,
    *,
    packages: tuple[str, ...] = (),
    extras: tuple[str, ...] = (),
    groups: tuple[str, ...] = (),
    all_packages: bool = False,
    environment: Path | None = None,
) -> None:
    """Install what uv.lock pins for `packages` (+ extras, groups) into the session's venv."""
    arguments = ["uv", "sync", "--locked", "--no-default-groups", "--inexact"]
    if all_packages:
        arguments.append("--all-packages")
    for package in packages:
        arguments += ["--package", package]
    arguments += [f"--extra={extra}" for extra in extras]
    arguments += [f"--group={group}" for group in groups]
    target = environment or Path(session.virtualenv.location)
    session.run_install(
        *arguments, env={"UV_PROJECT_ENVIRONMENT": str(target)}, external=True, silent=True
    )


def chroma_server_executable(session: nox.Session) -> str:
    """A separate environment with the full `chromadb` at the locked version, for `chroma run`."""
    sync(session, packages=("receipt-chroma",), extras=("full",), environment=CHROMA_SERVER_ENV)
    return str(CHROMA_SERVER_ENV / "bin" / "chroma")


# ----------------------------------------------------------------------------- checks


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff (lint + format check) and mypy over every package."""
    sync(session, all_packages=True, extras=("lambda",), groups=("lint", "test"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy", *session.posargs)
    session.run("pytest", "tests/readme", "-m", "typing")  # README examples under mypy --strict


# ----------------------------------------------------------------------------- tests

BOTH = ("receipt-label", "receipt-chroma")
THIN_ONLY = "-m=not embedded and not typing"  # the thin client refuses embedded stores, then stops
NOT_TYPING = "-m=not typing"  # type checks run in the lint session
TEST_TARGETS: dict[str, tuple[tuple[str, ...], tuple[str, ...], list[str]]] = {
    # id: (packages, extras, pytest arguments)
    "label": (
        ("receipt-label",),
        (),
        ["packages/receipt_label/tests", "tools/receipt_fixtures/tests"],
    ),
    "chroma-lambda": (
        ("receipt-chroma",),
        ("lambda",),
        ["packages/receipt_chroma/tests", THIN_ONLY],
    ),
    "chroma-full": (("receipt-chroma",), ("full",), ["packages/receipt_chroma/tests"]),
    "integration-lambda": (BOTH, ("lambda",), ["tests", "--ignore=tests/isolation", THIN_ONLY]),
    "integration-full": (BOTH, ("full",), ["tests", "--ignore=tests/isolation", NOT_TYPING]),
    "layers": (("lambda-layers",), (), ["tools/lambda_layers/tests", "-m=not docker"]),
    "services": (("receipt-chroma",), ("lambda",), ["tools/live_services/tests"]),
}


@nox.session(python=PYTHON)
@nox.parametrize("target", list(TEST_TARGETS))
def tests(session: nox.Session, target: str) -> None:
    """Each package in its own environment; Chroma tests talk to a real `chroma run` server."""
    packages, extras, arguments = TEST_TARGETS[target]
    env = {}
    if "receipt-chroma" in packages:
        env["CHROMA_SERVER_EXECUTABLE"] = chroma_server_executable(session)
    sync(session, packages=packages, extras=extras, groups=("test",))
    session.run("pytest", *arguments, *session.posargs, env=env)


@nox.session(python=PYTHON, default=False, tags=["benchmarks"])
def benchmark_storage(session: nox.Session) -> None:
    """S3 storage: compaction and reader cold start against a PersistentClient floor (ratios)."""
    sync(session, packages=("receipt-chroma",), extras=("full",), groups=("test",))
    session.run(
        "python", "packages/receipt_chroma/benchmarks/storage_benchmark.py", *session.posargs
    )


@nox.session(python=PYTHON, default=False, tags=["benchmarks"])
def benchmark_labels(session: nox.Session) -> None:
    """extract_fields over receipts-dev: exact, wrong, missed per group and field (`-- --failures`).

    Reads the receipts from $RECEIPTS_DEV or `../shared/receipts-dev`; they are never copied here.
    """
    sync(session, packages=("receipt-label",))
    session.run("python", "-m", "receipt_label.evaluation", *session.posargs)


@nox.session(python=PYTHON, default=False, tags=["benchmarks"])
def benchmark_import(session: nox.Session) -> None:
    """`import receipt_chroma` as a ratio to `import json` (CPU time); fails over its budget."""
    sync(session, packages=("receipt-chroma",), extras=("lambda",))
    session.run(
        "python", "packages/receipt_chroma/benchmarks/import_benchmark.py", *session.posargs
    )


# ----------------------------------------------------------------------------- layers


@nox.session(python=PYTHON)
def build_layers(session: nox.Session) -> None:
    """Build, verify and write every layer zip to dist/layers/ (options: `-- --help`)."""
    sync(session, packages=("lambda-layers",))
    session.run("lambda-layers", "build", *session.posargs)


@nox.session(python=PYTHON, default=False)
def lock_layers(session: nox.Session) -> None:
    """Resolve the layers' pinned closures again into layers/locks/ (then commit them)."""
    sync(session, packages=("lambda-layers",))
    session.run("lambda-layers", "lock", *session.posargs)


@nox.session(python=PYTHON, default=False, tags=["benchmarks"])
def benchmark_layers(session: nox.Session) -> None:
    """Size and build time of each layer against a plain `pip install --target`, as ratios."""
    sync(session, packages=("lambda-layers",))
    session.install("pip")  # the baseline; nox's uv backend installs no pip by itself
    session.run("lambda-layers", "benchmark", *session.posargs)


@nox.session(python=PYTHON, default=False)
def publish_layers(session: nox.Session) -> None:
    """Publish the verified zips in dist/layers/ to AWS Lambda (`-- --dry-run`, `-- --help`)."""
    sync(session, packages=("lambda-layers",))
    session.run("lambda-layers", "publish", *session.posargs)


# ----------------------------------------------------------------------------- containers


@nox.session(python=PYTHON, default=False, tags=["docker"])
def runtime_images(session: nox.Session) -> None:
    """Lambda-like stand-in images, built with no registry (debootstrap, as root); reused."""
    sync(session, packages=("lambda-layers",))
    session.run("lambda-layers", "images", "build", *session.posargs)


@nox.session(python=PYTHON, tags=["docker"])
def test_docker(session: nox.Session) -> None:
    """Layer stacks in Lambda-like containers (arm64 emulated), negative runs, docker builder.

    Needs a Docker engine and the stand-in images (`nox -s runtime_images`); skips without an
    engine, fails instead when CI=true.
    """
    env = {"CHROMA_SERVER_EXECUTABLE": chroma_server_executable(session)}
    # The host seeds the functions' servers: S3 snapshots need the embedded store ([full]).
    sync(
        session,
        packages=("lambda-layers", "live-services", "receipt-label", "receipt-chroma"),
        extras=("full",),
        groups=("test",),
    )
    if os.environ.get("CI", "").lower() == "true":
        # .ci/run builds the stand-ins alongside the other sessions: wait for them here (per-image
        # locks), building any still missing, so no container test skips or fails for want of one.
        session.run("lambda-layers", "images", "build")
    session.run("pytest", "tools/lambda_layers/tests", "-m", "docker", *session.posargs, env=env)


# ----------------------------------------------------------------------------- isolation

ISOLATED_PACKAGES = {
    # package directory: extras whose environment deptry checks the declared dependencies in
    "packages/receipt_label": (),
    "packages/receipt_chroma": ("lambda",),
}


@nox.session(python=PYTHON)
def isolation(session: nox.Session) -> None:
    """Fresh closures hold no forbidden packages; import contracts hold (the two packages', and
    the layer tool's one-way subpackages); declared deps are used."""
    sync(session, packages=("receipt-label", "receipt-chroma", "lambda-layers"), extras=("lambda",))
    sync(session, groups=("isolation",))
    session.install("pytest", "uv")
    session.run("pytest", "tests/isolation", *session.posargs)
    session.run("lint-imports")
    for directory in ISOLATED_PACKAGES:
        with session.chdir(directory):
            session.run("deptry", "src")
