"""Commands of the provenance core: projects, experiments, data, features, runs, models,
versions, aliases, metadata updates and archiving."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.domain import classification, directory
from app.domain import validation as v
from app.domain.entities import PREFIX_CLASSIFICATION, PREFIX_CUSTOM, PREFIX_IMPORTANCE, PREFIX_METRIC, PREFIX_PARAM
from app.domain.streams import NEW_AGGREGATE
from app.domain.vocabulary import REGULATORY, RUN_END_STATES
from app.errors import NotFound, ValidationFailed
from app.graph import core_writes as w
from app.graph.core_reads import CoreReader
from app.graph.dataset_records import DatasetVersion
from app.graph.model_records import Model, ModelVersion
from app.graph.run_records import Experiment, Project, Run
from app.registry import lineage_props as lineage
from app.registry.actor import RequestMeta
from app.registry.commands import core as cmd
from app.registry.decisions import decide
from app.registry.plan import Plan
from app.registry.promotion import alias_state, promotion_context, serving_production
from app.registry.resources import owned, run_resource
from app.services import Services


def reader(services: Services) -> CoreReader:
    return services.repos.core


def custom_props(field: str, values: dict[str, Any] | None) -> dict[str, Any]:
    """Typed custom properties (string / number / bool), stored as `cp.<name>`. A value may be
    `{"value": ..., "classification": "confidential"}`: its class is stored as `cc.<name>` and
    decides who reads it (policies/modelgraph/disclosure); without one a property is public."""
    plain: dict[str, Any] = {}
    classes: dict[str, str] = {}
    for name, value in v.mapping(field, values).items():
        if isinstance(value, dict):
            unknown = set(value) - {"value", "classification"}
            if unknown or "value" not in value:
                raise ValidationFailed(
                    f"{field}.{name}: an object must be {{value, classification}}", field=f"{field}.{name}"
                )
            classes[name] = classification.checked(f"{field}.{name}.classification", value.get("classification"))
            value = value["value"]
        plain[name] = value
    checked = v.scalar_map(field, plain)
    out: dict[str, Any] = {PREFIX_CUSTOM + v.prop_name(f"{field}.name", k): val for k, val in checked.items()}
    for name, cls in classes.items():
        out[PREFIX_CLASSIFICATION + v.prop_name(f"{field}.name", name)] = cls
    return out


async def create_project(services: Services, meta: RequestMeta, c: cmd.CreateProject) -> Plan:
    data: dict[str, Any] = {
        "name": v.name("name", c.name),
        "description": v.text("description", c.description),
        "owners": v.labels("owners", c.owners),
        "custom": custom_props("custom", c.custom),
    }
    data["name_key"] = v.name_key(data["name"])
    return Plan(
        "publish",
        {"kind": "project", "name": data["name"]},
        w.create_project(data, meta.actor.name),
    )


async def create_experiment(services: Services, meta: RequestMeta, c: cmd.CreateExperiment) -> Plan:
    data: dict[str, Any] = {
        "name": v.name("name", c.name),
        "project": v.name("project", c.project),
        "description": v.text("description", c.description),
        "custom": custom_props("custom", c.custom),
    }
    return Plan(
        "publish",
        {"kind": "experiment", "name": data["name"]},
        w.create_experiment(data, meta.actor.name),
    )


async def register_dataset_version(services: Services, meta: RequestMeta, c: cmd.RegisterDatasetVersion) -> Plan:
    rights = c.usage_rights or cmd.UsageRights()
    data: dict[str, Any] = {
        "dataset": v.name("dataset", c.dataset),
        "source_uri": v.short("sourceUri", c.source_uri, required=True),
        "digest": v.digest("digest", c.digest) if c.digest else None,
        "row_count": v.non_negative_int("rowCount", c.row_count),
        "schema": v.text("schema", c.schema),
        "data_domain": v.short("dataDomain", c.data_domain),
        "training_allowed": rights.training_allowed,
        "commercial_use": rights.commercial_use,
        "contains_personal_data": rights.contains_personal_data,
        "preprocessing": v.string_list("preprocessing", c.preprocessing, item_max=1000),
        "description": v.text("description", c.description),
        "derived_from": [
            {
                "dataset_version_id": v.short("derivedFrom.datasetVersionId", d.dataset_version_id, required=True),
                "step": v.short("derivedFrom.step", d.step),
            }
            for d in c.derived_from or []
        ],
        "source": lineage.source(c.source_uri, c.openlineage),
        "produced_by": v.short("producedBy", c.produced_by),
        "extra": lineage.dataset_props(c.openlineage),
    }
    if data["produced_by"]:
        await _may_add_outputs(services, meta, data["produced_by"])
    return Plan(
        "publish",
        {"kind": "dataset_version", "name": data["dataset"]},
        w.register_dataset_version(data, meta.actor.name),
    )


async def _may_add_outputs(services: Services, meta: RequestMeta, run_id: str) -> None:
    """Writing a version as a run's output changes that run: policy must let the caller modify it
    (its owner or a publisher), besides publishing the dataset version."""
    run = await _run(services, run_id)
    await decide(services, meta, Plan("modify", run_resource(run), w.noop), "add_run_output")


async def register_feature(services: Services, meta: RequestMeta, c: cmd.RegisterFeature) -> Plan:
    data: dict[str, Any] = {
        "name": v.key("name", c.name),
        "project": v.name("project", c.project),
        "dtype": v.one_of(
            "dtype",
            c.dtype,
            (
                "string",
                "integer",
                "float",
                "boolean",
                "categorical",
                "datetime",
                "embedding",
                "text",
            ),
        ),
        "definition": v.text("definition", c.definition, required=True),
        "description": v.text("description", c.description),
        "source_dataset_version_id": v.short("sourceDatasetVersionId", c.source_dataset_version_id, required=True),
    }
    return Plan(
        "publish",
        {"kind": "feature", "name": data["name"]},
        w.register_feature(data, meta.actor.name),
    )


async def start_run(services: Services, meta: RequestMeta, c: cmd.StartRun) -> Plan:
    env = c.environment or cmd.RunEnvironment()
    params = v.scalar_map("params", c.params)
    data: dict[str, Any] = {
        "experiment_id": v.short("experimentId", c.experiment_id, required=True),
        "name": v.short("name", c.name),
        "started_at": v.utc("startedAt", c.started_at),
        "code_version": v.short("codeVersion", c.code_version),
        "external_id": v.short("externalId", c.external_id),
        "notes": v.text("notes", c.notes),
        "environment": {
            k: v.short(f"environment.{k}", getattr(env, k))
            for k in (
                "framework",
                "framework_version",
                "hardware",
                "container_image",
                "python_version",
            )
        },
        "inputs": v.string_list("inputs", c.inputs, item_max=64),
        "dynamic": {
            **{PREFIX_PARAM + k: val for k, val in params.items()},
            **custom_props("custom", c.custom),
        },
        "lineage": lineage.run_props(c.openlineage, start=True),
    }
    work = w.start_run(data, meta.actor.name)
    return Plan("publish", {"kind": "run", "id": data["experiment_id"]}, work, stream=NEW_AGGREGATE)


async def add_run_inputs(services: Services, meta: RequestMeta, c: cmd.AddRunInputs) -> Plan:
    data: dict[str, Any] = {
        "run_id": v.short("runId", c.run_id, required=True),
        "inputs": v.string_list("inputs", c.inputs, item_max=64),
    }
    run = await _run(services, data["run_id"])
    return Plan("modify", run_resource(run), w.add_run_inputs(data, meta.actor.name))


async def finish_run(services: Services, meta: RequestMeta, c: cmd.FinishRun) -> Plan:
    metrics = v.metrics("metrics", c.metrics)
    data: dict[str, Any] = {
        "run_id": v.short("runId", c.run_id, required=True),
        "status": v.one_of("status", c.status or "FINISHED", RUN_END_STATES),
        "ended_at": v.utc("endedAt", c.ended_at),
        "notes": v.text("notes", c.notes),
        "dynamic": {PREFIX_METRIC + k: val for k, val in metrics.items()},
        "lineage": lineage.run_props(c.openlineage, start=False),
    }
    run = await _run(services, data["run_id"])
    return Plan("modify", run_resource(run), w.finish_run(data, meta.actor.name))


async def _run(services: Services, run_id: str) -> Run:
    run = await reader(services).run(run_id)
    if run is None:
        raise NotFound(f"runId: no run {run_id!r}", field="runId")
    return run


async def create_model(services: Services, meta: RequestMeta, c: cmd.CreateModel) -> Plan:
    data: dict[str, Any] = {
        "name": v.name("name", c.name),
        "description": v.text("description", c.description),
        "owners": v.labels("owners", c.owners),
        "owner_teams": v.labels("ownerTeams", c.owner_teams),
        "domain": v.short("domain", c.domain),
        "task": v.short("task", c.task),
        "tags": v.labels("tags", c.tags),
        "licence": v.short("licence", c.licence),
        "regulatory": [v.one_of("regulatory", r, REGULATORY) for r in v.string_list("regulatory", c.regulatory)],
        "intended_use": v.text("intendedUse", c.intended_use),
        "commercial_use": bool(c.commercial_use),
        "project": v.name("project", c.project) if c.project else None,
        "custom": custom_props("custom", c.custom),
    }
    data["name_key"] = v.name_key(data["name"])
    resource = {"kind": "model", "name": data["name"], "licence": data["licence"]}
    return Plan("publish", resource, w.create_model(data, meta.actor.name))


def _version_data(model: str, c: cmd.ModelVersionItem) -> dict[str, Any]:
    art = c.artifact or cmd.Artifact()
    importance = {}
    for item in c.feature_importance or ():
        importance[v.key("featureImportance.feature", item.feature)] = v.finite("featureImportance.score", item.score)
    return {
        "model": model,
        "run_id": v.short("runId", c.run_id, required=True),
        "artifact": {
            "uri": v.short("artifact.uri", art.uri, required=True),
            "digest": v.digest("artifact.digest", art.digest or ""),
            "size": v.non_negative_int("artifact.size", art.size),
            "format": v.short("artifact.format", art.format),
        },
        "signature": v.text("signature", c.signature),
        "notes": v.text("notes", c.notes),
        "feature_importance": importance,
        "fine_tuned_from": c.fine_tuned_from,
        "dynamic": {
            **{PREFIX_IMPORTANCE + k: s for k, s in importance.items()},
            **custom_props("custom", c.custom),
        },
    }


async def _publish_plan(services: Services, model_name: str, run_ids: list[str], work: Any) -> Plan:
    """Publishing versions: policy sees the model, its licence and every run's training data rights."""
    core = reader(services)
    model = await core.model_record(model_name)
    if model is None:
        raise NotFound(f"model: no model named {model_name!r}", field="model")
    training: dict[str, Any] = {}
    for run_id in dict.fromkeys(run_ids):
        for d in await core.training_data(run_id):
            training[d.id] = {"id": d.id, "source": d.source_uri, "usage_rights": _rights(d)}
    context = {
        "commercial_use": bool(model.commercial_use),
        "training_data": list(training.values()),
        "known_sources": list(model.known_sources),
    }
    resource = {**owned(model, "model_version"), "name": model.name, "licence": model.licence}
    return Plan("publish", resource, work, context)


