"""GraphQL types of the provenance core. Each shows a typed record of app/graph/*_records.py: plain fields
are the record's attributes of the same name; the rest resolve relations and classified values."""

from __future__ import annotations

import base64
import typing
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from strawberry.scalars import JSON
from strawberry.types.field import StrawberryField

from app.domain import validation as v
from app.domain.classification import FIELD_CLASSES
from app.domain.entities import AliasPointer, Revision
from app.graph import dataset_records as data_rec
from app.graph import model_records as model_rec
from app.graph import records as rec
from app.graph import run_records as run_rec
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
from app.graphql.disclosure import NOBODY, Owned, gate
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

R = TypeVar("R")


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


def plain(graphql_type: Any, description: str) -> Any:
    """A field answered as the record's attribute of the same name (node_type checks that it has one,
    of this type)."""
    return strawberry.field(graphql_type=graphql_type, description=description)


def node_type(record: type[Any], description: str) -> Any:
    """strawberry.type for the type showing `record`; its constructor calls `show`. Fails at import when
    a plain field has no record attribute of its name and type."""

    def wrap(cls: Any) -> Any:
        hints = typing.get_type_hints(record)
        cls.plain_fields = tuple(
            n for n, f in vars(cls).items() if isinstance(f, StrawberryField) and f.base_resolver is None
        )
        for name in cls.plain_fields:
            declared = vars(cls)[name].type_annotation.annotation
            if hints.get(name) not in (declared, Any):
                shown = declared.__name__ if isinstance(declared, type) else repr(declared)
                raise TypeError(f"{cls.__name__}.{name}: {record.__name__} has no attribute {name} of type {shown}")
        return strawberry.type(cls, description=description)

    return wrap


def show(node: Any, r: rec.Record) -> None:
    """Set up a type of node_type from its record: the id, the record, and the plain fields."""
    node._r = r
    node.id = strawberry.ID(r.id)
    for name in node.plain_fields:
        setattr(node, name, getattr(r, name))


CUSTOM = "Typed custom properties (a classified one is redacted unless policy discloses it)."


def classified(kind: str, prop: str, description: str) -> str:
    return f"{description} Classified {FIELD_CLASSES[(kind, prop)]}: redacted unless policy discloses it."


async def disclosed(info: Info, r: rec.Record, prop: str, value: str | None) -> str | None:
    """A field classified in FIELD_CLASSES, read through the disclosure gate."""
    shown = await gate(info).value(r.id, prop, FIELD_CLASSES[(r.kind, prop)], value, await _owned(info, r))
    return None if shown is None else str(shown)


async def _owned(info: Info, r: rec.Record) -> Owned:
    """What holds the owners of `r`: itself, or the model of a version."""
    if isinstance(r, model_rec.ModelVersion):
        model = await node_loader(info).load(r.model_id) if r.model_id else None
        return model if isinstance(model, model_rec.Model) else NOBODY
    return r if isinstance(r, model_rec.Model | run_rec.Project) else NOBODY


async def custom_of(
    info: Info, r: run_rec.Project | run_rec.Experiment | run_rec.Run | model_rec.ModelVersion | model_rec.Model
) -> list[CustomProperty]:
    """Custom properties, a classified one read through the disclosure gate."""
    values, classes = r.custom.values, r.custom.classes
    if not classes:
        return [CustomProperty(name=k, value=v) for k, v in sorted(values.items())]
    owned = await _owned(info, r)
    out = []
    for name, value in sorted(values.items()):
        cls = classes.get(name, "public")
        shown = await gate(info).value(r.id, f"custom.{name}", cls, value, owned)
        out.append(CustomProperty(name=name, value=shown, classification=cls))
    return out


async def _load(info: Info, node_id: str | None, kind: type[R]) -> R | None:
    """The record of a related node when it is of `kind` (batched per request)."""
    found = await node_loader(info).load(node_id) if node_id else None
    return found if isinstance(found, kind) else None


