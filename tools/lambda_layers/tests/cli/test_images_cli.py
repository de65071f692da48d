"""`lambda-layers images build|list`, through the one app."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from lambda_layers.cli.app import app
from lambda_layers.platform.facts import Architecture

pytestmark = pytest.mark.docker
StandinFactory = Callable[[str, Architecture], str]  # the `standin` fixture (../conftest.py)


def test_build_selected_reuses_the_present_image(standin: StandinFactory) -> None:
    tag = standin("python3.12", Architecture.X86_64)
    result = CliRunner().invoke(
        app, ["images", "build", "--runtime", "python3.12", "--arch", "x86_64"]
    )
    assert result.exit_code == 0, result.output
    assert tag in result.output


def test_build_rejects_a_selection_with_no_stand_in(standin: StandinFactory) -> None:
    standin("python3.11", Architecture.X86_64)  # an engine is there
    result = CliRunner().invoke(
        app, ["images", "build", "--runtime", "python3.12", "--arch", "arm64"]
    )
    assert result.exit_code == 5
    assert "no stand-in matches" in result.output


def test_list_names_every_stand_in(standin: StandinFactory) -> None:
    tag = standin("python3.11", Architecture.X86_64)
    result = CliRunner().invoke(app, ["images", "list"])
    assert result.exit_code == 0, result.output
    assert tag.split(":")[1] in result.output
    assert result.output.count("python3.1") >= 7
