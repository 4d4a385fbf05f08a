"""OpenLineage intake: RunEvents from any producer become projects, experiments, dataset versions
and runs, through the same write path (policy, audit, idempotency) as every other write.

Mapping: job.namespace → Project, job.name → Experiment, run.runId → Run.external_id, each input
dataset (namespace + name) → the latest DatasetVersion with that source URI (registered on first
sight). START opens the run; COMPLETE / FAIL / ABORT finish it as FINISHED / FAILED / KILLED (a
terminal event without a START opens and finishes it). RUNNING and OTHER are acknowledged only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any

from app.domain import validation as v
from app.errors import ValidationFailed
from app.registry.actor import RequestMeta
from app.registry.core import reader
from app.registry.execute import execute
from app.services import Services

END_STATES = {"COMPLETE": "FINISHED", "FAIL": "FAILED", "ABORT": "KILLED"}
EVENT_TYPES = ("START", "RUNNING", *END_STATES, "OTHER")
NOT_A_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_INPUTS = 100


def registry_name(field: str, raw: Any) -> str:
    """OpenLineage names may hold '/', ':' and spaces; ours may not: map them to '-'."""
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationFailed(f"{field}: is required", field=field)
    cleaned = NOT_A_NAME.sub("-", raw.strip()).strip("-.")[:128]
    return v.name(field, cleaned or "unnamed")


def source_uri(dataset: dict[str, Any], index: int) -> str:
    namespace, name = dataset.get("namespace"), dataset.get("name")
    if not isinstance(namespace, str) or not isinstance(name, str) or not namespace or not name:
        raise ValidationFailed(f"inputs[{index}]: namespace and name are required", field=f"inputs[{index}]")
    return v.short(f"inputs[{index}]", f"{namespace.rstrip('/')}/{name.lstrip('/')}") or ""


def parse_time(raw: Any) -> datetime | None:
    if raw is None:
        return None
    try:
        return v.utc("eventTime", datetime.fromisoformat(str(raw).replace("Z", "+00:00")))
    except ValueError:
        raise ValidationFailed("eventTime: must be an ISO 8601 timestamp with a timezone", field="eventTime") from None


async def ingest(services: Services, meta: RequestMeta, event: dict[str, Any]) -> dict[str, Any]:
    kind = v.one_of("eventType", event.get("eventType") or "OTHER", EVENT_TYPES)
    run_id = v.short("run.runId", (event.get("run") or {}).get("runId"), required=True) or ""
    job = event.get("job") or {}
    project, experiment = (
        registry_name("job.namespace", job.get("namespace")),
        registry_name("job.name", job.get("name")),
    )
    at = parse_time(event.get("eventTime"))
    inputs = event.get("inputs") or []
    if not isinstance(inputs, list) or len(inputs) > MAX_INPUTS:
        raise ValidationFailed(f"inputs: must be a list of at most {MAX_INPUTS} datasets", field="inputs")
    if kind in ("RUNNING", "OTHER"):
        return {"run": None, "status": "acknowledged"}
    run = await reader(services).run_by_external_id(run_id)
    if run is None:
        experiment_id = await _experiment(services, meta, project, experiment)
        used = [await _dataset_version(services, meta, source_uri(d, i)) for i, d in enumerate(inputs)]
        opened = await _do(
            services,
            meta,
            f"openlineage:{run_id}:start",
            "start_run",
            {
                "experiment_id": experiment_id,
                "name": experiment,
                "external_id": run_id,
                "inputs": used,
                "started_at": at,
                "notes": f"reported through OpenLineage by {event.get('producer', 'an unknown producer')}",
            },
        )
        run_node_id = opened["id"]
    else:
        run_node_id = run.id
    if kind in END_STATES:
        await _do(
            services,
            meta,
            f"openlineage:{run_id}:end",
            "finish_run",
            {"run_id": run_node_id, "status": END_STATES[kind], "ended_at": at},
        )
    return {"run": run_node_id, "status": "finished" if kind in END_STATES else "started"}


async def _do(services: Services, meta: RequestMeta, key: str, command: str, payload: dict[str, Any]) -> dict[str, Any]:
    keyed = replace(meta, idempotency_key=key)
    outcome = await execute(services, keyed, command, payload)
    if outcome.result is None:
        raise ValidationFailed(f"{command} was routed to review; OpenLineage intake cannot wait for it")
    return outcome.result


async def _experiment(services: Services, meta: RequestMeta, project: str, name: str) -> str:
    core = reader(services)
    if await core.project(project) is None:
        await _do(
            services,
            meta,
            f"openlineage:project:{project}",
            "create_project",
            {"name": project, "description": "Created from OpenLineage events"},
        )
    found = await core.experiment(project, name)
    if found is not None:
        return found.id
    created = await _do(
        services,
        meta,
        f"openlineage:experiment:{project}:{name}",
        "create_experiment",
        {"project": project, "name": name, "description": "OpenLineage job"},
    )
    return str(created["id"])


async def _dataset_version(services: Services, meta: RequestMeta, uri: str) -> str:
    found = await reader(services).latest_dataset_version(uri)
    if found is not None:
        return found.id
    created = await _do(
        services,
        meta,
        f"openlineage:dataset:{uri}",
        "register_dataset_version",
        {
            "dataset": registry_name("inputs.name", uri)[:128],
            "source_uri": uri,
            "description": "Seen first in an OpenLineage event",
        },
    )
    return str(created["id"])