@node_type(run_rec.Project, description="A team's space for experiments, features and models.")
class Project(Node):
    _r: strawberry.Private[run_rec.Project]

    def __init__(self, r: run_rec.Project) -> None:
        show(self, r)

    name = plain(str, "Unique name.")
    description = plain(str | None, "Free text.")
    owners = plain(list[str], "Owning principals.")
    revision = plain(int, "Metadata revision (pass it as expectedRevision when updating).")

    @strawberry.field(description=CUSTOM)
    async def custom(self, info: Info) -> list[CustomProperty]:
        return await custom_of(info, self._r)

    created_at = plain(datetime | None, "Created (UTC).")

    @strawberry.field(description="Its models, by name.")
    async def models(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Model]:
        limit = page_size(first)
        found = await core_reader(info).models_in_project(self._r.id, decode(after), limit + 1)
        total = await core_reader(info).count_in_project("Model", self._r.id) if asks_for_total(info) else None
        return connection([(r.name, Model(r)) for r in found], limit, total)

    @strawberry.field(description="Its experiments, by name.")
    async def experiments(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Experiment]:
        limit = page_size(first)
        found = await core_reader(info).experiments_in_project(self._r.id, decode(after), limit + 1)
        total = await core_reader(info).count_in_project("Experiment", self._r.id) if asks_for_total(info) else None
        return connection([(r.name, Experiment(r)) for r in found], limit, total)


@node_type(run_rec.Experiment, description="A group of runs in a project.")
class Experiment(Node):
    _r: strawberry.Private[run_rec.Experiment]

    def __init__(self, r: run_rec.Experiment) -> None:
        show(self, r)

    name = plain(str, "Name, unique in its project.")
    description = plain(str | None, "Narrative of the experiment.")
    revision = plain(int, "Metadata revision.")

    @strawberry.field(description="Its runs, newest first.")
    async def runs(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Run]:
        limit = page_size(first)
        found = await core_reader(info).runs_of(self._r.id, time_key(after), limit + 1)
        total = await core_reader(info).count_runs_of(self._r.id) if asks_for_total(info) else None
        return connection([(time_cursor_key(r.started_at, r.id), Run(r)) for r in found], limit, total)

    @strawberry.field(description="The project it belongs to.")
    async def project(self, info: Info) -> Project | None:
        found = await _load(info, self._r.project_id, run_rec.Project)
        return Project(found) if found else None

    @strawberry.field(description=CUSTOM)
    async def custom(self, info: Info) -> list[CustomProperty]:
        return await custom_of(info, self._r)


@strawberry.type(description="Usage rights recorded for a dataset version.")
class UsageRights:
    training_allowed: bool | None = strawberry.field(description="May be used to train models.")
    commercial_use: bool | None = strawberry.field(description="May be used in commercial products.")
    contains_personal_data: bool | None = strawberry.field(description="Contains personal data.")