STORED_URI = "modelgraph://artifacts/"


async def _check_stored(services: Services, data: dict[str, Any], field: str = "artifact") -> None:
    """A version that says its bytes are in our store must name bytes that are there, with the size
    they have (a declared size that differs is refused; an omitted one is filled in)."""
    art = data["artifact"]
    if not str(art["uri"]).startswith(STORED_URI):
        return
    if art["uri"] != STORED_URI + art["digest"]:
        raise ValidationFailed(f"{field}.uri: a stored artifact's uri is {STORED_URI}<digest>", field=f"{field}.uri")
    try:
        stored = await services.artifacts.size(art["digest"])
    except NotFound:
        raise ValidationFailed(
            f"{field}.digest: no stored artifact has this digest; upload it first", field=f"{field}.digest"
        ) from None
    if art["size"] is not None and art["size"] != stored:
        raise ValidationFailed(
            f"{field}.size: declared {art['size']} bytes, but the stored artifact {art['digest']} has {stored}",
            field=f"{field}.size",
        )
    art["size"] = stored
    if art["format"] == directory.FORMAT:
        manifest = await services.artifacts.get(art["digest"])
        art["files"] = [e.as_json() for e in directory.parse(f"{field}.digest", manifest)]


async def register_model_version(services: Services, meta: RequestMeta, c: cmd.RegisterModelVersion) -> Plan:
    data = _version_data(v.name("model", c.model), c)
    await _check_stored(services, data)
    work = w.register_model_version(data, meta.actor.name)
    plan = await _publish_plan(services, data["model"], [data["run_id"]], work)
    return replace(plan, result_is_subject=True)


