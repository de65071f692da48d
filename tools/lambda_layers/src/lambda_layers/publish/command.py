"""`lambda-layers publish` as a plain function: check, decide, (upload and) publish, record, prune.

Everything that can refuse (the zips, the function declarations, the AWS settings, a missing
bucket) is checked before the first upload.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.table import Table

from lambda_layers.base.console import console, step
from lambda_layers.base.errors import ConfigurationError
from lambda_layers.base.settings import BUCKET_VARIABLE
from lambda_layers.builder.manifest import read_manifest
from lambda_layers.builder.workspace import find_root
from lambda_layers.layer.functions import (
    DECLARATIONS_FILE,
    FUNCTIONS_DIRECTORY,
    FunctionSpec,
    load_functions,
)
from lambda_layers.layer.targets import Selection
from lambda_layers.platform.facts import limits, mb
from lambda_layers.publish.plan import Candidate, plan_dist
from lambda_layers.publish.record import (
    PUBLISHED_NAME,
    Published,
    PublishedLayer,
    merged,
    read_published,
    write_published,
)
from lambda_layers.publish.settings import AwsClients, AwsSettings, connect
from lambda_layers.publish.upload import MULTIPART_CHUNK_BYTES, Route, content_for, route_for
from lambda_layers.publish.versions import (
    LayerVersion,
    delete_version,
    list_versions,
    publish_version,
    reusable,
    versions_to_delete,
)


class Action(enum.StrEnum):
    PUBLISH = "publish"
    REUSE = "reuse"


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishRequest:
    dist: Path
    root: Path | None = None
    """Where `functions/functions.toml` is looked for (default: found from the cwd)."""
    prefix: str = ""
    bucket: str | None = None
    dry_run: bool = False
    prune_keep: int | None = None
    selection: Selection = field(default_factory=Selection)
    direct_limit: int = field(default_factory=lambda: limits().direct_upload_bytes)
    multipart_chunk_bytes: int = MULTIPART_CHUNK_BYTES
    settings: AwsSettings = field(default_factory=AwsSettings)
    record: Path | None = None
    """Where published.json goes (default: in `dist`); one per environment if prefixes differ."""

    @property
    def record_path(self) -> Path:
        return self.record or self.dist / PUBLISHED_NAME


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    candidate: Candidate
    action: Action
    route: Route
    existing: list[LayerVersion]
    """The layer's versions before this run, newest first."""

    @property
    def reused(self) -> LayerVersion | None:
        return reusable(self.existing, self.candidate.entry.sha256)


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishOutcome:
    decisions: list[Decision]
    layers: dict[str, PublishedLayer]
    """By zip name: the version each zip now has (empty on a dry run)."""
    pruned: list[LayerVersion]
    """Deleted (or, on a dry run, to be deleted)."""
    published_json: Path | None


def _functions(root: Path | None) -> list[FunctionSpec]:
    if root is None:
        try:
            root = find_root()
        except ConfigurationError:
            return []
    if not (root / FUNCTIONS_DIRECTORY / DECLARATIONS_FILE).is_file():
        return []
    return load_functions(root)


def _decide(clients: AwsClients, candidate: Candidate, request: PublishRequest) -> Decision:
    existing = list_versions(clients.lambda_client, candidate.layer_name)
    entry = candidate.entry
    action = Action.REUSE if reusable(existing, entry.sha256) else Action.PUBLISH
    route = route_for(
        size=candidate.path.stat().st_size, direct_limit=request.direct_limit,
        bucket=request.bucket, layer_name=candidate.layer_name, sha256=entry.sha256,
    )  # fmt: skip
    return Decision(candidate=candidate, action=action, route=route, existing=existing)


def _require_bucket(decisions: Sequence[Decision], limit: int) -> None:
    homeless = [
        d.candidate.path.name
        for d in decisions
        if d.action is Action.PUBLISH and d.route.through_s3 and d.route.bucket is None
    ]
    if homeless:
        raise ConfigurationError(
            f"{', '.join(homeless)}: over the {limit:,}-byte direct-upload limit, so they go "
            f"through S3, but no bucket was given: pass --bucket or set {BUCKET_VARIABLE} "
            "(a bucket in the same region as the layers); nothing was uploaded"
        )


def _size(size: int) -> str:
    return f"{mb(size):.1f} MB" if size >= limits().megabyte else f"{size:,} B"