@node_type(data_rec.DatasetVersion, description="An immutable snapshot of a dataset.")
class DatasetVersion(Node):
    _r: strawberry.Private[data_rec.DatasetVersion]

    def __init__(self, r: data_rec.DatasetVersion) -> None:
        show(self, r)

    dataset = plain(str, "Dataset name.")
    version = plain(int, "Version number within the dataset.")

    @strawberry.field(
        description=classified(
            "DatasetVersion", "source_uri", "Where the data came from (recorded, never used as a storage location)."
        )
    )
    async def source_uri(self, info: Info) -> str | None:
        return await disclosed(info, self._r, "source_uri", self._r.source_uri)

    digest = plain(str | None, "Content digest (sha256:...).")
    row_count = plain(int | None, "Number of rows.")

    @strawberry.field(description=classified("DatasetVersion", "schema", "Schema description (JSON or text)."))
    async def schema(self, info: Info) -> str | None:
        return await disclosed(info, self._r, "schema", self._r.schema)

    data_domain = plain(str | None, "Data domain.")

    @strawberry.field(description="What the continuous validator found (e.g. the source is gone).")
    async def findings(self, info: Info, include_resolved: bool = False) -> list[ValidationFinding]:
        return await findings_of(info, self._r.id, include_resolved)

    @strawberry.field(description="Usage rights.")
    def usage_rights(self) -> UsageRights:
        r = self._r
        return UsageRights(
            training_allowed=r.training_allowed,
            commercial_use=r.commercial_use,
            contains_personal_data=r.contains_personal_data,
        )

    preprocessing = plain(list[str], "Preprocessing steps, in order.")
    description = plain(str | None, "Free text.")
    created_at = plain(datetime | None, "Registered (UTC).")
    source_namespace = plain(
        str | None, "OpenLineage namespace of its source (scheme://authority), when it was named by one."
    )
    source_name = plain(str | None, "OpenLineage name of its source within the namespace.")
    data_source_name = plain(str | None, "Data source name (OpenLineage dataSource facet).")
    data_source_uri = plain(str | None, "Data source URI (OpenLineage dataSource facet).")
    source_owners = plain(list[str], "Owners named by the OpenLineage ownership facet.")
    facets = plain(JSON | None, "OpenLineage dataset facets as reported, unknown ones included.")
    merged_from = plain(str | None, "The dataset this version was first recorded under, before it was merged.")

    @strawberry.field(description="The run that wrote this version (an OpenLineage output).")
    async def produced_by(self, info: Info) -> Run | None:
        found = await producer_loader(info).load(self._r.id)
        return Run(found) if found else None


@node_type(data_rec.Feature, description="A feature computed from a dataset version.")
class Feature(Node):
    _r: strawberry.Private[data_rec.Feature]

    def __init__(self, r: data_rec.Feature) -> None:
        show(self, r)

    name = plain(str, "Name, unique in its project.")
    dtype = plain(str, "Data type.")
    definition = plain(str | None, "Definition / transformation.")

    @strawberry.field(description="The dataset version it is computed from.")
    async def source(self, info: Info) -> DatasetVersion | None:
        found = await _load(info, self._r.source_dataset_version_id, data_rec.DatasetVersion)
        return DatasetVersion(found) if found else None


@strawberry.type(description="Software and hardware a run used.")
class RunEnvironment:
    framework: str | None = strawberry.field(description="e.g. scikit-learn.")
    framework_version: str | None = strawberry.field(description="Framework version.")
    hardware: str | None = strawberry.field(description="e.g. 1x A100.")
    container_image: str | None = strawberry.field(description="Image reference.")
    python_version: str | None = strawberry.field(description="Python version.")