MAX_BATCH_VERSIONS = 500


async def register_model_versions(services: Services, meta: RequestMeta, c: cmd.RegisterModelVersions) -> Plan:
    """Many versions of one model in one request: one decision, one transaction, one audit event."""
    model = v.name("model", c.model)
    items = c.versions or ()
    if not 1 <= len(items) <= MAX_BATCH_VERSIONS:
        raise ValidationFailed(f"versions: must list 1 to {MAX_BATCH_VERSIONS} versions", field="versions")
    batch = []
    for index, item in enumerate(items):
        try:
            batch.append(_version_data(model, item))
        except ValidationFailed as exc:
            raise ValidationFailed(f"versions[{index}].{exc.message}", field=f"versions[{index}].{exc.field}") from None
        await _check_stored(services, batch[-1], f"versions[{index}].artifact")
    work = w.register_model_versions(batch, meta.actor.name)
    return await _publish_plan(services, model, [d["run_id"] for d in batch], work)


def _rights(d: DatasetVersion) -> dict[str, Any]:
    """The usage rights the dataset version declares (an undeclared one is left out)."""
    declared = {
        "training_allowed": d.training_allowed,
        "commercial_use": d.commercial_use,
        "contains_personal_data": d.contains_personal_data,
    }
    return {k: right for k, right in declared.items() if right is not None}


