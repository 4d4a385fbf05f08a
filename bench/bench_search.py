"""Search benchmark: generate a synthetic registry (bench=true nodes), time four query shapes
through the real SearchRepo, print p50/p95 and the PROFILE of scenario (b), then clear the data.

    MODELGRAPH_PROFILE=test .venv/bin/python bench/bench_search.py --versions 10000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from app.config import load_settings
from app.domain import search as s
from app.graph.driver import open_driver
from app.graph.search_queries import REFRESH_METRIC_SCORES, REFRESH_SEARCH_DOCS
from app.graph.search_repo import Compiled, SearchRepo, page_query

DOMAINS = ["finance", "healthcare", "retail", "insurance", "telecom", "energy", "logistics", "advertising"]
TASKS = [
    "classification",
    "binary-classification",
    "regression",
    "forecasting",
    "ranking",
    "natural-language-processing",
    "computer-vision",
    "anomaly-detection",
]
LICENCES = ["Apache-2.0", "MIT", "BSD-3-Clause", "proprietary-internal"]
FRAMEWORKS = ["xgboost", "sklearn", "pytorch", "tensorflow", "lightgbm"]
WORDS = [
    "fraud",
    "churn",
    "credit",
    "transformer",
    "gradient",
    "boosted",
    "embedding",
    "baseline",
    "retrained",
    "holdout",
    "drift",
    "calibrated",
    "ensemble",
    "sentiment",
    "forecast",
    "vision",
]
VERSIONS_PER_MODEL = 10

GEN_DATA = """
UNWIND $rows AS row
CREATE (d:DatasetVersion {id: row.id, bench: true, dataset_name: row.name, data_domain: row.domain,
        contains_personal_data: row.pii, description: row.description, version: 1, dataset_id: row.id})
"""
GEN_MODELS = """
UNWIND $rows AS row
CREATE (m:Model {id: row.id, bench: true, name: row.name, description: row.description, domain: row.domain,
        task: row.task, licence: row.licence, tags: row.tags, owners: ['alice'], owner_teams: [row.team],
        regulatory: row.regulatory, created_at: $at, updated_at: $at, seq: 10})
"""
GEN_VERSIONS = """
UNWIND $rows AS row
MATCH (m:Model {id: row.model_id})
MATCH (d:DatasetVersion {id: row.data_id})
MATCH (h:DatasetVersion {id: $holdout})
CREATE (r:Run {id: row.run_id, bench: true, name: row.run_id, notes: row.notes, framework: row.framework,
        duration_seconds: row.duration, `metric.f1_score`: row.f1, created_at: row.at})
CREATE (v:ModelVersion {id: row.id, bench: true, model_id: m.id, model_name: m.name, version: row.n,
        run_id: r.id, status: 'READY', notes: row.notes, created_at: row.at, updated_at: row.at,
        `fi.amount`: row.importance})
CREATE (v)-[:VERSION_OF]->(m), (v)-[:TRAINED_BY]->(r), (r)-[:USED]->(d)
CREATE (e:Evaluation {id: row.eval_id, bench: true, model_id: m.id, model_name: m.name, version: row.n,
        version_id: row.id, evaluated_at: row.at, `metric.f1`: row.eval_f1})-[:OF]->(v)
CREATE (e)-[:ON]->(h)
FOREACH (_ IN CASE WHEN row.alias THEN [1] ELSE [] END |
  CREATE (a:Alias {id: row.alias_id, bench: true, model_id: m.id, name: 'production'})
  CREATE (a)-[:POINTS_TO {since: row.at}]->(v))
