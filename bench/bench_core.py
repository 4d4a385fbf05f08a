"""Provenance-core benchmark: registration throughput, lineage latency, version listing.

Generates a synthetic registry (nodes marked bench=true) with realistic fan-in/fan-out:
datasets with derivation chains, features computed from them, runs using several inputs,
models with many versions. Then measures through the real code paths (execute(), lineage(),
CoreReader) and clears its data.

    MODELGRAPH_PROFILE=test .venv/bin/python bench/bench_core.py --versions 10000
    MODELGRAPH_PROFILE=test .venv/bin/python bench/bench_core.py --versions 100000 --runs 10000 --datasets 1000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime
from typing import Any

from common import line, timed  # bench/ is on sys.path when run as a script

from app.config import load_settings
from app.graph.core_reads import CoreReader
from app.graph.lineage import LineageRequest, lineage
from app.registry.actor import Actor, RequestMeta
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.services import Services

BATCH = 5000
GEN_DATASETS = """
UNWIND $rows AS row
CREATE (d:DatasetVersion {id: row.id, bench: true, dataset_id: row.ds, dataset_name: row.ds, version: row.n,
        source_uri: row.uri, data_domain: 'finance', training_allowed: true, commercial_use: true,
        contains_personal_data: false, created_at: $at})
WITH d, row WHERE row.parent IS NOT NULL
MATCH (p:DatasetVersion {id: row.parent})
CREATE (d)-[:DERIVED_FROM {step: 'clean', since: $at}]->(p)
"""
GEN_FEATURES = """
UNWIND $rows AS row
MATCH (d:DatasetVersion {id: row.source})
CREATE (f:Feature {id: row.id, bench: true, name: row.id, dtype: 'float', created_at: $at})
CREATE (f)-[:COMPUTED_FROM {since: $at}]->(d)
"""
GEN_RUNS = """
UNWIND $rows AS row
CREATE (r:Run {id: row.id, bench: true, status: 'FINISHED', `metric.f1`: row.f1, created_at: $at})
WITH r, row
UNWIND row.inputs AS input_id
MATCH (n {id: input_id}) WHERE n:DatasetVersion OR n:Feature
CREATE (r)-[:USED {since: $at}]->(n)
"""
GEN_MODELS = """
UNWIND $rows AS row
CREATE (m:Model {id: row.id, bench: true, name: row.id, seq: row.versions, status: 'ACTIVE', revision: 1,
        created_at: $at})
"""
GEN_VERSIONS = """
UNWIND $rows AS row
MATCH (m:Model {id: row.model})
MATCH (r:Run {id: row.run})
CREATE (v:ModelVersion {id: row.id, bench: true, model_id: m.id, model_name: m.name, version: row.n,
        run_id: r.id, status: 'READY', artifact_digest: $digest, created_at: $at, revision: 1})