async def _model(services: Services, name: str) -> Model:
    model = await reader(services).model_record(v.name("model", name))
    if model is None:
        raise NotFound(f"model: no model named {name!r}", field="model")
    return model


async def move_alias(services: Services, meta: RequestMeta, c: cmd.MoveAlias) -> Plan:
    data: dict[str, Any] = {
        "model": v.name("model", c.model),
        "alias": v.alias("alias", c.alias),
        "version": int(c.version),
        "reason": v.text("reason", c.reason),
    }
    model = await _model(services, data["model"])
    subjects = await _version_ids(services, model.id, data["version"])
    if not subjects:  # said before policy is asked, so a dry run answers "not found", not "no evaluation"
        raise NotFound(f"version: model {data['model']!r} has no version {data['version']}", field="version")
    resource = {**owned(model, "alias"), "alias": data["alias"], "version": data["version"]}
    context = await promotion_context(services, model.id, data["alias"], data["version"])
    state = await alias_state(services, model.id, data["alias"])
    return Plan("promote", resource, w.move_alias(data, meta.actor.name), context, state=state, subjects=subjects)


async def remove_alias(services: Services, meta: RequestMeta, c: cmd.RemoveAlias) -> Plan:
    """Removing an alias is judged like moving it (promote): removing `production` is as protected."""
    data: dict[str, Any] = {"model": v.name("model", c.model), "alias": v.alias("alias", c.alias)}
    model = await _model(services, data["model"])
    return Plan(
        "promote",
        {**owned(model, "alias"), "alias": data["alias"], "operation": "remove"},
        w.remove_alias(data, meta.actor.name),
        state=await alias_state(services, model.id, data["alias"]),
    )


