"""Commands that register data: dataset versions (a run's outputs among them) and features."""

from __future__ import annotations

from typing import Any

from app.domain import validation as v
from app.graph import core_writes as w
from app.registry import lineage_props as lineage
from app.registry.actor import RequestMeta
from app.registry.commands import core as cmd
from app.registry.decisions import decide
from app.registry.lookups import run_of
from app.registry.plan import Plan
from app.registry.resources import run_resource
from app.services import Services


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
    run = await run_of(services, run_id)
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
