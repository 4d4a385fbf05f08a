"""A small demo registry so GraphiQL has something to explore on first run.

Loads through the same write path as the API (policy, audit, idempotency), as the bootstrap admin
and a few demo principals whose API keys are written to the stack folder.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.auth.tokens import hash_key, new_api_key
from app.graph.demo_queries import ANY_MODEL, DATASET_VERSION_ID
from app.graph.reads import rows
from app.registry.actor import Actor, RequestMeta
from app.registry.approvals import decide_review
from app.registry.commands.core import MoveAlias
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.registry.seed import seed_from_file
from app.services import Services

ADMIN = RequestMeta(
    actor=Actor(id="bootstrap-admin", name="bootstrap-admin", kind="service", roles=("admin",)), request_id="demo"
)
DIGEST = "sha256:" + "5e" * 32
PEOPLE = (
    ("vera", ("viewer",), ("risk",)),
    ("pat", ("publisher",), ("risk",)),
    ("ann", ("approver",), ("risk",)),
    ("trainer-bot", ("publisher",), ("risk",)),
)


async def is_empty(services: Services) -> bool:
    found = await rows(services.driver, services.settings.neo4j_database, ANY_MODEL)
    return not (found and found[0]["any"])


async def _do(services: Services, command: str, payload: dict[str, Any], meta: RequestMeta = ADMIN) -> dict[str, Any]:
    outcome = await execute(services, meta, command_from(command, payload))
    if outcome.review is not None:
        approver = RequestMeta(
            actor=Actor(id="ann", name="ann", roles=("approver",), teams=("risk",)), request_id="demo"
        )
        decided = await decide_review(services, approver, outcome.review["id"], True, "demo: approved")
        return {"id": decided["result_id"], "kind": "applied review", "review": outcome.review["id"]}
    assert outcome.result is not None
    return outcome.result


async def load(services: Services, keys_file: Path) -> dict[str, str]:
    """Create the demo graph; returns name -> API key for the demo principals."""
    keys: dict[str, str] = {}
    for name, roles, teams in PEOPLE:
        await _do(
            services,
            "create_principal",
            {
                "name": name,
                "roles": list(roles),
                "teams": list(teams),
                "kind": "service" if name.endswith("bot") else "user",
            },
        )
        key = new_api_key()
        await _do(services, "issue_api_key", {"principal": name, "key_hash": hash_key(key), "label": "demo"})
        keys[name] = key
    await asyncio.to_thread(_write_keys, keys_file, keys)
    bot = RequestMeta(
        actor=Actor(id="trainer-bot", name="trainer-bot", kind="service", roles=("publisher",), teams=("risk",)),
        request_id="demo",
    )
    await seed_from_file(services, ADMIN)
    await _chain(services, bot)
    await _history(services, bot)
    await _pending_review(services)
    return keys


async def _chain(services: Services, bot: RequestMeta) -> None:
    await _do(
        services,
        "create_project",
        {"name": "credit-risk", "description": "Retail credit default models", "owners": ["pat", "trainer-bot"]},
    )
    exp = await _do(
        services,
        "create_experiment",
        {"project": "credit-risk", "name": "gbm-baseline", "description": "Gradient boosting on bureau + app data"},
    )
    raw = await _do(
        services,
        "register_dataset_version",
        {
            "dataset": "loan-applications",
            "source_uri": "s3://lake/raw/loans/2026-10.parquet",
            "digest": DIGEST,
            "row_count": 120000,
            "data_domain": "finance",
            "preprocessing": [],
            "usage_rights": {"training_allowed": True, "commercial_use": True, "contains_personal_data": False},
            "description": "Monthly export of loan applications (pseudonymised)",
        },
    )
    clean = await _do(
        services,
        "register_dataset_version",
        {
            "dataset": "loan-applications-clean",
            "source_uri": "s3://lake/curated/loans/2026-10.parquet",
            "digest": DIGEST,
            "row_count": 118250,
            "data_domain": "finance",
            "preprocessing": ["drop duplicates", "impute income median", "winsorise debt ratio"],
            "usage_rights": {"training_allowed": True, "commercial_use": True, "contains_personal_data": False},
            "derived_from": [{"dataset_version_id": raw["id"], "step": "clean-v3"}],
        },
    )
    feats = [
        await _do(
            services,
            "register_feature",
            {
                "project": "credit-risk",
                "name": name,
                "dtype": dtype,
                "definition": definition,
                "source_dataset_version_id": clean["id"],
            },
        )
        for name, dtype, definition in (
            ("debt_to_income", "float", "monthly debt / monthly income"),
            ("months_employed", "integer", "months at current employer"),
            ("bureau_score", "integer", "external bureau score, latest"),
        )
    ]
    model = {
        "name": "credit-default",
        "description": "Probability of default within 12 months",
        "owners": ["pat"],
        "owner_teams": ["risk"],
        "domain": "finance",
        "task": "classification",
        "tags": ["gbm", "tabular"],
        "licence": "proprietary-internal",
        "regulatory": ["GDPR", "FCRA"],
        "intended_use": "Pre-screening of retail loan applications; not for automated rejection",
        "project": "credit-risk",
        # Classified custom properties: the owners (team risk) read the contact, others see the marker.
        "custom": {
            "review_cycle": "annual",
            "validation_contact": {"value": "Ana Ruiz, model risk", "classification": "confidential"},
        },
    }
    await _do(services, "create_model", model)
    for number, (f1, auc, depth) in enumerate(((0.81, 0.90, 4), (0.86, 0.93, 6), (0.84, 0.92, 8)), start=1):
        run = await _do(
            services,
            "start_run",
            {
                "experiment_id": exp["id"],
                "name": f"gbm-depth-{depth}",
                "params": {"max_depth": depth, "lr": 0.05},
                "inputs": [clean["id"], *[f["id"] for f in feats]],
                "code_version": f"git:4f2c{number}a1",
                "environment": {
                    "framework": "lightgbm",
                    "framework_version": "4.5.0",
                    "hardware": "8 vCPU",
                    "container_image": "registry.local/train:2026.10",
                    "python_version": "3.11",
                },
                "notes": f"Depth {depth}; early stopping on holdout",
            },
            bot,
        )
        await _do(services, "finish_run", {"run_id": run["id"], "metrics": {"f1": f1, "auc": auc}}, bot)
        await _do(
            services,
            "register_model_version",
            {
                "model": "credit-default",
                "run_id": run["id"],
                "notes": f"depth {depth}",
                "artifact": {
                    "uri": f"s3://models/credit-default/{number}/model.txt",
                    "digest": DIGEST,
                    "size": 184_320 + number,
                    "format": "lightgbm",
                },
                "feature_importance": [
                    {"feature": "bureau_score", "score": 0.52},
                    {"feature": "debt_to_income", "score": 0.31},
                    {"feature": "months_employed", "score": 0.17},
                ],
            },
            bot,
        )
    await _do(services, "move_alias", {"model": "credit-default", "alias": "staging", "version": 1})
    await asyncio.sleep(0.01)
    await _do(
        services,
        "move_alias",
        {"model": "credit-default", "alias": "production", "version": 2, "reason": "best holdout F1"},
    )
    await _do(services, "move_alias", {"model": "credit-default", "alias": "staging", "version": 3})


def _write_keys(path: Path, keys: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    path.write_text("".join(f"{n}={k}\n" for n, k in keys.items()))


async def _history(services: Services, bot: RequestMeta) -> None:
    """Evaluations over time (the latest of v3 annotated), a production deployment whose canary
    was rolled back, live health and a drift flag, so every history query has something to show."""
    holdout = await _dataset_version_id(services, "loan-applications-clean")
    now = datetime.now(UTC)
    for version, scores in ((1, (0.80, 0.81, 0.79)), (2, (0.85, 0.86, 0.84)), (3, (0.84, 0.83, 0.82))):
        for week, f1 in enumerate(scores):
            latest = await _do(
                services,
                "record_evaluation",
                {
                    "model": "credit-default",
                    "version": version,
                    "dataset_version_id": holdout,
                    "metrics": {"f1": f1, "auc": round(f1 + 0.07, 3)},
                    "evaluator": "eval-pipeline",
                    "method": "holdout, stratified by region",
                    "evaluated_at": now - timedelta(days=21 - 7 * week),
                },
                bot,
            )
    await _do(services, "annotate", {"target_id": latest["id"], "text": "bureau feed changed its score scale upstream"})
    await _do(
        services,
        "record_evaluation",
        {
            "model": "credit-default",
            "version": 2,
            "dataset_version_id": holdout,
            "slice": "region=EU",
            "metrics": {"f1": 0.83},
            "evaluator": "eval-pipeline",
            "evaluated_at": now - timedelta(days=1),
        },
        bot,
    )
    deployment = await _do(
        services,
        "create_deployment",
        {
            "model": "credit-default",
            "name": "credit-default-prod",
            "owners": ["trainer-bot", "pat"],
            "environment": {"tier": "production", "region": "eu-west", "cluster": "serving-1"},
            "endpoint": "https://scoring.internal/credit-default",
            "max_concurrency": 64,
            "serving": [{"version": 2, "traffic_percent": 100}],
            "rollback_version": 1,
        },
        bot,
    )
    dep = deployment["id"]
    await _do(
        services,
        "record_deployment_event",
        {"deployment_id": dep, "type": "canary_started", "version": 3, "traffic_percent": 10},
        bot,
    )
    await _do(
        services,
        "record_deployment_event",
        {
            "deployment_id": dep,
            "type": "rolled_back",
            "reason": "canary p95 latency 840 ms vs 210 ms on version 2; error rate doubled",
        },
        bot,
    )
    # The last minutes of traffic: samples may start up to CREATION_GRACE before the deployment.
    live = datetime.now(UTC)
    samples = [
        {
            "deployment_id": dep,
            "at": live - timedelta(minutes=m),
            "latency_p50_ms": 42 + m,
            "latency_p95_ms": 180 + 4 * m,
            "latency_p99_ms": 260 + 6 * m,
            "error_rate": 0.002,
            "request_rate": 120.0,
            "cpu": 0.35,
            "memory_mb": 910.0,
        }
        for m in range(9, -1, -1)
    ]
    await _do(services, "report_health", {"samples": samples}, bot)
    await _do(
        services,
        "record_feedback",
        {
            "model": "credit-default",
            "version": 2,
            "kind": "drift",
            "statistic": "psi_bureau_score",
            "value": 0.27,
            "threshold": 0.2,
            "deployment_id": dep,
            "slice": "region=EU",
        },
        bot,
    )


async def _pending_review(services: Services) -> None:
    """A publisher asks to promote version 3 to production: policy files a review and the demo
    leaves it pending, so an approver has something in the reviews inbox."""
    pat = RequestMeta(actor=Actor(id="pat", name="pat", roles=("publisher",), teams=("risk",)), request_id="demo")
    promote = MoveAlias(model="credit-default", alias="production", version=3, reason="deeper trees, fresher data")
    outcome = await execute(services, pat, promote)
    assert outcome.review is not None, "promoting to production as a publisher should need a review"


async def _dataset_version_id(services: Services, dataset: str) -> str:
    found = await rows(services.driver, services.settings.neo4j_database, DATASET_VERSION_ID, name=dataset)
    return str(found[0]["id"])