async def archive_version(services: Services, meta: RequestMeta, c: cmd.ArchiveVersion) -> Plan:
    data: dict[str, Any] = {
        "model": v.name("model", c.model),
        "version": int(c.version),
        "reason": v.text("reason", c.reason, required=True),
    }
    model = await _model(services, data["model"])
    context = {"serving_production": await serving_production(services, model.id, data["version"])}
    resource = {**owned(model, "model_version"), "version": data["version"]}
    subjects = await _version_ids(services, model.id, data["version"])
    return Plan("retire", resource, w.archive_version(data, meta.actor.name), context, subjects=subjects)


async def _version_ids(services: Services, model_id: str, *numbers: int) -> tuple[str, ...]:
    """The ids of a model's versions by number (unknown numbers are left out; the work refuses them)."""
    found = [await reader(services).version(model_id, n) for n in numbers]
    return tuple(f.id for f in found if f is not None)


UPDATABLE: dict[str, dict[str, str]] = {
    # label -> input field -> rule kind
    "Model": {
        "description": "text",
        "owners": "list",
        "owner_teams": "list",
        "domain": "short",
        "task": "short",
        "tags": "list",
        "licence": "short",
        "regulatory": "regulatory",
        "intended_use": "text",
    },
    "ModelVersion": {"notes": "text", "signature": "text"},
    "Project": {"description": "text", "owners": "list"},
    "Experiment": {"description": "text"},
    "Run": {"notes": "text"},
}
KIND_OF_LABEL = {
    "Model": "model",
    "ModelVersion": "model_version",
    "Project": "project",
    "Experiment": "experiment",
    "Run": "run",
}


async def update_metadata(services: Services, meta: RequestMeta, c: cmd.UpdateMetadata) -> Plan:
    node = await reader(services).record(v.short("id", c.id, required=True) or "")
    if not isinstance(node, Model | ModelVersion | Project | Experiment | Run):
        raise NotFound(f"id: no updatable node {c.id!r}", field="id")
    changes = _changes(node.kind, dict(v.mapping("changes", c.changes)))
    changes.update(custom_props("custom", c.custom))
    if not changes:
        raise ValidationFailed("changes: nothing to change", field="changes")
    resource = owned(node, KIND_OF_LABEL[node.kind])
    if isinstance(node, Model) and "licence" in changes:
        resource["licence"] = changes["licence"]
    expected = int(c.expected_revision)
    stream = f"model:{node.model_name}" if isinstance(node, ModelVersion) else None
    return Plan(
        "modify",
        resource,
        w.update_metadata(node.kind, node.id, expected, changes, meta.actor.name),
        # Policy re-checks what the changes touch (a new licence meets the same allow-list as publish).
        {"changes": sorted(changes)},
        stream=stream,
    )


def _changes(label: str, raw: dict[str, Any]) -> dict[str, Any]:
    allowed = UPDATABLE[label]
    out: dict[str, Any] = {}
    for field, value in raw.items():
        rule = allowed.get(field)
        if rule is None:
            raise ValidationFailed(
                f"changes.{field}: cannot be changed on a {label} (immutable or unknown); changeable: "
                f"{', '.join(sorted(allowed))}",
                field=f"changes.{field}",
            )
        if rule == "list":
            out[field] = v.labels(f"changes.{field}", value)
        elif rule == "regulatory":
            out[field] = [v.one_of(f"changes.{field}", r, REGULATORY) for r in v.string_list(field, value)]
        elif rule == "short":
            out[field] = v.short(f"changes.{field}", value)
        else:
            out[field] = v.text(f"changes.{field}", value)
    return out
