"""Commands that open the places work is filed under: projects and their experiments."""

from __future__ import annotations

from typing import Any

from app.domain import validation as v
from app.graph import core_writes as w
from app.registry.actor import RequestMeta
from app.registry.commands import core as cmd
from app.registry.custom import custom_props
from app.registry.plan import Plan
from app.services import Services


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