CREATE (v)-[:VERSION_OF {since: $at}]->(m), (v)-[:TRAINED_BY {since: $at}]->(r)
"""
CLEAR = "MATCH (n) WHERE n.bench = true CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
DIGEST = "sha256:" + "be" * 32
ADMIN = RequestMeta(actor=Actor(id="bench", name="bench", roles=("admin",)), request_id="bench")


async def write_batches(services: Services, query: str, rows: list[dict[str, Any]]) -> None:
    at = datetime.now(UTC)
    for start in range(0, len(rows), BATCH):
        await services.driver.execute_query(
            query,
            {
                "rows": rows[start : start + BATCH],
                "at": at,
                "digest": DIGEST,
            },
            database_=services.settings.neo4j_database,
        )


async def generate(services: Services, datasets: int, runs: int, versions: int, per_model: int) -> dict[str, Any]:
    rng = random.Random(7)
    dsv = [
        {
            "id": f"dsv_b{i}",
            "ds": f"bench-ds-{i // 3}",
            "n": i % 3 + 1,
            "uri": f"s3://bench/{i}",
            "parent": f"dsv_b{i - 1}" if i % 3 else None,
        }
        for i in range(datasets)
    ]
    feats = [{"id": f"feat_b{i}", "source": f"dsv_b{rng.randrange(datasets)}"} for i in range(datasets * 2)]
    run_rows = [
        {
            "id": f"run_b{i}",
            "f1": rng.random(),
            "inputs": [f"dsv_b{rng.randrange(datasets)}" for _ in range(2)]
            + [f"feat_b{rng.randrange(len(feats))}" for _ in range(3)],
        }
        for i in range(runs)
    ]
    models = max(1, versions // per_model)
    model_rows = [{"id": f"mdl_b{i}", "versions": per_model} for i in range(models)]
    version_rows = [
        {"id": f"mv_b{i}", "model": f"mdl_b{i % models}", "n": i // models + 1, "run": f"run_b{rng.randrange(runs)}"}
        for i in range(versions)
    ]
    for query, rows in (
        (GEN_DATASETS, dsv),
        (GEN_FEATURES, feats),
        (GEN_RUNS, run_rows),
        (GEN_MODELS, model_rows),
        (GEN_VERSIONS, version_rows),
    ):
        await write_batches(services, query, rows)
    return {"datasets": datasets, "models": models, "runs": runs, "versions": versions}


async def registration(services: Services, count: int, concurrency: int, batch: int = 1) -> float:
    """Versions/s through the full write path (validation, OPA, audit, idempotency)."""
    core = CoreReader(services.driver, services.settings.neo4j_database)
    label = f"{concurrency}-{batch}"
    await execute(services, ADMIN, command_from("create_project", {"name": f"bench-reg-{label}"}))
    experiment = command_from("create_experiment", {"project": f"bench-reg-{label}", "name": "e"})
    exp = await execute(services, ADMIN, experiment)
    run = await execute(services, ADMIN, command_from("start_run", {"experiment_id": (exp.result or {})["id"]}))
    run_id = (run.result or {})["id"]
    await execute(services, ADMIN, command_from("finish_run", {"run_id": run_id, "metrics": {"f1": 0.9}}))
    name = f"bench-reg-model-{label}"
    await execute(services, ADMIN, command_from("create_model", {"name": name, "licence": "MIT"}))
    payload = {"model": name, "run_id": run_id, "artifact": {"uri": "s3://b", "digest": DIGEST}}
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            if batch > 1:
                items = [{k: v for k, v in payload.items() if k != "model"}] * batch
                versions = command_from("register_model_versions", {"model": name, "versions": items})
                await execute(services, ADMIN, versions)
            else:
                await execute(services, ADMIN, command_from("register_model_version", payload))

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(count // batch)))
    elapsed = time.perf_counter() - started
    model = await core.model_by_name(name)
    assert model is not None and model.version_count == count // batch * batch, "lost or duplicated version numbers"
    return count / elapsed


async def reads(services: Services, shape: dict[str, Any], samples: int) -> list[str]:
    db = services.settings.neo4j_database
    rng = random.Random(11)
    core = CoreReader(services.driver, db)
    out = []
    for hops in (3, 5):
        up = [
            lambda v=f"mv_b{rng.randrange(shape['versions'])}", h=hops: lineage(
                services.driver, db, LineageRequest(v, ("UPSTREAM",), h, None, None)
            )
            for _ in range(samples)
        ]
        out.append(line(f"lineage upstream from a version, {hops} hops", await timed(up)))
        down = [
            lambda d=f"dsv_b{rng.randrange(shape['datasets'])}", h=hops: lineage(
                services.driver, db, LineageRequest(d, ("DOWNSTREAM",), h, None, None)
            )
            for _ in range(samples)
        ]
        out.append(line(f"lineage downstream from a dataset, {hops} hops", await timed(down)))
    first = [
        lambda m=f"mdl_b{rng.randrange(shape['models'])}": core.versions_of_models([m], None, 21)
        for _ in range(samples)
    ]
    out.append(line("version listing, first page of 20", await timed(first)))
    deep = [
        lambda m=f"mdl_b{rng.randrange(shape['models'])}": core.versions_of_models([m], 25, 21) for _ in range(samples)
    ]
    out.append(line("version listing, page after version 25", await timed(deep)))
    return out


async def main(args: argparse.Namespace) -> None:
    services = await Services.open(load_settings())
    try:
        started = time.perf_counter()
        shape = await generate(services, args.datasets, args.runs, args.versions, args.per_model)
        print(f"generated {shape} in {time.perf_counter() - started:.1f}s")
        for line_text in await reads(services, shape, args.samples):
            print(line_text)
        print(f"registration, one at a time:   {await registration(services, args.register, 1):7.1f} versions/s")
        print(f"registration, 16 concurrent:   {await registration(services, args.register, 16):7.1f} versions/s")
        batched = await registration(services, args.register * 5, 1, 100)
        print(f"registration, batches of 100:  {batched:7.1f} versions/s")
    finally:
        async with services.driver.session(database=services.settings.neo4j_database) as session:
            await (await session.run(CLEAR)).consume()
            await (await session.run("MATCH (n) WHERE n.created_by = 'bench' DETACH DELETE n")).consume()
            await (await session.run("MATCH (a:Artifact) WHERE NOT (a)<-[:STORED_AS]-() DELETE a")).consume()
        await services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2_000)
    parser.add_argument("--datasets", type=int, default=300)
    parser.add_argument("--per-model", type=int, default=50)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--register", type=int, default=200)
    asyncio.run(main(parser.parse_args()))
