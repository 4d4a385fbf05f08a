"""Builds a dataset -> feature -> run -> model version chain through the real write path."""

from __future__ import annotations

from typing import Any

from app.registry.actor import Actor, RequestMeta
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.services import Services

ADMIN = RequestMeta(actor=Actor(id="root", name="root", roles=("admin",)), request_id="chain")
DIGEST = "sha256:" + "ab" * 32


async def run(services: Services, command: str, payload: dict[str, Any], meta: RequestMeta = ADMIN) -> dict[str, Any]:
    outcome = await execute(services, meta, command_from(command, payload))
    assert outcome.result is not None, outcome
    return outcome.result


async def build_chain(
    services: Services,
    model: str = "churn",
    metrics: dict[str, float] | None = None,
    source: str = "s3://raw/customers.parquet",
) -> dict[str, str]:
    """One chain per model; a second chain in the same graph needs its own `source` (a source names
    one dataset)."""
    await run(services, "create_project", {"name": f"{model}-proj"})
    exp = await run(services, "create_experiment", {"project": f"{model}-proj", "name": "exp1"})
    dsv = await run(
        services,
        "register_dataset_version",
        {
            "dataset": f"{model}-data",
            "source_uri": source,
            "digest": DIGEST,
            "row_count": 1000,
            "data_domain": "finance",
            "usage_rights": {"training_allowed": True, "commercial_use": True, "contains_personal_data": False},
        },
    )
    feat = await run(
        services,
        "register_feature",
        {
            "project": f"{model}-proj",
            "name": "tenure_months",
            "dtype": "integer",
            "definition": "months since signup",
            "source_dataset_version_id": dsv["id"],
        },
    )
    r = await run(
        services,
        "start_run",
        {
            "experiment_id": exp["id"],
            "params": {"lr": 0.1, "depth": 6},
            "inputs": [dsv["id"], feat["id"]],
            "environment": {"framework": "sklearn", "framework_version": "1.5"},
        },
    )
    await run(services, "finish_run", {"run_id": r["id"], "metrics": metrics or {"f1": 0.9, "auc": 0.95}})
    m = await run(
        services,
        "create_model",
        {"name": model, "licence": "Apache-2.0", "domain": "finance", "task": "classification", "owners": ["root"]},
    )
    mv = await run(
        services,
        "register_model_version",
        {
            "model": model,
            "run_id": r["id"],
            "artifact": {"uri": "s3://models/churn.onnx", "digest": DIGEST, "size": 10, "format": "onnx"},
        },
    )
    return {
        "experiment": exp["id"],
        "dataset_version": dsv["id"],
        "feature": feat["id"],
        "run": r["id"],
        "model": m["id"],
        "model_version": mv["id"],
    }


async def new_run(services: Services, experiment: str, inputs: list[str], metrics: dict[str, float]) -> str:
    r = await run(services, "start_run", {"experiment_id": experiment, "inputs": inputs})
    await run(services, "finish_run", {"run_id": r["id"], "metrics": metrics})
    return str(r["id"])
