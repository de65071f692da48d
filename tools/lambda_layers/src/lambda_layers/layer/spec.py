"""Layer specs: one TOML file per layer in `layers/`, validated field by field."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from lambda_layers.base.documents import problems, read_toml
from lambda_layers.base.errors import ConfigurationError
from lambda_layers.platform.facts import ArchitectureField, facts, limits, mb, runtime_problems

LAMBDA_UNZIPPED_LIMIT_MB = mb(limits().unzipped_bytes)  # a function and its layers, unzipped


class LayerSpec(BaseModel):
    """A layer: what goes in, for which runtimes and architectures, and the rules it must obey."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
    description: str = ""
    license: str = ""
    requirements: Annotated[list[str], Field(min_length=1)]
    runtimes: Annotated[list[str], Field(min_length=1)]
    architectures: Annotated[list[ArchitectureField], Field(min_length=1)]
    forbid: list[str] = []
    exclude: list[str] = []
    keep_runtime_provided: list[str] = []
    max_unzipped_mb: Annotated[float, Field(gt=0, le=LAMBDA_UNZIPPED_LIMIT_MB)] = (
        LAMBDA_UNZIPPED_LIMIT_MB
    )
    imports: list[str] = []
    prune: list[str] = []
    strip: bool = True
    compile_bytecode: bool = True

    @field_validator("requirements")
    @classmethod
    def _requirements_parse(cls, value: list[str]) -> list[str]:
        for text in value:
            try:
                Requirement(text)
            except InvalidRequirement as error:
                raise ValueError(f"{text!r} is not a PEP 508 requirement: {error}") from None
        return value

    @field_validator("runtimes")
    @classmethod
    def _runtimes_supported(cls, value: list[str], info: ValidationInfo) -> list[str]:
        """Known to Lambda and not deprecated on the day checked (context `today`)."""
        found = runtime_problems(value, (info.context or {}).get("today"))
        if found:
            raise ValueError("; ".join(found))
        return value

    @field_validator("forbid", "exclude", "keep_runtime_provided")
    @classmethod
    def _canonical(cls, value: list[str]) -> list[str]:
        return [str(canonicalize_name(name)) for name in value]

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * limits().megabyte)

    def requirements_by_name(self) -> dict[str, tuple[str, str]]:
        """Canonical name -> (the requirement as written, its extras as `[a,b]` or "")."""
        parsed = {}
        for text in self.requirements:
            requirement = Requirement(text)
            extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
            parsed[str(canonicalize_name(requirement.name))] = (text, extras)
        return parsed

    def requirement_names(self) -> list[str]:
        return list(self.requirements_by_name())

    def named(self) -> frozenset[str]:
        """Distributions the user named: in `requirements` or `keep_runtime_provided`."""
        return frozenset(self.requirement_names()) | frozenset(self.keep_runtime_provided)

    def ships_runtime_sdk(self) -> bool:
        """Whether the layer ships the AWS SDK the Lambda runtime has (boto3, botocore,
        s3transfer): only when the spec names part of it, and then all of it."""
        return bool(self.named() & facts().distributions.runtime_provided)

    def left_out(self) -> frozenset[str]:
        """Distributions never installed: excluded ones, and the runtime's SDK unless shipped."""
        provided = (
            frozenset() if self.ships_runtime_sdk() else facts().distributions.runtime_provided
        )
        return frozenset(self.exclude) | provided

    def fingerprint(self) -> str:
        """A hash of everything in the spec (it changes the layer when it changes)."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()

    def requirements_fingerprint(self) -> str:
        """A hash of what resolution depends on (a lock made for other inputs is stale)."""
        return hashlib.sha256(json.dumps(sorted(self.requirements)).encode()).hexdigest()[:16]


def load_spec(path: Path, *, today: datetime.date | None = None) -> LayerSpec:
    """Read and validate one spec; errors name the file, every bad field and what is expected.
    A runtime deprecated on `today` (default: today) is refused."""
    data = read_toml(path, "the layer spec")
    try:
        spec = LayerSpec.model_validate(data, context={"today": today})
    except ValidationError as error:
        raise ConfigurationError(
            f"{path}: the layer spec is invalid:\n{problems(error)}\n"
            "Fields and their meaning are documented in layers/README.md."
        ) from None
    if path.stem != spec.name:
        raise ConfigurationError(
            f"{path}: field name: {spec.name!r} must match the file name ({path.stem!r}.toml)"
        )
    return spec


@dataclass(frozen=True, slots=True)
class SpecDirectory:
    """Every spec in a directory: the valid ones, and why each other one is not (by file stem,
    which is the layer's name)."""

    specs: list[LayerSpec]
    broken: dict[str, ConfigurationError] = field(default_factory=dict)

    def require_valid(self, names: Sequence[str] = ()) -> list[LayerSpec]:
        """The valid specs; a ConfigurationError naming every broken one among `names` (all
        when empty)."""
        wanted = [error for name, error in self.broken.items() if not names or name in names]
        if wanted:
            raise ConfigurationError("\n\n".join(str(error) for error in wanted))
        return self.specs


def read_specs(directory: Path, *, today: datetime.date | None = None) -> SpecDirectory:
    """Every `*.toml` spec in `directory`, sorted by name, and the broken ones set aside."""
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise ConfigurationError(f"no layer specs (*.toml) in {directory}")
    specs, broken = [], {}
    for path in paths:
        try:
            specs.append(load_spec(path, today=today))
        except ConfigurationError as error:
            broken[path.stem] = error
    return SpecDirectory(specs=specs, broken=broken)


def load_specs(directory: Path, *, today: datetime.date | None = None) -> list[LayerSpec]:
    """Every `*.toml` spec in `directory`, sorted by name; one error naming every broken spec."""
    return read_specs(directory, today=today).require_valid()