"""
CLEAR = "MATCH (n) WHERE n.bench = true CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
# The fixture's ranked metric scores (built by the write path's query, which does not mark them).
CLEAR_SCORES = (
    "MATCH (n:MetricScore) WHERE n.version_id STARTS WITH 'mv_bs' CALL (n) { DELETE n } IN TRANSACTIONS OF 5000 ROWS"
)

SCENARIOS: dict[str, dict[str, Any]] = {
    "a_text_only": {"text": "fraud transformer", "text_mode": "LUCENE"},
    "b_text_3_filters_4_facets": {
        "text": "fraud",
        "filters": [
            {
                "all_of": [
                    {"field": "DOMAIN", "op": "EQ", "value": "finance"},
                    {"field": "LICENCE", "op": "EQ", "value": "Apache-2.0"},
                    {"field": "FRAMEWORK", "op": "IN", "values": ["xgboost", "lightgbm"]},
                ]
            }
        ],
        "facets": ["DOMAIN", "TASK", "FRAMEWORK", "ALIAS"],
    },
    "c_metric_and_alias": {
        "filters": [{"all_of": [{"field": "ALIAS", "op": "EQ", "value": "production"}]}],
        "metrics": [{"name": "f1", "op": "GTE", "value": 0.8, "dataset": "bench-holdout"}],
    },
}


async def generate(driver: Any, db: str, versions: int) -> None:
    rnd = random.Random(42)
    now = datetime.now(UTC)
    data = [
        {
            "id": f"dsv_bs{i}",
            "name": f"bench-data-{i}",
            "domain": rnd.choice(DOMAINS),
            "pii": rnd.random() < 0.3,
            "description": " ".join(rnd.sample(WORDS, 3)),
        }
        for i in range(50)
    ]
    data.append(
        {"id": "dsv_bsholdout", "name": "bench-holdout", "domain": "finance", "pii": False, "description": "holdout"}
    )
    await driver.execute_query(GEN_DATA, rows=data, database_=db)
    n_models = max(1, versions // VERSIONS_PER_MODEL)
    models = [
        {
            "id": f"mdl_bs{i}",
            "name": f"bench-model-{i}",
            "domain": rnd.choice(DOMAINS),
            "task": rnd.choice(TASKS),
            "licence": rnd.choice(LICENCES),
            "team": f"team-{i % 20}",
            "tags": rnd.sample(WORDS, 2),
            "regulatory": rnd.sample(["GDPR", "HIPAA", "SOX"], rnd.randint(0, 2)),
            "description": " ".join(rnd.sample(WORDS, 5)),
        }
        for i in range(n_models)
    ]
    for i in range(0, len(models), 2000):
        await driver.execute_query(GEN_MODELS, rows=models[i : i + 2000], at=now, database_=db)
    rows = []
    for i in range(versions):
        m, n = divmod(i, VERSIONS_PER_MODEL)
        rows.append(
            {
                "id": f"mv_bs{i}",
                "run_id": f"run_bs{i}",
                "eval_id": f"eval_bs{i}",
                "alias_id": f"als_bs{m}",
                "model_id": f"mdl_bs{m}",
                "n": n + 1,
                "data_id": f"dsv_bs{rnd.randrange(50)}",
                "notes": " ".join(rnd.sample(WORDS, 4)),
                "framework": rnd.choice(FRAMEWORKS),
                "duration": rnd.randint(60, 20000),
                "f1": rnd.random(),
                "eval_f1": rnd.random(),
                "importance": rnd.random(),
                "alias": n == VERSIONS_PER_MODEL - 1,
                "at": now - timedelta(minutes=versions - i),
            }
        )
    for i in range(0, len(rows), 2000):
        await driver.execute_query(GEN_VERSIONS, rows=rows[i : i + 2000], holdout="dsv_bsholdout", database_=db)
        # The write path keeps each version's search document current; bulk fixtures build it here.
        await driver.execute_query(REFRESH_SEARCH_DOCS, ids=[r["id"] for r in rows[i : i + 2000]], database_=db)
        await driver.execute_query(REFRESH_METRIC_SCORES, ids=[r["id"] for r in rows[i : i + 2000]], database_=db)
    await driver.execute_query("CALL db.awaitIndexes(300)", database_=db)


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


async def timed(repo: SearchRepo, raw: dict[str, Any], runs: int) -> list[float]:
    req = s.request(raw)
    warm = await repo.search(req, [])  # warm-up (plan cache)
    print(f"  total hits {warm.total}, page {len(warm.hits)}")
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        await repo.search(req, [])
        out.append((time.perf_counter() - start) * 1000)
    return out


async def page_50(repo: SearchRepo, runs: int) -> list[float]:
    """Walk to page 50 (size 20) once to get its cursor, then time fetching that page."""
    raw: dict[str, Any] = {"first": 20}
    for _ in range(49):
        result = await repo.search(s.request(raw), [])
        raw = {"first": 20, "after": result.end_cursor}
    return await timed(repo, raw, runs)


async def main(versions: int, runs: int, keep: bool) -> None:
    settings = load_settings("test")
    driver = open_driver(settings)
    db = settings.neo4j_database
    try:
        await clear(driver, db)
        t0 = time.perf_counter()
        await generate(driver, db, versions)
        print(f"generated {versions} versions in {time.perf_counter() - t0:.1f}s")
        repo = SearchRepo(driver, db)
        for name, raw in SCENARIOS.items():
            report(name, await timed(repo, raw, runs))
        report("d_page_50", await page_50(repo, runs))
        out = Compiled()
        cypher = page_query(s.request(SCENARIOS["b_text_3_filters_4_facets"]), [], out)
        _, summary, _ = await driver.execute_query("PROFILE " + cypher, out.params, database_=db)  # type: ignore[arg-type]
        print(summary.profile and plan_text(summary.profile))
    finally:
        if not keep:
            await clear(driver, db)
        await driver.close()


async def clear(driver: Any, db: str) -> None:
    """CALL ... IN TRANSACTIONS needs an auto-commit transaction, not a managed one."""
    async with driver.session(database=db) as session:
        await (await session.run(CLEAR)).consume()
        await (await session.run(CLEAR_SCORES)).consume()


def report(name: str, samples: list[float]) -> None:
    print(f"{name:28s} p50 {statistics.median(samples):7.1f} ms   p95 {pct(samples, 0.95):7.1f} ms")


def plan_text(plan: dict[str, Any], depth: int = 0) -> str:
    args = plan.get("args", {})
    line = (
        f"{'  ' * depth}{plan.get('operatorType')} rows={plan.get('rows')} "
        f"dbHits={plan.get('dbHits')} {args.get('Details', '')}"
    )
    return "\n".join([line, *(plan_text(c, depth + 1) for c in plan.get("children", []))])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="leave the bench data in place")
    args = parser.parse_args()
    asyncio.run(main(args.versions, args.runs, args.keep))
