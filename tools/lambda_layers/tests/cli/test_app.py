"""The one app: every command behind one error handler (message and exit code, no traceback)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from lambda_layers.base.errors import ConfigurationError, ContainerError
from lambda_layers.cli.app import app


def test_a_tool_error_prints_its_message_and_exits_with_its_code(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.zip"
    result = CliRunner().invoke(app, ["verify", "--runtime", "python3.12", "--arch", "arm64",
                                      str(missing)])  # fmt: skip
    assert result.exit_code == ConfigurationError.exit_code == 2
    assert f"error: {missing}: no such zip" in result.output
    assert "Traceback" not in result.output
    # a subcommand of a group goes through the same handler
    images = CliRunner().invoke(app, ["images", "build", "--runtime", "python3.12", "-a", "arm64"])
    assert images.exit_code == ContainerError.exit_code
    assert "no stand-in matches the options" in images.output


def test_usage_errors_are_clicks_and_every_command_is_one_app() -> None:
    result = CliRunner().invoke(app, ["bogus"])
    assert result.exit_code == 2 and "No such command 'bogus'" in result.output
    listed = CliRunner().invoke(app, ["--help"]).output
    for command in ("build", "lock", "verify", "publish", "benchmark", "images", "functions"):
        assert command in listed


def test_rule_names_in_messages_are_printed_as_written(make_zip: Callable[..., Path]) -> None:
    # GIVEN a zip whose file sits outside python/ (a [layout] problem)
    archive = make_zip("flat", {"six.py": "x = 1\n"})
    # WHEN it is verified from the command line
    result = CliRunner().invoke(app, ["verify", "--runtime", "python3.12", "--arch", "x86_64",
                                      str(archive)])  # fmt: skip
    # THEN the rule's name in brackets survives the terminal's markup
    assert result.exit_code == 4
    assert "[layout] 1 problem:" in result.output
    assert "six.py is outside python/" in result.output