def _show(decisions: Sequence[Decision], skipped: Sequence[str], *, dry_run: bool) -> None:
    table = Table(title="would publish" if dry_run else "publish plan", title_justify="left")
    for column in ("zip", "layer name", "size", "action"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for decision in decisions:
        reused = decision.reused
        action = (
            f"reuse version {reused.version}"
            if reused and decision.action is Action.REUSE
            else f"publish {decision.route.describe()}"
        )
        candidate = decision.candidate
        size = _size(candidate.path.stat().st_size)
        table.add_row(candidate.path.name, candidate.layer_name, size, action)
    for name in skipped:
        table.add_row(name, "", "", "[dim]skipped (not selected)[/dim]")
    console.print(table)


def _publish_one(clients: AwsClients, decision: Decision, request: PublishRequest) -> LayerVersion:
    reused = decision.reused
    if reused is not None:
        console.print(f"  [green]=[/green] {decision.candidate.path.name}: {reused.arn} (reused)")
        return reused
    candidate = decision.candidate
    with step(f"publish {candidate.path.name} as {candidate.layer_name} "
              f"({decision.route.describe()})"):  # fmt: skip
        content = content_for(
            clients.s3_client,
            path=candidate.path,
            route=decision.route,
            chunk_bytes=request.multipart_chunk_bytes,
        )
        made = publish_version(
            clients.lambda_client,
            layer_name=candidate.layer_name,
            entry=candidate.entry,
            content=content,
        )
    console.print(f"  [green]+[/green] {candidate.path.name}: {made.arn}")
    return made


def _record(candidate: Candidate, version: LayerVersion) -> PublishedLayer:
    entry = candidate.entry
    return PublishedLayer(
        layer=entry.layer, runtime=entry.runtime, architecture=entry.architecture,
        layer_name=candidate.layer_name, version=version.version, arn=version.arn,
        sha256=entry.sha256, input_hash=entry.input_hash,
    )  # fmt: skip


def _prune(
    clients: AwsClients,
    decisions: Sequence[Decision],
    *,
    keep: int,
    protected: frozenset[str],
    dry_run: bool,
) -> list[LayerVersion]:
    """Delete (or on a dry run, list) what is beyond the newest `keep` and not protected."""
    doomed: list[LayerVersion] = []
    for decision in decisions:
        if dry_run:
            # the version a publish would add counts among the newest `keep`
            adds = int(decision.action is Action.PUBLISH)
            versions, kept = decision.existing, keep - adds
        else:
            versions = list_versions(clients.lambda_client, decision.candidate.layer_name)
            kept = keep
        doomed.extend(versions_to_delete(versions, keep=kept, protected=protected))
    for version in doomed:
        if dry_run:
            console.print(f"  [yellow]-[/yellow] would delete {version.arn}")
        else:
            delete_version(clients.lambda_client, version)
            console.print(f"  [yellow]-[/yellow] deleted {version.arn}")
    return doomed


def _protected_now(previous: Published | None, decisions: Sequence[Decision]) -> frozenset[str]:
    """On a dry run: what published.json names now, and what this run would reuse."""
    reused = {d.reused.arn for d in decisions if d.reused is not None}
    return (previous.arns() if previous else frozenset()) | reused


def _note_replaced(previous: Published | None, *, region: str, prefix: str, path: Path) -> None:
    if previous is not None and (previous.region, previous.prefix) != (region, prefix):
        console.print(
            f"[yellow]note:[/yellow] {path} recorded region {previous.region!r} and prefix "
            f"{previous.prefix!r}; it will be replaced (pass --record to keep one per environment)"
        )


def run_publish(request: PublishRequest) -> PublishOutcome:
    """Publish (or, on a dry run, show) every selected zip; write published.json; prune."""
    if request.prune_keep is not None and request.prune_keep < 1:
        raise ConfigurationError(f"--prune-keep {request.prune_keep}: keep at least 1 version")
    plan = plan_dist(dist=request.dist, selection=request.selection, prefix=request.prefix)
    functions = _functions(request.root)
    previous = read_published(request.record_path)
    clients = connect(request.settings)
    decisions = [_decide(clients, candidate, request) for candidate in plan.candidates]
    _require_bucket(decisions, request.direct_limit)
    _show(decisions, [entry.zip for entry in plan.skipped], dry_run=request.dry_run)
    _note_replaced(previous, region=clients.region, prefix=request.prefix, path=request.record_path)
    if request.dry_run:
        preview = (
            _prune(clients, decisions, keep=request.prune_keep,
                   protected=_protected_now(previous, decisions), dry_run=True)
            if request.prune_keep is not None
            else []
        )  # fmt: skip
        console.print("[bold]dry run:[/bold] nothing was uploaded, published or deleted")
        return PublishOutcome(decisions=decisions, layers={}, pruned=preview, published_json=None)
    layers: dict[str, PublishedLayer] = {}
    try:
        for decision in decisions:
            version = _publish_one(clients, decision, request)
            layers[decision.candidate.path.name] = _record(decision.candidate, version)
    finally:  # what was published before a failure is recorded too
        published = merged(
            previous=previous, region=clients.region, prefix=request.prefix,
            current=layers.items(), still_built=frozenset(read_manifest(request.dist).layers),
            functions=functions,
        )  # fmt: skip
        path = write_published(request.record_path, published)
    console.print(f"[bold]wrote[/bold] {path}")
    pruned: list[LayerVersion] = []
    if request.prune_keep is not None:
        pruned = _prune(clients, decisions, keep=request.prune_keep,
                        protected=published.arns(), dry_run=False)  # fmt: skip
    return PublishOutcome(decisions=decisions, layers=layers, pruned=pruned, published_json=path)
