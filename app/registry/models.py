"""Commands that publish models and their versions (one or a batch): policy sees the model, its
licence and the rights of every training run's data; stored artifacts are checked to be there."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app.artifacts import STORED_URI
from app.domain import directory
from app.domain import validation as v
from app.domain.entities import PREFIX_IMPORTANCE
from app.domain.vocabulary import REGULATORY
from app.errors import NotFound, ValidationFailed
from app.graph import core_writes as w
from app.graph.dataset_records import DatasetVersion
from app.registry.actor import RequestMeta
from app.registry.commands import core as cmd
from app.registry.custom import custom_props
from app.registry.lookups import reader
from app.registry.plan import Plan
from app.registry.resources import owned
from app.services import Services


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
    model = await core.model_by_name(model_name)
    if model is None:
        raise NotFound(f"model: no model named {model_name!r}", field="model")
    used = await core.training_data(run_ids)
    training = [{"id": d.id, "source": d.source_uri, "usage_rights": _rights(d)} for d in used]
    context = {
        "commercial_use": bool(model.commercial_use),
        "training_data": training,
        "known_sources": list(model.known_sources),
    }
    resource = {**owned(model, "model_version"), "name": model.name, "licence": model.licence}
    return Plan("publish", resource, work, context)


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