@node_type(run_rec.Run, description="A training or processing run; its inputs are fixed once finished.")
class Run(Node):
    _r: strawberry.Private[run_rec.Run]

    def __init__(self, r: run_rec.Run) -> None:
        show(self, r)

    name = plain(str | None, "Optional display name.")

    @strawberry.field(description="Where the run stands.")
    def status(self) -> RunStatus:
        return RunStatus(self._r.status)

    @strawberry.field(description="Parameters.")
    def params(self) -> JSON:
        return JSON(self._r.params)

    @strawberry.field(description="Final metrics.")
    def metrics(self) -> list[MetricValue]:
        return _metrics(self._r.metrics)

    started_at = plain(datetime | None, "Start (UTC).")
    ended_at = plain(datetime | None, "End (UTC).")
    duration_seconds = plain(float | None, "Training duration in seconds.")
    code_version = plain(str | None, "Code version (e.g. git commit).")
    external_id = plain(str | None, "Id of this run in the system that produced it (e.g. an OpenLineage runId).")
    notes = plain(str | None, "Free-text notes / narrative.")
    revision = plain(int, "Metadata revision.")

    @strawberry.field(description="Environment.")
    def environment(self) -> RunEnvironment:
        r = self._r
        return RunEnvironment(
            framework=r.framework,
            framework_version=r.framework_version,
            hardware=r.hardware,
            container_image=r.container_image,
            python_version=r.python_version,
        )

    @strawberry.field(description="Dataset versions and features it used.")
    async def inputs(self, info: Info) -> list[Annotated[DatasetVersion | Feature, strawberry.union("RunInput")]]:
        found = await run_inputs_loader(info).load(self._r.id)
        return [DatasetVersion(r) if isinstance(r, data_rec.DatasetVersion) else Feature(r) for r in found]

    @strawberry.field(description="The experiment.")
    async def experiment(self, info: Info) -> Experiment | None:
        found = await _load(info, self._r.experiment_id, run_rec.Experiment)
        return Experiment(found) if found else None

    @strawberry.field(description="Dataset versions it produced (its OpenLineage outputs).")
    async def outputs(self, info: Info) -> list[DatasetVersion]:
        return [DatasetVersion(r) for r in await run_outputs_loader(info).load(self._r.id)]

    facets = plain(JSON | None, "OpenLineage run facets of its first event, unknown ones included.")
    end_facets = plain(JSON | None, "OpenLineage run facets of the event that finished it.")
    job_facets = plain(JSON | None, "OpenLineage job facets (documentation, ownership, sourceCode, ...).")
    producer = plain(str | None, "The OpenLineage producer that reported it.")
    job_owners = plain(list[str], "Owners named by the job's OpenLineage ownership facet.")
    parent_run_external_id = plain(str | None, "OpenLineage runId of its parent run (parent facet).")
    parent_job_namespace = plain(str | None, "Job namespace of its parent run (parent facet).")
    parent_job_name = plain(str | None, "Job name of its parent run (parent facet).")

    @strawberry.field(description="Its parent run, when the parent was reported too (parent facet).")
    async def parent_run(self, info: Info) -> Run | None:
        parent = self._r.parent_run_external_id
        found = await core_reader(info).run_by_external_id(parent) if parent else None
        return Run(found) if found else None

    @strawberry.field(description=CUSTOM)
    async def custom(self, info: Info) -> list[CustomProperty]:
        return await custom_of(info, self._r)


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


@node_type(
    model_rec.Evaluation,
    description="An immutable evaluation of a model version on a dataset snapshot and slice.",
)
class Evaluation(Node):
    _r: strawberry.Private[model_rec.Evaluation]

    def __init__(self, r: model_rec.Evaluation) -> None:
        show(self, r)

    version = plain(int, "Version number evaluated.")
    slice = plain(str | None, "Slice, e.g. region=EU (null: the whole dataset).")
    method = plain(str | None, "Scoring method / metric definitions.")
    code_version = plain(str | None, "Evaluation code version.")
    evaluator = plain(str | None, "Who evaluated.")
    evaluated_at = plain(datetime | None, "When it was evaluated (UTC).")
    reports = plain(list[str], "Report artifact ids.")
    notes = plain(str | None, "Free text.")
    created_at = plain(datetime | None, "Recorded (UTC).")
    created_by = plain(str | None, "Who recorded it.")

    @strawberry.field(description="Metric values.")
    def metrics(self) -> list[MetricValue]:
        return _metrics(self._r.metrics)

    @strawberry.field(description="Metric -> [low, high] confidence intervals.")
    def confidence(self) -> JSON:
        return JSON(self._r.confidence)

    @strawberry.field(description="The dataset snapshot evaluated on.")
    def dataset_version_id(self) -> strawberry.ID | None:
        found = self._r.dataset_version_id
        return strawberry.ID(found) if found else None

    @strawberry.field(description="The evaluation this one corrects.")
    def supersedes_id(self) -> strawberry.ID | None:
        found = self._r.supersedes_id
        return strawberry.ID(found) if found else None

    @strawberry.field(description="The dataset snapshot evaluated on.")
    async def dataset_version(self, info: Info) -> DatasetVersion | None:
        found = await _load(info, self._r.dataset_version_id, data_rec.DatasetVersion)
        return DatasetVersion(found) if found else None


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


