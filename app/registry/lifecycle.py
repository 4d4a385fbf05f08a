"""Commands that promote and retire versions: moving and removing aliases, archiving a version."""

from __future__ import annotations

from typing import Any

from app.domain import validation as v
from app.errors import NotFound
from app.graph import core_writes as w
from app.registry.actor import RequestMeta
from app.registry.commands import core as cmd
from app.registry.lookups import model_named, reader
from app.registry.plan import Plan
from app.registry.promotion import alias_state, promotion, serving_production
from app.registry.resources import owned
from app.services import Services


async def move_alias(services: Services, meta: RequestMeta, c: cmd.MoveAlias) -> Plan:
    data: dict[str, Any] = {
        "model": v.name("model", c.model),
        "alias": v.alias("alias", c.alias),
        "version": int(c.version),
        "reason": v.text("reason", c.reason),
    }
    model = await model_named(services, data["model"])
    facts = await promotion(services, model.id, data["alias"], data["version"])
    if facts.candidate is None:  # said before policy is asked, so a dry run answers "not found", not "no evaluation"
        raise NotFound(f"version: model {data['model']!r} has no version {data['version']}", field="version")
    resource = {**owned(model, "alias"), "alias": data["alias"], "version": data["version"]}
    work = w.move_alias(data, meta.actor.name)
    subjects = (facts.candidate.version.id,)
    return Plan("promote", resource, work, facts.context(), state=facts.state(), subjects=subjects)


async def remove_alias(services: Services, meta: RequestMeta, c: cmd.RemoveAlias) -> Plan:
    """Removing an alias is judged like moving it (promote): removing `production` is as protected."""
    data: dict[str, Any] = {"model": v.name("model", c.model), "alias": v.alias("alias", c.alias)}
    model = await model_named(services, data["model"])
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
    model = await model_named(services, data["model"])
    context = {"serving_production": await serving_production(services, model.id, data["version"])}
    resource = {**owned(model, "model_version"), "version": data["version"]}
    subjects = await _version_ids(services, model.id, data["version"])
    return Plan("retire", resource, w.archive_version(data, meta.actor.name), context, subjects=subjects)


async def _version_ids(services: Services, model_id: str, *numbers: int) -> tuple[str, ...]:
    """The ids of a model's versions by number (unknown numbers are left out; the work refuses them)."""
    found = [await reader(services).version(model_id, n) for n in numbers]
    return tuple(f.id for f in found if f is not None)
