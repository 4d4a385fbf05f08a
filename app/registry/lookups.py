"""What commands look up before they decide: the core reader, a model by name, a run by id
(NotFound naming the field when there is none)."""

from __future__ import annotations

from app.domain import validation as v
from app.errors import NotFound
from app.graph.core_reads import CoreReader
from app.graph.model_records import Model
from app.graph.run_records import Run
from app.services import Services


def reader(services: Services) -> CoreReader:
    return services.repos.core


async def model_named(services: Services, name: str) -> Model:
    model = await reader(services).model_by_name(v.name("model", name))
    if model is None:
        raise NotFound(f"model: no model named {name!r}", field="model")
    return model


async def run_of(services: Services, run_id: str) -> Run:
    run = await reader(services).run(run_id)
    if run is None:
        raise NotFound(f"runId: no run {run_id!r}", field="runId")
    return run
