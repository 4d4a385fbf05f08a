"""GraphQL types of the provenance core. Each wraps a domain Entity."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from app.domain import validation as v
from app.domain.classification import FIELD_CLASSES
from app.domain.entities import AliasPointer, Entity, Revision
from app.graph.validation import Finding
from app.graphql.connection import (
    Connection,
    PageInfo,
    asks_for_total,
    connection,
    decode,
    page_size,
    time_cursor_key,
    time_key,
)
from app.graphql.context import Info
from app.graphql.disclosure import gate
from app.graphql.enums import RunStatus, VersionState
from app.graphql.loaders import (
    aliases_loader,
    artifact_files_loader,
    core_reader,
    findings_loader,
    node_loader,
    producer_loader,
    revisions_loader,
    run_inputs_loader,
    run_outputs_loader,
    versions_loader,
)

if TYPE_CHECKING:
    from app.graphql.annotations import Annotation
    from app.graphql.history import DeploymentConnection, VersionStatus


@strawberry.interface(description="Anything in the provenance graph, addressable by a stable id.")
class Node:
    id: strawberry.ID = strawberry.field(description="Stable id; its prefix names the kind.")


@strawberry.type(description="A custom property value (string, number or boolean).")
class CustomProperty:
    name: str = strawberry.field(description="Property name.")
    value: JSON = strawberry.field(description="Typed value, or [redacted: <classification>].")
    classification: str = strawberry.field(
        default="public", description="public, internal, confidential or personal (set at write time)."
    )


def _custom(e: Entity) -> list[CustomProperty]:
    return [CustomProperty(name=k, value=v) for k, v in sorted(e.custom.items())]


@strawberry.type(description="One recorded change of mutable metadata.")
class RevisionRecord:
    revision: int = strawberry.field(description="Revision number after the change.")
    at: datetime | None = strawberry.field(description="When (UTC).")
    actor: str = strawberry.field(description="Who made it.")
    changes: JSON = strawberry.field(description="field -> {from, to}.")

    @classmethod
    def of(cls, r: Revision) -> RevisionRecord:
        return cls(revision=r.revision, at=r.at, actor=r.actor, changes=JSON(r.changes))


@strawberry.type(description="A named metric value.")
class MetricValue:
    name: str = strawberry.field(description="Metric name.")
    value: float = strawberry.field(description="Finite value.")


def _metrics(values: dict[str, float]) -> list[MetricValue]:
    return [MetricValue(name=k, value=v) for k, v in sorted(values.items())]


class _Base:
    _e: strawberry.Private[Entity]

    def __init__(self, e: Entity) -> None:
        self._e = e
        self.id = strawberry.ID(e.id)


def _prop(prop: str, description: str, resolve: Any) -> Any:
    resolve.__name__ = f"resolve_{prop}"
    return strawberry.field(resolver=resolve, description=description)


def text(prop: str, description: str) -> Any:
    """An optional string property of the wrapped entity."""

    def resolve(root: _Base) -> str | None:
        value = root._e.get(prop)
        return None if value is None else str(value)

    return _prop(prop, description, resolve)


def json_text(prop: str, description: str) -> Any:
    """A property stored as JSON text (e.g. OpenLineage facets), answered as JSON."""

    def resolve(root: _Base) -> JSON | None:
        value = root._e.get(prop)
        return None if value is None else json.loads(str(value))

    return _prop(prop, description, resolve)


def required_text(prop: str, description: str) -> Any:
    def resolve(root: _Base) -> str:
        return str(root._e.get(prop))

    return _prop(prop, description, resolve)


def state(prop: str, kind: type[Enum], description: str, default: str | None = None) -> Any:
    """A property holding one of a fixed set, exposed as the enum `kind`."""

    def resolve(root: _Base) -> Enum:
        return kind(root._e.get(prop) or default)

    resolve.__annotations__ = {"root": _Base, "return": kind}
    return _prop(prop, description, resolve)


def strings(prop: str, description: str) -> Any:
    def resolve(root: _Base) -> list[str]:
        return list(root._e.get(prop) or [])

    return _prop(prop, description, resolve)


def integer(prop: str, description: str) -> Any:
    def resolve(root: _Base) -> int:
        return int(root._e.get(prop))

    return _prop(prop, description, resolve)


def optional_integer(prop: str, description: str) -> Any:
    def resolve(root: _Base) -> int | None:
        value = root._e.get(prop)
        return None if value is None else int(value)

    return _prop(prop, description, resolve)


def optional_float(prop: str, description: str) -> Any:
    def resolve(root: _Base) -> float | None:
        value = root._e.get(prop)
        return None if value is None else float(value)

    return _prop(prop, description, resolve)


def revision(description: str) -> Any:
    def resolve(root: _Base) -> int:
        return int(root._e.get("revision") or 1)

    return _prop("revision", description, resolve)


def timestamp(prop: str, description: str) -> Any:
    def resolve(root: _Base) -> datetime | None:
        return root._e.time(prop)

    return _prop(prop, description, resolve)


def sensitive(label: str, prop: str, description: str) -> Any:
    """An optional string property classified in FIELD_CLASSES: read through the disclosure gate."""
    classification = FIELD_CLASSES[(label, prop)]

    async def resolve(root: _Base, info: Info) -> str | None:
        value = root._e.get(prop)
        shown = await gate(info).value(root._e, prop, classification, value, await _owner_of(info, root._e))
        return None if shown is None else str(shown)

    resolve.__annotations__ = {"root": _Base, "info": Info, "return": str | None}
    return _prop(prop, f"{description} Classified {classification}: redacted unless policy discloses it.", resolve)


async def _owner_of(info: Info, e: Entity) -> Entity | None:
    """What holds the owners of `e`: itself, or the model of a version."""
    if e.kind == "ModelVersion" and e.get("model_id"):
        return await node_loader(info).load(str(e.get("model_id")))
    return None


def custom(
    description: str = "Typed custom properties (a classified one is redacted unless policy discloses it).",
) -> Any:
    async def resolve(root: _Base, info: Info) -> list[CustomProperty]:
        e = root._e
        classes = e.custom_classes
        if not classes:
            return _custom(e)
        owner = await _owner_of(info, e)
        out = []
        for name, value in sorted(e.custom.items()):
            cls = classes.get(name, "public")
            shown = await gate(info).value(e, f"custom.{name}", cls, value, owner)
            out.append(CustomProperty(name=name, value=shown, classification=cls))
        return out

    resolve.__annotations__ = {"root": _Base, "info": Info, "return": list[CustomProperty]}
    return _prop("custom", description, resolve)


def node_type(description: str) -> Any:
    """strawberry.type for Entity wrappers: keep our constructor (Strawberry's dataclass
    __init__ would expect every field as an argument)."""

    def wrap(cls: Any) -> Any:
        decorated = strawberry.type(cls, description=description)
        decorated.__init__ = _Base.__init__
        return decorated

    return wrap


@node_type(description="A team's space for experiments, features and models.")
class Project(_Base, Node):
    name = required_text("name", "Unique name.")
    description = text("description", "Free text.")
    owners = strings("owners", "Owning principals.")
    revision = revision("Metadata revision (pass it as expectedRevision when updating).")
    custom = custom()
    created_at = timestamp("created_at", "Created (UTC).")

    @strawberry.field(description="Its models, by name.")
    async def models(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Model]:
        limit = page_size(first)
        found = await core_reader(info).in_project("Model", self._e.id, decode(after), limit + 1)
        total = await core_reader(info).count_in_project("Model", self._e.id) if asks_for_total(info) else None
        return connection([(str(e.get("name")), Model(e)) for e in found], limit, total)

    @strawberry.field(description="Its experiments, by name.")
    async def experiments(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Experiment]:
        limit = page_size(first)
        found = await core_reader(info).in_project("Experiment", self._e.id, decode(after), limit + 1)
        total = await core_reader(info).count_in_project("Experiment", self._e.id) if asks_for_total(info) else None
        return connection([(str(e.get("name")), Experiment(e)) for e in found], limit, total)


@node_type(description="A group of runs in a project.")
class Experiment(_Base, Node):
    name = required_text("name", "Name, unique in its project.")
    description = text("description", "Narrative of the experiment.")
    revision = revision("Metadata revision.")

    @strawberry.field(description="Its runs, newest first.")
    async def runs(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Run]:
        limit = page_size(first)
        found = await core_reader(info).runs_of(self._e.id, time_key(after), limit + 1)
        total = await core_reader(info).count_runs_of(self._e.id) if asks_for_total(info) else None
        return connection([(time_cursor_key(e.get("started_at"), e.id), Run(e)) for e in found], limit, total)

    @strawberry.field(description="The project it belongs to.")
    async def project(self, info: Info) -> Project | None:
        e = await node_loader(info).load(self._e.get("project_id"))
        return Project(e) if e else None

    custom = custom()


@strawberry.type(description="Usage rights recorded for a dataset version.")
class UsageRights:
    training_allowed: bool | None = strawberry.field(description="May be used to train models.")
    commercial_use: bool | None = strawberry.field(description="May be used in commercial products.")
    contains_personal_data: bool | None = strawberry.field(description="Contains personal data.")


@node_type(description="An immutable snapshot of a dataset.")
class DatasetVersion(_Base, Node):
    dataset = required_text("dataset_name", "Dataset name.")
    version = integer("version", "Version number within the dataset.")

    source_uri = sensitive(
        "DatasetVersion", "source_uri", "Where the data came from (recorded, never used as a storage location)."
    )

    digest = text("digest", "Content digest (sha256:...).")
    row_count = optional_integer("row_count", "Number of rows.")
    schema = sensitive("DatasetVersion", "schema", "Schema description (JSON or text).")
    data_domain = text("data_domain", "Data domain.")

    @strawberry.field(description="What the continuous validator found (e.g. the source is gone).")
    async def findings(self, info: Info, include_resolved: bool = False) -> list[ValidationFinding]:
        return await findings_of(info, self._e.id, include_resolved)

    @strawberry.field(description="Usage rights.")
    def usage_rights(self) -> UsageRights:
        g = self._e.get
        return UsageRights(
            training_allowed=g("training_allowed"),
            commercial_use=g("commercial_use"),
            contains_personal_data=g("contains_personal_data"),
        )

    preprocessing = strings("preprocessing", "Preprocessing steps, in order.")
    description = text("description", "Free text.")
    created_at = timestamp("created_at", "Registered (UTC).")
    source_namespace = text(
        "source_namespace", "OpenLineage namespace of its source (scheme://authority), when it was named by one."
    )
    source_name = text("source_name", "OpenLineage name of its source within the namespace.")
    data_source_name = text("data_source_name", "Data source name (OpenLineage dataSource facet).")
    data_source_uri = text("data_source_uri", "Data source URI (OpenLineage dataSource facet).")
    source_owners = strings("ol_owners", "Owners named by the OpenLineage ownership facet.")
    facets = json_text("ol_facets", "OpenLineage dataset facets as reported, unknown ones included.")
    merged_from = text("merged_from", "The dataset this version was first recorded under, before it was merged.")

    @strawberry.field(description="The run that wrote this version (an OpenLineage output).")
    async def produced_by(self, info: Info) -> Run | None:
        found = await producer_loader(info).load(self._e.id)
        return Run(found) if found else None


@node_type(description="A feature computed from a dataset version.")
class Feature(_Base, Node):
    name = required_text("name", "Name, unique in its project.")
    dtype = required_text("dtype", "Data type.")
    definition = text("definition", "Definition / transformation.")

    @strawberry.field(description="The dataset version it is computed from.")
    async def source(self, info: Info) -> DatasetVersion | None:
        e = await node_loader(info).load(self._e.get("source_dataset_version_id"))
        return DatasetVersion(e) if e else None


@strawberry.type(description="Software and hardware a run used.")
class RunEnvironment:
    framework: str | None = strawberry.field(description="e.g. scikit-learn.")
    framework_version: str | None = strawberry.field(description="Framework version.")
    hardware: str | None = strawberry.field(description="e.g. 1x A100.")
    container_image: str | None = strawberry.field(description="Image reference.")
    python_version: str | None = strawberry.field(description="Python version.")


@node_type(description="A training or processing run; its inputs are fixed once finished.")
class Run(_Base, Node):
    name = text("name", "Optional display name.")
    status = state("status", RunStatus, "Where the run stands.")

    @strawberry.field(description="Parameters.")
    def params(self) -> JSON:
        return JSON(self._e.params)

    @strawberry.field(description="Final metrics.")
    def metrics(self) -> list[MetricValue]:
        return _metrics(self._e.metrics)

    started_at = timestamp("started_at", "Start (UTC).")
    ended_at = timestamp("ended_at", "End (UTC).")
    duration_seconds = optional_float("duration_seconds", "Training duration in seconds.")
    code_version = text("code_version", "Code version (e.g. git commit).")
    external_id = text("external_id", "Id of this run in the system that produced it (e.g. an OpenLineage runId).")
    notes = text("notes", "Free-text notes / narrative.")
    revision = revision("Metadata revision.")

    @strawberry.field(description="Environment.")
    def environment(self) -> RunEnvironment:
        g = self._e.get
        return RunEnvironment(
            framework=g("framework"),
            framework_version=g("framework_version"),
            hardware=g("hardware"),
            container_image=g("container_image"),
            python_version=g("python_version"),
        )

    @strawberry.field(description="Dataset versions and features it used.")
    async def inputs(self, info: Info) -> list[Annotated[DatasetVersion | Feature, strawberry.union("RunInput")]]:
        found = await run_inputs_loader(info).load(self._e.id)
        return [DatasetVersion(e) if e.kind == "DatasetVersion" else Feature(e) for e in found]

    @strawberry.field(description="The experiment.")
    async def experiment(self, info: Info) -> Experiment | None:
        e = await node_loader(info).load(self._e.get("experiment_id"))
        return Experiment(e) if e else None

    @strawberry.field(description="Dataset versions it produced (its OpenLineage outputs).")
    async def outputs(self, info: Info) -> list[DatasetVersion]:
        return [DatasetVersion(e) for e in await run_outputs_loader(info).load(self._e.id)]

    facets = json_text("ol_run_facets", "OpenLineage run facets of its first event, unknown ones included.")
    end_facets = json_text("ol_end_facets", "OpenLineage run facets of the event that finished it.")
    job_facets = json_text("ol_job_facets", "OpenLineage job facets (documentation, ownership, sourceCode, ...).")
    producer = text("ol_producer", "The OpenLineage producer that reported it.")
    job_owners = strings("ol_job_owners", "Owners named by the job's OpenLineage ownership facet.")
    parent_run_external_id = text("parent_run_external_id", "OpenLineage runId of its parent run (parent facet).")
    parent_job_namespace = text("parent_job_namespace", "Job namespace of its parent run (parent facet).")
    parent_job_name = text("parent_job_name", "Job name of its parent run (parent facet).")

    @strawberry.field(description="Its parent run, when the parent was reported too (parent facet).")
    async def parent_run(self, info: Info) -> Run | None:
        parent = self._e.get("parent_run_external_id")
        found = await core_reader(info).run_by_external_id(str(parent)) if parent else None
        return Run(found) if found else None

    custom = custom()


@strawberry.type(description="Where a version's bytes are and how to check them.")
class ArtifactRef:
    uri: str | None = strawberry.field(description="Reference as registered.")
    digest: str = strawberry.field(description="sha256 digest (immutable).")
    size: int | None = strawberry.field(description="Bytes.")
    format: str | None = strawberry.field(description="e.g. onnx, pickle, safetensors.")


@strawberry.type(description="A file of a directory artifact (a model directory).")
class ArtifactFile:
    path: str = strawberry.field(description="Path inside the directory.")
    digest: str = strawberry.field(description="sha256 digest of the file; GET /api/v1/artifacts/<digest> reads it.")
    size: int | None = strawberry.field(description="Bytes.")


@strawberry.type(description="Feature -> importance score.")
class FeatureImportance:
    feature: str = strawberry.field(description="Feature name.")
    score: float = strawberry.field(description="Importance.")


@strawberry.type(description="An alias and the version it points to (and since when).")
class AliasState:
    alias: str = strawberry.field(description="Alias name, e.g. production.")
    version: int = strawberry.field(description="Version number it points to.")
    version_id: strawberry.ID = strawberry.field(description="Model version id.")
    since: datetime | None = strawberry.field(description="Pointing there since (UTC).")
    until: datetime | None = strawberry.field(description="Until (UTC); null while current.")
    actor: str | None = strawberry.field(description="Who moved it.")

    @classmethod
    def of(cls, p: AliasPointer) -> AliasState:
        return cls(
            alias=p.alias,
            version=p.version,
            version_id=strawberry.ID(p.version_id),
            since=p.since,
            until=p.until,
            actor=p.actor,
        )


@node_type(description="An immutable evaluation of a model version on a dataset snapshot and slice.")
class Evaluation(_Base, Node):
    version = integer("version", "Version number evaluated.")
    slice = text("slice", "Slice, e.g. region=EU (null: the whole dataset).")
    method = text("method", "Scoring method / metric definitions.")
    code_version = text("code_version", "Evaluation code version.")
    evaluator = text("evaluator", "Who evaluated.")
    evaluated_at = timestamp("evaluated_at", "When it was evaluated (UTC).")
    reports = strings("reports", "Report artifact ids.")
    notes = text("notes", "Free text.")
    created_at = timestamp("created_at", "Recorded (UTC).")
    created_by = text("created_by", "Who recorded it.")

    @strawberry.field(description="Metric values.")
    def metrics(self) -> list[MetricValue]:
        return _metrics(self._e.metrics)

    @strawberry.field(description="Metric -> [low, high] confidence intervals.")
    def confidence(self) -> JSON:
        return JSON(self._e.json_field("confidence", {}) or {})

    @strawberry.field(description="The dataset snapshot evaluated on.")
    def dataset_version_id(self) -> strawberry.ID | None:
        found = self._e.get("dataset_version_id")
        return strawberry.ID(found) if found else None

    @strawberry.field(description="The evaluation this one corrects.")
    def supersedes_id(self) -> strawberry.ID | None:
        found = self._e.get("supersedes")
        return strawberry.ID(found) if found else None

    @strawberry.field(description="The dataset snapshot evaluated on.")
    async def dataset_version(self, info: Info) -> DatasetVersion | None:
        found = self._e.get("dataset_version_id")
        e = await node_loader(info).load(found) if found else None
        return DatasetVersion(e) if e else None


EvaluationConnection = Connection[Evaluation]


@strawberry.type(description="A problem the continuous validator found (open), or found fixed (resolved).")
class ValidationFinding:
    id: strawberry.ID = strawberry.field(description="Finding id.")
    check: str = strawberry.field(
        description="artifact_missing, artifact_corrupt, source_unreachable, or a policy check "
        "(e.g. intended_use_missing, holdout_evaluation_missing)."
    )
    detail: str = strawberry.field(description="What was found.")
    status: str = strawberry.field(description="open or resolved.")
    opened_at: datetime = strawberry.field(description="First found (UTC).")
    last_seen_at: datetime = strawberry.field(description="Last found by a cycle (UTC).")
    resolved_at: datetime | None = strawberry.field(description="Found fixed (UTC).")

    @classmethod
    def of(cls, f: Finding) -> ValidationFinding:
        return cls(
            id=strawberry.ID(f.id),
            check=f.check,
            detail=f.detail,
            status=f.status,
            opened_at=f.opened_at,
            last_seen_at=f.last_seen_at,
            resolved_at=f.resolved_at,
        )


async def findings_of(info: Info, subject_id: str, include_resolved: bool) -> list[ValidationFinding]:
    return [ValidationFinding.of(f) for f in await findings_loader(info, include_resolved).load(subject_id)]


@node_type(description="A numbered, immutable version of a model, produced by a run.")
class ModelVersion(_Base, Node):
    model_name = required_text("model_name", "Model name.")
    version = integer("version", "Version number (1, 2, ... per model).")
    status = state("status", VersionState, "Whether the version may still be used.")

    @strawberry.field(description="Artifact reference (digest immutable).")
    def artifact(self) -> ArtifactRef:
        g = self._e.get
        return ArtifactRef(
            uri=g("artifact_uri"),
            digest=str(g("artifact_digest")),
            size=g("artifact_size"),
            format=g("artifact_format"),
        )

    @strawberry.field(description="The files of its artifact when that is a directory (format `directory`), by path.")
    async def artifact_files(self, info: Info) -> list[ArtifactFile]:
        found = await artifact_files_loader(info).load(self._e.id)
        return [ArtifactFile(path=f["path"], digest=f["digest"], size=f["size"]) for f in found]

    signature = text("signature", "Input signature / schema.")

    @strawberry.field(description="Feature importance, highest first.")
    def feature_importance(self) -> list[FeatureImportance]:
        items = sorted(self._e.feature_importance.items(), key=lambda kv: -kv[1])
        return [FeatureImportance(feature=k, score=v) for k, v in items]

    notes = text("notes", "Free-text notes.")
    revision = revision("Metadata revision.")
    created_at = timestamp("created_at", "Registered (UTC).")

    @strawberry.field(description="The run that produced it (immutable).")
    async def run(self, info: Info) -> Run | None:
        e = await node_loader(info).load(self._e.get("run_id"))
        return Run(e) if e else None

    @strawberry.field(description="The model.")
    async def model(self, info: Info) -> Model | None:
        e = await node_loader(info).load(self._e.get("model_id"))
        return Model(e) if e else None

    @strawberry.field(description="Aliases pointing at this version now.")
    async def aliases(self, info: Info) -> list[str]:
        pointers = await aliases_loader(info).load(str(self._e.get("model_id")))
        return [p.alias for p in pointers if p.version_id == self._e.id]

    custom = custom()

    @strawberry.field(description="Its evaluations, newest first; superseded ones only when asked.")
    async def evaluations(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        slice: str | None = None,
        include_superseded: bool = False,
    ) -> Connection[Evaluation]:
        limit = page_size(first)
        services = info.context.services
        reader = services.repos.history
        found = await reader.evaluations_of(self._e.id, time_key(after), slice, include_superseded, limit + 1)
        total = await reader.count_evaluations(self._e.id, slice, include_superseded) if asks_for_total(info) else None
        rows = [(time_cursor_key(e.get("evaluated_at"), e.id), Evaluation(e)) for e in found]
        return connection(rows, limit, total=total)

    @strawberry.field(description="What the continuous validator found: open findings, or all with their history.")
    async def findings(self, info: Info, include_resolved: bool = False) -> list[ValidationFinding]:
        return await findings_of(info, self._e.id, include_resolved)

    @strawberry.field(description="Where this version serves now, the latest health there, and its flags.")
    async def live_status(self, info: Info) -> Annotated[VersionStatus, strawberry.lazy("app.graphql.history")]:
        from app.graphql.history import version_status_of

        return await version_status_of(info, self._e.id)

    @strawberry.field(description="History of notes/signature changes.")
    async def revisions(self, info: Info) -> list[RevisionRecord]:
        return [RevisionRecord.of(r) for r in await revisions_loader(info).load(self._e.id)]

    @strawberry.field(
        description="Notes attached to this version itself, oldest first (notes on its evaluations are on "
        "performanceHistory points)."
    )
    async def annotations(self, info: Info) -> list[Annotated[Annotation, strawberry.lazy("app.graphql.annotations")]]:
        from app.graphql.annotations import annotations_of

        return await annotations_of(info, self._e.id)


@strawberry.type(description="An edge in a page of results.")
class ModelVersionEdge:
    cursor: str = strawberry.field(description="Opaque cursor.")
    node: ModelVersion = strawberry.field(description="The version.")


@strawberry.type(description="A page of model versions, newest first.")
class ModelVersionConnection:
    edges: list[ModelVersionEdge] = strawberry.field(description="Items.")
    page_info: PageInfo = strawberry.field(description="Paging.")
    total_count: int = strawberry.field(description="Versions ever registered for the model.")


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(f"v:{value}".encode()).decode()


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        return int(text.removeprefix("v:"))
    except Exception:
        from app.errors import ValidationFailed

        raise ValidationFailed("after: not a cursor returned by this API", field="after") from None


@node_type(description="A registered model: metadata, owners, versions and aliases.")
class Model(_Base, Node):
    name = required_text("name", "Unique name.")
    description = text("description", "Free text.")
    owners = strings("owners", "Owning principals.")
    owner_teams = strings("owner_teams", "Owning teams.")
    domain = text("domain", "Business domain.")
    task = text("task", "ML task.")
    tags = strings("tags", "Tags.")
    licence = text("licence", "Licence (SPDX id or internal).")
    regulatory = strings("regulatory", "Regulatory constraints (controlled values).")
    intended_use = sensitive("Model", "intended_use", "Intended use.")
    revision = revision("Metadata revision (pass as expectedRevision).")
    created_at = timestamp("created_at", "Created (UTC).")
    custom = custom()

    @strawberry.field(description="Versions, newest first (cursor pagination, at most 100 per page).")
    async def versions(self, info: Info, first: int = 20, after: str | None = None) -> ModelVersionConnection:
        limit = page_size(first)
        found = await versions_loader(info, decode_cursor(after), limit + 1).load(self._e.id)
        page = found[:limit]
        edges = [ModelVersionEdge(cursor=encode_cursor(int(e.get("version"))), node=ModelVersion(e)) for e in page]
        return ModelVersionConnection(
            edges=edges,
            total_count=int(self._e.get("seq") or 0),
            page_info=PageInfo(has_next_page=len(found) > limit, end_cursor=edges[-1].cursor if edges else None),
        )

    @strawberry.field(description="Current aliases.")
    async def aliases(self, info: Info) -> list[AliasState]:
        return [AliasState.of(p) for p in await aliases_loader(info).load(self._e.id)]

    @strawberry.field(description="Its deployments, by name (retired ones included).")
    async def deployments(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Annotated[DeploymentConnection, strawberry.lazy("app.graphql.history")]:
        from app.graphql.history import deployments_page

        return await deployments_page(info, self._e.id, first, after)

    @strawberry.field(description="Every alias move, newest first (optionally for one alias).")
    async def alias_history(self, info: Info, alias: str | None = None) -> list[AliasState]:
        return [AliasState.of(p) for p in await core_reader(info).alias_history(self._e.id, alias)]

    @strawberry.field(description="Which version an alias pointed to at a time.")
    async def alias_at(self, info: Info, alias: str, at: datetime) -> AliasState | None:
        p = await core_reader(info).alias_at(self._e.id, alias, v.aware("at", at))
        return AliasState.of(p) if p else None

    @strawberry.field(description="Metadata revisions, newest first.")
    async def revisions(self, info: Info) -> list[RevisionRecord]:
        return [RevisionRecord.of(r) for r in await revisions_loader(info).load(self._e.id)]


TYPE_BY_KIND: dict[str, Any] = {
    "Evaluation": Evaluation,
    "Project": Project,
    "Experiment": Experiment,
    "DatasetVersion": DatasetVersion,
    "Feature": Feature,
    "Run": Run,
    "ModelVersion": ModelVersion,
    "Model": Model,
}


def wrap(e: Entity | None) -> Any:
    """Entity -> its GraphQL type (None when the kind has no type here)."""
    if e is None:
        return None
    cls = TYPE_BY_KIND.get(e.kind)
    return cls(e) if cls else None