@node_type(model_rec.ModelVersion, description="A numbered, immutable version of a model, produced by a run.")
class ModelVersion(Node):
    _r: strawberry.Private[model_rec.ModelVersion]

    def __init__(self, r: model_rec.ModelVersion) -> None:
        show(self, r)

    model_name = plain(str, "Model name.")
    version = plain(int, "Version number (1, 2, ... per model).")

    @strawberry.field(description="Whether the version may still be used.")
    def status(self) -> VersionState:
        return VersionState(self._r.status)

    @strawberry.field(description="Artifact reference (digest immutable).")
    def artifact(self) -> ArtifactRef:
        a = self._r.artifact
        return ArtifactRef(uri=a.uri, digest=a.digest, size=a.size, format=a.format)

    @strawberry.field(description="The files of its artifact when that is a directory (format `directory`), by path.")
    async def artifact_files(self, info: Info) -> list[ArtifactFile]:
        found = await artifact_files_loader(info).load(self._r.id)
        return [ArtifactFile(path=f["path"], digest=f["digest"], size=f["size"]) for f in found]

    signature = plain(str | None, "Input signature / schema.")

    @strawberry.field(description="Feature importance, highest first.")
    def feature_importance(self) -> list[FeatureImportance]:
        items = sorted(self._r.feature_importance.items(), key=lambda kv: -kv[1])
        return [FeatureImportance(feature=k, score=v) for k, v in items]

    notes = plain(str | None, "Free-text notes.")
    revision = plain(int, "Metadata revision.")
    created_at = plain(datetime | None, "Registered (UTC).")

    @strawberry.field(description="The run that produced it (immutable).")
    async def run(self, info: Info) -> Run | None:
        found = await _load(info, self._r.run_id, run_rec.Run)
        return Run(found) if found else None

    @strawberry.field(description="The model.")
    async def model(self, info: Info) -> Model | None:
        found = await _load(info, self._r.model_id, model_rec.Model)
        return Model(found) if found else None

    @strawberry.field(description="Aliases pointing at this version now.")
    async def aliases(self, info: Info) -> list[str]:
        pointers = await aliases_loader(info).load(str(self._r.model_id))
        return [p.alias for p in pointers if p.version_id == self._r.id]

    @strawberry.field(description=CUSTOM)
    async def custom(self, info: Info) -> list[CustomProperty]:
        return await custom_of(info, self._r)

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
        found = await reader.evaluations_of(self._r.id, time_key(after), slice, include_superseded, limit + 1)
        total = await reader.count_evaluations(self._r.id, slice, include_superseded) if asks_for_total(info) else None
        rows = [(time_cursor_key(r.evaluated_at, r.id), Evaluation(r)) for r in found]
        return connection(rows, limit, total=total)

    @strawberry.field(description="What the continuous validator found: open findings, or all with their history.")
    async def findings(self, info: Info, include_resolved: bool = False) -> list[ValidationFinding]:
        return await findings_of(info, self._r.id, include_resolved)

    @strawberry.field(description="Where this version serves now, the latest health there, and its flags.")
    async def live_status(self, info: Info) -> Annotated[VersionStatus, strawberry.lazy("app.graphql.history")]:
        from app.graphql.history import version_status_of

        return await version_status_of(info, self._r.id)

    @strawberry.field(description="History of notes/signature changes.")
    async def revisions(self, info: Info) -> list[RevisionRecord]:
        return [RevisionRecord.of(r) for r in await revisions_loader(info).load(self._r.id)]

    @strawberry.field(
        description="Notes attached to this version itself, oldest first (notes on its evaluations are on "
        "performanceHistory points)."
    )
    async def annotations(self, info: Info) -> list[Annotated[Annotation, strawberry.lazy("app.graphql.annotations")]]:
        from app.graphql.annotations import annotations_of

        return await annotations_of(info, self._r.id)


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


