"""Benchmarks for performance history and deployment status (issue 6).

  MODELGRAPH_PROFILE=test .venv/bin/python bench/bench_history.py            # full size
  MODELGRAPH_PROFILE=test .venv/bin/python bench/bench_history.py --evals 2000 --deployments 200 --events 20000

1. health ingestion throughput: batches through the real command path (validation, OPA,
   one transaction with roll-up + audit), while performanceHistory queries run concurrently;
2. performanceHistory p95 for one version with --evals evaluations;
3. "in production at T" p95 over --deployments production deployments with --events events.

Seeding bulk data uses the UNWIND statements below (bench-only fixtures, not an app code path);
everything measured goes through app code. Data lives under a fresh model name; nothing is wiped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, LiteralString

from app.config import load_settings
from app.graph.history_reads import HistoryReader
from app.registry import lookups
from app.registry.actor import Actor, RequestMeta
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.services import Services

ADMIN = RequestMeta(actor=Actor(id="bench", name="bench", roles=("admin",)), request_id="bench")
T0 = datetime.now(UTC) - timedelta(days=30)

SEED_EVALUATIONS: LiteralString = """
MATCH (v:ModelVersion {model_id: $model_id, version: 1})
UNWIND range(0, $n - 1) AS i
CREATE (e:Evaluation {id: 'eval_' + $tag + '_' + i, model_id: v.model_id, model_name: v.model_name,
        version: 1, version_id: v.id, evaluated_at: $t0 + duration({seconds: i * 60}), created_at: $t0,
        `metric.f1`: 0.8 + (i % 100) / 1000.0})
CREATE (e)-[:OF]->(v)
"""
SEED_DEPLOYMENTS: LiteralString = """
MATCH (v:ModelVersion {model_id: $model_id})
WITH collect(v) AS versions
UNWIND range(0, $deployments - 1) AS d
CREATE (dep:Deployment {id: 'dep_' + $tag + '_' + d, name: 'bench-' + d, environment: 'production',
        environment_name: 'production/bench', model_id: $model_id, desired_state: 'DEPLOYED', seq: $per})
WITH dep, versions
UNWIND range(0, $per - 1) AS k
WITH dep, versions, k, $t0 + duration({minutes: k * 10}) AS since
CREATE (ev:DeploymentEvent {id: 'devt_' + dep.id + '_' + k, deployment_id: dep.id, seq: k + 1,
        type: 'traffic_shifted', occurred_at: since, created_at: since})-[:FOR]->(dep)
WITH dep, versions, k, since
WITH dep, versions[k % size(versions)] AS v, since,
     CASE WHEN k = $per - 1 THEN null ELSE since + duration({minutes: 10}) END AS until
CREATE (dep)-[:SERVES {trafficPercent: 100.0, since: since, until: until, deployment_id: dep.id,
                       current: CASE WHEN until IS NULL THEN true END}]->(v)
