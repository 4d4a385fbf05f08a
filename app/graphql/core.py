"""Queries and mutations of the provenance core."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from app.domain.classification import FIELD_CLASSES
from app.domain.entities import Entity, Subgraph
from app.errors import NotFound, ValidationFailed
from app.graph import dataset_records as data_rec
from app.graph import model_records as model_rec
from app.graph import records as rec
from app.graph import run_records as run_rec
from app.graph.ids import label_of
from app.graph.lineage import KEY_FIELDS, LineageRequest, lineage
from app.graphql import core_inputs as i
from app.graphql.connection import Connection, asks_for_total, connection, decode, page_size
from app.graphql.context import Info
from app.graphql.disclosure import gate
from app.graphql.enums import LineageEdgeType, LineageNodeKind
from app.graphql.loaders import core_reader, node_loader
from app.graphql.payloads import payload_union, run_command
from app.graphql.types.core import (
    DatasetVersion,
    Experiment,
    Feature,
    Model,
    ModelVersion,
    Node,
    Project,
    Run,
    wrap,
)
from app.registry.commands import core as core_cmd
from app.registry.commands.base import Command
from app.registry.plan import Outcome


@strawberry.type(description="A node in a lineage subgraph.")
class LineageNode:
    id: strawberry.ID = strawberry.field(description="Node id.")
    kind: LineageNodeKind = strawberry.field(description="What kind of node it is.")
    label: str = strawberry.field(description="Human-readable key (name, name:version, ...).")
    properties: JSON = strawberry.field(description="Key fields of the node.")


@strawberry.type(description="An edge in a lineage subgraph (from the later thing to what it came from).")
class LineageEdge:
    source: strawberry.ID = strawberry.field(description="From node id.")
    target: strawberry.ID = strawberry.field(description="To node id.")
    type: LineageEdgeType = strawberry.field(description="Relationship type, e.g. TRAINED_BY.")
    properties: JSON = strawberry.field(description="Edge properties (since, until, step, ...).")


@strawberry.type(description="A bounded provenance subgraph.")
class LineageGraph:
    nodes: list[LineageNode] = strawberry.field(description="Nodes.")
    edges: list[LineageEdge] = strawberry.field(description="Edges.")
    truncated: bool = strawberry.field(description="True when the node cap cut the traversal short.")


def node_label(kind: str, props: dict[str, Any]) -> str:
    if kind == "ModelVersion":
        return f"{props.get('model_name')} v{props.get('version')}"
    if kind == "DatasetVersion":
        return f"{props.get('dataset_name')} v{props.get('version')}"
    return str(props.get("name") or props.get("id"))


async def to_graph(info: Info, sub: Subgraph) -> LineageGraph:
    def plain(v: Any) -> Any:
        return v.isoformat() if isinstance(v, datetime) else v

    async def properties(kind: str, props: dict[str, Any]) -> dict[str, Any]:
        """Key fields; a classified one goes through the same disclosure gate as its GraphQL field."""
        out = {}
        for k in KEY_FIELDS:
            if k not in props:
                continue
            classification = FIELD_CLASSES.get((kind, k))
            value = plain(props[k])
            if classification is not None:
                value = await gate(info).value(str(props["id"]), k, classification, value, Entity.of(kind, props))
            out[k] = value
        return out

    nodes = [
        LineageNode(
            id=strawberry.ID(n.id),
            kind=LineageNodeKind(n.kind),
            label=node_label(n.kind, n.props),
            properties=JSON(await properties(n.kind, n.props)),
        )
        for n in sub.nodes
    ]
    edges = [
        LineageEdge(
            source=strawberry.ID(e.source),
            target=strawberry.ID(e.target),
            type=LineageEdgeType(e.type),
            properties=JSON({k: plain(v) for k, v in e.props.items()}),
        )
        for e in sub.edges
    ]
    return LineageGraph(nodes=nodes, edges=edges, truncated=sub.truncated)


def lineage_request(inp: i.LineageInput) -> LineageRequest:
    kinds = frozenset(str(k.value) for k in inp.kinds) if inp.kinds else None
    directions = ("UPSTREAM", "DOWNSTREAM") if inp.direction == i.LineageDirection.BOTH else (inp.direction.value,)
    if inp.as_of is not None and inp.as_of.tzinfo is None:
        raise ValidationFailed("asOf: must include a timezone", field="asOf")
    return LineageRequest(
        start=str(inp.start),
        directions=directions,
        max_hops=inp.max_hops,
        kinds=kinds,
        as_of=inp.as_of,
        max_nodes=inp.max_nodes,
    )


@strawberry.type
class CoreQuery:
    @strawberry.field(
        description="Any node by id; a run also by the id another system gave it (e.g. an OpenLineage runId)."
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        found = await node_loader(info).load(str(id))
        if found is None and label_of(str(id)) is None:
            found = await core_reader(info).run_by_external_id(str(id))
        return wrap(found)  # type: ignore[no-any-return]

    @strawberry.field(description="A model by name.")
    async def model(self, info: Info, name: str) -> Model | None:
        found = await core_reader(info).model_by_name(name)
        return Model(found) if found else None

    @strawberry.field(description="Models by name (cursor = last name seen; at most 100).")
    async def models(self, info: Info, first: int = 20, after: str | None = None) -> Connection[Model]:
        limit = page_size(first)
        reader = core_reader(info)
        found = await reader.models(decode(after), limit + 1)
        total = await reader.count_models() if asks_for_total(info) else None
        return connection([(r.name, Model(r)) for r in found], limit, total)

    @strawberry.field(description="A model version by model name and either number or alias.")
    async def model_version(
        self, info: Info, model: str, version: int | None = None, alias: str | None = None
    ) -> ModelVersion | None:
        if version is None and alias is None:
            return None
        found = await core_reader(info).version_by_ref(model, version, alias)
        return ModelVersion(found) if found else None

    @strawberry.field(description="A run by id, or by the id another system gave it (e.g. an OpenLineage runId).")
    async def run(self, info: Info, id: strawberry.ID | None = None, external_id: str | None = None) -> Run | None:
        if (id is None) == (external_id is None):
            raise ValidationFailed("run: give exactly one of id and externalId", field="externalId")
        if id is not None:
            found = await node_loader(info).load(str(id))
        else:
            found = await core_reader(info).run_by_external_id(str(external_id))
        return Run(found) if isinstance(found, run_rec.Run) else None

    @strawberry.field(
        description="A dataset version by id; by dataset name and number (without a number: the dataset's "
        "newest version); or the newest version registered with exactly this source URI."
    )
    async def dataset_version(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        dataset: str | None = None,
        version: int | None = None,
        source_uri: str | None = None,
    ) -> DatasetVersion | None:
        reader = core_reader(info)
        found: rec.Record | None
        if id is not None:
            found = await node_loader(info).load(str(id))
        elif source_uri is not None:
            found = await reader.latest_dataset_version(source_uri)
        elif dataset is not None:
            found = await (
                reader.dataset_version(dataset, version)
                if version is not None
                else reader.latest_version_of_dataset(dataset)
            )
        else:
            return None
        return DatasetVersion(found) if isinstance(found, data_rec.DatasetVersion) else None

    @strawberry.field(description="A feature by id.")
    async def feature(self, info: Info, id: strawberry.ID) -> Feature | None:
        found = await node_loader(info).load(str(id))
        return Feature(found) if isinstance(found, data_rec.Feature) else None

    @strawberry.field(description="A project by id.")
    async def project(self, info: Info, id: strawberry.ID) -> Project | None:
        found = await node_loader(info).load(str(id))
        return Project(found) if isinstance(found, run_rec.Project) else None

    @strawberry.field(description="An experiment by id.")
    async def experiment(self, info: Info, id: strawberry.ID) -> Experiment | None:
        found = await node_loader(info).load(str(id))
        return Experiment(found) if isinstance(found, run_rec.Experiment) else None

    @strawberry.field(description="Bounded provenance subgraph around a node; says when it was truncated.")
    async def lineage(self, info: Info, input: i.LineageInput) -> LineageGraph:
        services = info.context.services
        return await to_graph(
            info, await lineage(services.driver, services.settings.neo4j_database, lineage_request(input))
        )

    @strawberry.field(description="Every model version (and deployment) downstream of a dataset version.")
    async def impact(self, info: Info, dataset_version: strawberry.ID) -> LineageGraph:
        services = info.context.services
        req = LineageRequest(
            start=str(dataset_version),
            directions=("DOWNSTREAM",),
            max_hops=10,
            kinds=frozenset({"ModelVersion", "Deployment"}),
            as_of=None,
            max_nodes=2000,
        )
        if not str(dataset_version).startswith("dsv_"):
            raise NotFound("datasetVersion: not a dataset version id", field="datasetVersion")
        return await to_graph(info, await lineage(services.driver, services.settings.neo4j_database, req))

    @strawberry.field(
        description="Model versions trained on a dataset version, on data or features derived from it, "
        "or fine-tuned from such versions: a bounded page plus the total."
    )
    async def impacted_versions(self, info: Info, input: ImpactedVersionsInput) -> ImpactedVersions:
        if not str(input.dataset_version).startswith("dsv_"):
            raise NotFound("datasetVersion: not a dataset version id", field="datasetVersion")
        if not 1 <= input.first <= 100:
            raise ValidationFailed(f"first: must be between 1 and 100 (got {input.first})", field="first")
        page, total = await core_reader(info).impacted_versions(
            str(input.dataset_version), input.after, input.first, IMPACT_COUNT_CAP
        )
        more = len(page) > input.first
        page = page[: input.first]
        return ImpactedVersions(
            versions=[ModelVersion(r) for r in page],
            total=min(total, IMPACT_COUNT_CAP),
            total_is_exact=total <= IMPACT_COUNT_CAP,
            has_next_page=more,
            end_cursor=page[-1].id if more and page else None,
        )


IMPACT_COUNT_CAP = 10_000


@strawberry.input(description="Model versions affected by a dataset version, a page at a time.")
class ImpactedVersionsInput:
    dataset_version: strawberry.ID = strawberry.field(description="The dataset version (dsv_...).")
    first: int = strawberry.field(default=100, description="Page size (1 to 100).")
    after: str | None = strawberry.field(default=None, description="endCursor of the previous page.")


@strawberry.type(description="A page of affected model versions and how many there are in all.")
class ImpactedVersions:
    versions: list[ModelVersion] = strawberry.field(description="This page, ordered by id.")
    total: int = strawberry.field(description="All affected versions (at least this many when not exact).")
    total_is_exact: bool = strawberry.field(description="False when more than 10,000 are affected.")
    has_next_page: bool = strawberry.field(description="More versions after this page.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


def _success(cls_name: str, field_name: str, gql_type: Any, desc: str) -> Any:
    ns: dict[str, Any] = {
        "__annotations__": {field_name: gql_type, "replayed": bool},
    }
    ns[field_name] = strawberry.field(description=desc)
    ns["replayed"] = strawberry.field(
        description="True when an earlier request with this idempotency key was returned."
    )
    return strawberry.type(type(cls_name, (), ns), description=f"{desc} (success).")


ProjectSuccess = _success("ProjectSuccess", "project", Project, "The project")
ExperimentSuccess = _success("ExperimentSuccess", "experiment", Experiment, "The experiment")
DatasetVersionSuccess = _success("DatasetVersionSuccess", "dataset_version", DatasetVersion, "The dataset version")
FeatureSuccess = _success("FeatureSuccess", "feature", Feature, "The feature")
RunSuccess = _success("RunSuccess", "run", Run, "The run")
ModelSuccess = _success("ModelSuccess", "model", Model, "The model")
ModelVersionSuccess = _success("ModelVersionSuccess", "model_version", ModelVersion, "The model version")


@strawberry.type(description="The versions registered by one batch (success).")
class ModelVersionsSuccess:
    model_versions: list[ModelVersion] = strawberry.field(description="The new versions, in request order.")
    replayed: bool = strawberry.field(
        description="True when an earlier request with this idempotency key was returned."
    )


AliasSuccess = _success("AliasSuccess", "model", Model, "The model with its aliases")
NodeSuccess = _success("UpdateSuccess", "node", Node, "The updated node")


def _union(name: str, success: Any) -> Any:
    return payload_union(name, success)


def _entity_success(cls: Any, field_name: str, gql: Any) -> Any:
    async def make(outcome: Outcome, info: Info) -> Any:
        found = await node_loader(info).load(str((outcome.result or {})["id"]))
        if found is None:
            raise NotFound("the written node could not be read back")
        return cls(**{field_name: gql(found), "replayed": outcome.replayed})

    return make


async def _run(info: Info, command: type[Command], inp: Any, cls: Any, field_name: str, gql: Any) -> Any:
    make = _entity_success(cls, field_name, gql)
    return await run_command(info, command, inp, lambda outcome: make(outcome, info))


async def _alias_result(info: Info, command: type[Command], inp: Any) -> Any:
    async def make(outcome: Outcome) -> Any:
        found = await core_reader(info).model_by_name(inp.model)
        return AliasSuccess(model=Model(found), replayed=outcome.replayed) if found else None

    return await run_command(info, command, inp, make)


@strawberry.type
class CoreMutation:
    @strawberry.mutation(description="Create a project.")
    async def create_project(self, info: Info, input: i.CreateProjectInput) -> _union(
        "CreateProjectPayload", ProjectSuccess
    ):
        return await _run(info, core_cmd.CreateProject, input, ProjectSuccess, "project", Project)

    @strawberry.mutation(description="Create an experiment.")
    async def create_experiment(self, info: Info, input: i.CreateExperimentInput) -> _union(
        "CreateExperimentPayload", ExperimentSuccess
    ):
        return await _run(info, core_cmd.CreateExperiment, input, ExperimentSuccess, "experiment", Experiment)

    @strawberry.mutation(description="Register a dataset version (optionally derived from others).")
    async def register_dataset_version(self, info: Info, input: i.RegisterDatasetVersionInput) -> _union(
        "RegisterDatasetVersionPayload", DatasetVersionSuccess
    ):
        return await _run(
            info,
            core_cmd.RegisterDatasetVersion,
            input,
            DatasetVersionSuccess,
            "dataset_version",
            DatasetVersion,
        )

    @strawberry.mutation(description="Register a feature.")
    async def register_feature(self, info: Info, input: i.RegisterFeatureInput) -> _union(
        "RegisterFeaturePayload", FeatureSuccess
    ):
        return await _run(info, core_cmd.RegisterFeature, input, FeatureSuccess, "feature", Feature)

    @strawberry.mutation(description="Start a run (params, inputs, environment).")
    async def start_run(self, info: Info, input: i.StartRunInput) -> _union("StartRunPayload", RunSuccess):
        return await _run(info, core_cmd.StartRun, input, RunSuccess, "run", Run)

    @strawberry.mutation(description="Add inputs to a running run.")
    async def add_run_inputs(self, info: Info, input: i.AddRunInputsInput) -> _union("AddRunInputsPayload", RunSuccess):
        return await _run(info, core_cmd.AddRunInputs, input, RunSuccess, "run", Run)

    @strawberry.mutation(description="Finish a run with final metrics.")
    async def finish_run(self, info: Info, input: i.FinishRunInput) -> _union("FinishRunPayload", RunSuccess):
        return await _run(info, core_cmd.FinishRun, input, RunSuccess, "run", Run)

    @strawberry.mutation(description="Register a model.")
    async def create_model(self, info: Info, input: i.CreateModelInput) -> _union("CreateModelPayload", ModelSuccess):
        return await _run(info, core_cmd.CreateModel, input, ModelSuccess, "model", Model)

    @strawberry.mutation(description="Register a model version from a finished run (number allocated atomically).")
    async def register_model_version(self, info: Info, input: i.RegisterModelVersionInput) -> _union(
        "RegisterModelVersionPayload", ModelVersionSuccess
    ):
        return await _run(
            info,
            core_cmd.RegisterModelVersion,
            input,
            ModelVersionSuccess,
            "model_version",
            ModelVersion,
        )

    @strawberry.mutation(description="Register many versions of one model in one request (all or none).")
    async def register_model_versions(self, info: Info, input: i.RegisterModelVersionsInput) -> _union(
        "RegisterModelVersionsPayload", ModelVersionsSuccess
    ):
        async def make(outcome: Outcome) -> ModelVersionsSuccess:
            found = await node_loader(info).load_many((outcome.result or {}).get("ids", []))
            versions = [ModelVersion(r) for r in found if isinstance(r, model_rec.ModelVersion)]
            return ModelVersionsSuccess(model_versions=versions, replayed=outcome.replayed)

        return await run_command(info, core_cmd.RegisterModelVersions, input, make)

    @strawberry.mutation(description="Set or move an alias (protected aliases need promotion criteria).")
    async def set_alias(self, info: Info, input: i.SetAliasInput) -> _union("SetAliasPayload", AliasSuccess):
        return await _alias_result(info, core_cmd.MoveAlias, input)

    @strawberry.mutation(description="Remove an alias.")
    async def remove_alias(self, info: Info, input: i.RemoveAliasInput) -> _union("RemoveAliasPayload", AliasSuccess):
        return await _alias_result(info, core_cmd.RemoveAlias, input)

    @strawberry.mutation(description="Archive (retire) a version.")
    async def archive_version(self, info: Info, input: i.ArchiveVersionInput) -> _union(
        "ArchiveVersionPayload", ModelVersionSuccess
    ):
        return await _run(info, core_cmd.ArchiveVersion, input, ModelVersionSuccess, "model_version", ModelVersion)

    @strawberry.mutation(description="Update mutable metadata with the revision you expect.")
    async def update_metadata(self, info: Info, input: i.UpdateMetadataInput) -> _union(
        "UpdateMetadataPayload", NodeSuccess
    ):
        return await _run(info, core_cmd.UpdateMetadata, input, NodeSuccess, "node", wrap)
