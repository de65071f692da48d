"""Reading what users and earlier runs wrote (TOML, JSON models), naming file and bad field."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from lambda_layers.base.errors import ConfigurationError

Model = TypeVar("Model", bound=BaseModel)


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The TOML document at `path` (`what` names it in the error: "the layer spec")."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigurationError(f"{path}: cannot read {what}: {error}") from None


def problems(error: ValidationError, *, prefix: str = "") -> str:
    """One line per bad field: `  - field <prefix><where>: <what is wrong>`."""
    lines = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"] if part != "") or "(file)"
        lines.append(f"  - field {prefix}{where}: {item['msg']}")
    return "\n".join(lines)


def read_model(path: Path, model: type[Model], *, what: str, fix: str) -> Model | None:
    """The JSON document at `path` as `model`, or None when there is none."""
    if not path.is_file():
        return None
    try:
        return model.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ConfigurationError(
            f"{path} is not a {what} this tool can read ({error}); {fix}"
        ) from None