"""


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


async def setup(services: Services, tag: str) -> dict[str, Any]:
    async def run(name: str, payload: dict[str, Any]) -> dict[str, Any]:
        out = await execute(services, ADMIN, command_from(name, payload))
        assert out.result is not None, out
        return out.result

    await run("create_project", {"name": f"bench-{tag}"})
    exp = await run("create_experiment", {"name": "e", "project": f"bench-{tag}"})
    dsv = await run(
        "register_dataset_version",
        {
            "dataset": f"bench-{tag}",
            "source_uri": "s3://b",
            "usage_rights": {"training_allowed": True, "commercial_use": True, "contains_personal_data": False},
        },
    )
    await run("create_model", {"name": f"bench-{tag}", "project": f"bench-{tag}", "licence": "Apache-2.0"})
    for _ in range(3):
        r = await run("start_run", {"experiment_id": exp["id"], "inputs": [dsv["id"]]})
        await run("finish_run", {"run_id": r["id"], "metrics": {"f1": 0.9}})
        await run(
            "register_model_version",
            {"model": f"bench-{tag}", "run_id": r["id"], "artifact": {"uri": "s3://m", "digest": "sha256:" + "b" * 64}},
        )
    model = await lookups.model_named(services, f"bench-{tag}")
    dep = await run(
        "create_deployment",
        {
            "name": f"bench-{tag}",
            "model": f"bench-{tag}",
            "owners": ["bench"],
            "environment": {"tier": "staging"},
            "serving": [{"version": 1}],
        },
    )
    return {"model_id": model.id, "model": f"bench-{tag}", "deployment_id": dep["id"]}


async def seed(services: Services, ctx: dict[str, Any], tag: str, evals: int, deployments: int, events: int) -> None:
    db = services.settings.neo4j_database
    await services.driver.execute_query(
        SEED_EVALUATIONS, model_id=ctx["model_id"], n=evals, tag=tag, t0=T0, database_=db
    )
    per = max(1, events // deployments)
    for start in range(0, deployments, 100):
        await services.driver.execute_query(
            SEED_DEPLOYMENTS,
            model_id=ctx["model_id"],
            tag=f"{tag}_{start}",
            deployments=min(100, deployments - start),
            per=per,
            t0=T0,
            database_=db,
        )


async def timed(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


async def ingest(services: Services, ctx: dict[str, Any], batches: int, size: int) -> float:
    now = datetime.now(UTC)
    start = time.perf_counter()
    for b in range(batches):
        samples = [
            {
                "deployment_id": ctx["deployment_id"],
                # Within the grace before the deployment's creation (it was created just now).
                "at": (now - timedelta(seconds=(b * size + i) % 540)),
                "latency_p95_ms": 100.0 + i % 50,
                "error_rate": 0.001,
                "request_rate": 20.0,
            }
            for i in range(size)
        ]
        await execute(services, ADMIN, command_from("report_health", {"samples": samples}))
    return batches * size / (time.perf_counter() - start)


async def main(args: argparse.Namespace) -> None:
    services = await Services.open(load_settings(os.environ.get("MODELGRAPH_PROFILE", "test")))
    tag = uuid.uuid4().hex[:8]
    try:
        ctx = await setup(services, tag)
        await seed(services, ctx, tag, args.evals, args.deployments, args.events)
        reader = HistoryReader(services.driver, services.settings.neo4j_database)
        end = T0 + timedelta(days=60)

        async def history() -> None:
            points = await reader.performance_history(ctx["model_id"], "f1", T0, end, version=1)
            assert len(points) == min(args.evals, 10_000)

        async def at_t() -> None:  # halfway through the recorded history: half the spans end after T
            await reader.in_production_at(T0 + timedelta(minutes=5 * args.events // args.deployments), ctx["model"])

        async def at_now() -> None:  # the common question: what serves right now
            await reader.in_production_at(datetime.now(UTC), ctx["model"])

        async def background() -> None:
            await timed(history, args.repeat)

        bg = asyncio.create_task(background())
        rate = await ingest(services, ctx, args.batches, args.batch_size)
        await bg
        hist = await timed(history, args.repeat)
        prod = await timed(at_t, args.repeat)
        prod_now = await timed(at_now, args.repeat)
        print(
            f"health ingestion: {rate:,.0f} samples/s ({args.batches} batches x {args.batch_size}, "
            f"with performanceHistory queries running)"
        )
        print(
            f"performanceHistory ({args.evals} evaluations, one version): p50 {statistics.median(hist):.1f} ms, "
            f"p95 {p95(hist):.1f} ms"
        )
        print(
            f"inProductionAt ({args.deployments} deployments, {args.events} events), T mid-history: "
            f"p50 {statistics.median(prod):.1f} ms, p95 {p95(prod):.1f} ms; T = now: "
            f"p50 {statistics.median(prod_now):.1f} ms, p95 {p95(prod_now):.1f} ms"
        )
    finally:
        await services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evals", type=int, default=10_000)
    parser.add_argument("--deployments", type=int, default=1_000)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    asyncio.run(main(parser.parse_args()))
