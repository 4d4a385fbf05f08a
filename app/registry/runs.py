"""Commands of a run's life: starting it, adding the inputs it used, finishing it."""

from __future__ import annotations

from typing import Any

from app.domain import validation as v
from app.domain.entities import PREFIX_METRIC, PREFIX_PARAM
from app.domain.streams import NEW_AGGREGATE
from app.domain.vocabulary import RUN_END_STATES
from app.graph import core_writes as w
from app.registry import lineage_props as lineage
from app.registry.actor import RequestMeta
from app.registry.commands import core as cmd
from app.registry.custom import custom_props
from app.registry.lookups import run_of
from app.registry.plan import Plan
from app.registry.resources import run_resource
from app.services import Services


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
    run = await run_of(services, data["run_id"])
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
    run = await run_of(services, data["run_id"])
    return Plan("modify", run_resource(run), w.finish_run(data, meta.actor.name))