@node_type(model_rec.Model, description="A registered model: metadata, owners, versions and aliases.")
class Model(Node):
    _r: strawberry.Private[model_rec.Model]

    def __init__(self, r: model_rec.Model) -> None:
        show(self, r)

    name = plain(str, "Unique name.")
    description = plain(str | None, "Free text.")
    owners = plain(list[str], "Owning principals.")
    owner_teams = plain(list[str], "Owning teams.")
    domain = plain(str | None, "Business domain.")
    task = plain(str | None, "ML task.")
    tags = plain(list[str], "Tags.")
    licence = plain(str | None, "Licence (SPDX id or internal).")
    regulatory = plain(list[str], "Regulatory constraints (controlled values).")

    @strawberry.field(description=classified("Model", "intended_use", "Intended use."))
    async def intended_use(self, info: Info) -> str | None:
        return await disclosed(info, self._r, "intended_use", self._r.intended_use)

    revision = plain(int, "Metadata revision (pass as expectedRevision).")
    created_at = plain(datetime | None, "Created (UTC).")

    @strawberry.field(description=CUSTOM)
    async def custom(self, info: Info) -> list[CustomProperty]:
        return await custom_of(info, self._r)

    @strawberry.field(description="Versions, newest first (cursor pagination, at most 100 per page).")
    async def versions(self, info: Info, first: int = 20, after: str | None = None) -> ModelVersionConnection:
        limit = page_size(first)
        found = await versions_loader(info, decode_cursor(after), limit + 1).load(self._r.id)
        page = found[:limit]
        edges = [ModelVersionEdge(cursor=encode_cursor(r.version), node=ModelVersion(r)) for r in page]
        return ModelVersionConnection(
            edges=edges,
            total_count=self._r.version_count,
            page_info=PageInfo(has_next_page=len(found) > limit, end_cursor=edges[-1].cursor if edges else None),
        )

    @strawberry.field(description="Current aliases.")
    async def aliases(self, info: Info) -> list[AliasState]:
        return [AliasState.of(p) for p in await aliases_loader(info).load(self._r.id)]

    @strawberry.field(description="Its deployments, by name (retired ones included).")
    async def deployments(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Annotated[DeploymentConnection, strawberry.lazy("app.graphql.history")]:
        from app.graphql.history import deployments_page

        return await deployments_page(info, self._r.id, first, after)

    @strawberry.field(description="Every alias move, newest first (optionally for one alias).")
    async def alias_history(self, info: Info, alias: str | None = None) -> list[AliasState]:
        return [AliasState.of(p) for p in await core_reader(info).alias_history(self._r.id, alias)]

    @strawberry.field(description="Which version an alias pointed to at a time.")
    async def alias_at(self, info: Info, alias: str, at: datetime) -> AliasState | None:
        p = await core_reader(info).alias_at(self._r.id, alias, v.aware("at", at))
        return AliasState.of(p) if p else None

    @strawberry.field(description="Metadata revisions, newest first.")
    async def revisions(self, info: Info) -> list[RevisionRecord]:
        return [RevisionRecord.of(r) for r in await revisions_loader(info).load(self._r.id)]


TYPE_BY_RECORD: dict[type[Any], Any] = {
    model_rec.Evaluation: Evaluation,
    run_rec.Project: Project,
    run_rec.Experiment: Experiment,
    data_rec.DatasetVersion: DatasetVersion,
    data_rec.Feature: Feature,
    run_rec.Run: Run,
    model_rec.ModelVersion: ModelVersion,
    model_rec.Model: Model,
}


def wrap(r: rec.Record | None) -> Any:
    """A record -> its GraphQL type."""
    return None if r is None else TYPE_BY_RECORD[type(r)](r)
