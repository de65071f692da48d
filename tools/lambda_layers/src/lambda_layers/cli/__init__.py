"""`lambda-layers`: one Typer app over every subpackage, with one error handler and one settings."""

from lambda_layers.cli.app import main

__all__ = ["main"]
