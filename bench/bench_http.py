"""The registry as a client sees it: every row is timed over HTTP + GraphQL against a real
`modelgraph serve` process, next to a floor measured in the same run (an authenticated
`{ __typename }` and `/healthz`), so each row is also a ratio to the floor.

    MODELGRAPH_PROFILE=test .venv/bin/python bench/bench_http.py --versions 2000
    MODELGRAPH_PROFILE=test .venv/bin/python bench/bench_http.py --versions 100000 --skip-writes

Fixture data comes from bench_search.generate (models of 10 versions, evaluations, production
aliases, search documents; marked bench=true) plus what the write rows register through the API.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from bench_search import clear, generate  # bench/ is on sys.path when run as a script
from common import pct

from app.config import Settings, load_settings
from app.graph.driver import open_driver
from app.web import loop_lag

DIGEST = "sha256:" + "cd" * 32
# 10k evaluations of one model, 10 versions, one every 10 minutes, ending now (bench=true).
SEED_EVALUATIONS = """
MATCH (v:ModelVersion {model_id: 'mdl_bs0'})
WITH collect(v) AS versions
UNWIND range(0, $n - 1) AS i
WITH versions[i % size(versions)] AS v, i
CREATE (e:Evaluation {id: 'eval_bh' + i, bench: true, model_id: v.model_id, model_name: v.model_name,
        version: v.version, version_id: v.id, evaluated_at: $t0 + duration({minutes: i * 10}),
        `metric.f1`: 0.8 + (i % 100) / 1000.0})
CREATE (e)-[:OF]->(v)
"""
EVALUATIONS = 10_000
# 1,000 production deployments of one model, each moved between its versions 100 times, every
# 10 minutes since $t0: 100k events and serving spans, the last span of each still open.
SEED_DEPLOYMENTS = """
MATCH (v:ModelVersion {model_id: 'mdl_bs1'})
WITH collect(v) AS versions
UNWIND range($first, $last) AS d
CREATE (dep:Deployment {id: 'dep_bh' + d, bench: true, name: 'bench-dep-' + d, environment: 'production',
        environment_name: 'production/bench', model_id: 'mdl_bs1', model_name: 'bench-model-1',
        desired_state: 'DEPLOYED', seq: $per})
WITH dep, versions
UNWIND range(0, $per - 1) AS k
WITH dep, versions, k, $t0 + duration({minutes: k * 10}) AS since
CREATE (ev:DeploymentEvent {id: 'devt_' + dep.id + '_' + k, bench: true, deployment_id: dep.id, seq: k + 1,
        type: 'traffic_shifted', occurred_at: since, created_at: since})-[:FOR]->(dep)
WITH dep, versions[k % size(versions)] AS v, since,
     CASE WHEN k = $per - 1 THEN null ELSE since + duration({minutes: 10}) END AS until
CREATE (dep)-[:SERVES {trafficPercent: 100.0, since: since, until: until, deployment_id: dep.id,
                       current: CASE WHEN until IS NULL THEN true END}]->(v)
"""
DEPLOYMENTS, MOVES = 1000, 100
ROOT = Path(__file__).resolve().parent.parent


# ---- the service under test --------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_service(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MODELGRAPH_PROFILE": settings.profile, "MODELGRAPH_LOG_LEVEL": "WARNING"}
    # The service's log is kept (bench/results/, git-ignored) so a run can be searched for failures.
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    log = (ROOT / "bench" / "results" / "service.log").open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "modelgraph"), "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("the service did not become ready within 60 s")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Api:
    """A GraphQL client over one keep-alive connection pool."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.retries = 0
        self.client = httpx.AsyncClient(
            base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60, limits=httpx.Limits()
        )

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}})
        return _data(response)

    async def ok(self, field: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """A mutation whose payload must be the success member. Like the SDK, it sends an idempotency
        key and retries a 503 (overloaded, or stopped at its deadline) after Retry-After with the
        same key, at most 5 times; `retries` counts them so the report can say so."""
        sent = {**variables, "i": {"idempotencyKey": uuid.uuid4().hex, **variables["i"]}}
        for attempt in range(6):
            response = await self.client.post("/graphql", json={"query": query, "variables": sent})
            if response.status_code == 503 and attempt < 5:
                self.retries += 1
                await asyncio.sleep(float(response.headers.get("retry-after") or 1))
                continue
            break
        data: dict[str, Any] = _data(response)[field]
        if data.get("__typename", "").endswith(("Error", "Required")):
            raise RuntimeError(f"{field}: {data}")
        return data

    async def close(self) -> None:
        await self.client.aclose()


def _data(response: httpx.Response) -> dict[str, Any]:
    """A GraphQL answer's data; anything but a 200 without errors stops the bench."""
    body: dict[str, Any] = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{response.status_code}: {str(body)[:300]}")
    data: dict[str, Any] = body["data"]
    return data


# ---- the operations -----------------------------------------------------------------------------
TRIVIAL = "{ __typename }"
BY_ALIAS = 'query($m: String!) { modelVersion(model: $m, alias: "production") { id version status } }'
ALIAS_HISTORY = "query($m: String!) { model(name: $m) { aliases { alias version since } } }"
SET_ALIAS = """mutation($i: SetAliasInput!) { setAlias(input: $i) { __typename
  ... on AliasSuccess { replayed } ... on ConflictError { message } ... on PermissionDeniedError { message } } }"""
SEARCH = """query($i: SearchInput!) { search(input: $i) { __typename
  ... on SearchResults { total hits { modelName version } facets { field values { value count } } } } }"""
LINEAGE = """query($i: LineageInput!) { lineage(input: $i) { truncated nodes { id kind } edges { type } } }"""
IMPACT = "query($d: ID!) { impact(datasetVersion: $d) { truncated nodes { id kind } } }"
IMPACT_PAGE = (
    "query($d: ID!) { impactedVersions(input: {datasetVersion: $d, first: 100}) "
    "{ total totalIsExact hasNextPage versions { id version } } }"
)
HISTORY = """query($i: PerformanceHistoryInput!) { performanceHistory(input: $i) { version at value } }"""
SERIES = """query($i: PerformanceSeriesInput!) { performanceSeries(input: $i) { version start count mean } }"""
IN_PRODUCTION = "query($i: InProductionAtInput!) { inProductionAt(input: $i) { deployment version } }"
IN_PRODUCTION_PAGE = (
    "query($i: InProductionAtInput!) { inProductionAtPage(input: $i, first: 100) "
    "{ edges { node { deployment version } } pageInfo { endCursor } } }"
)
START_RUN = "mutation($i: StartRunInput!) { startRun(input: $i) { __typename ... on RunSuccess { run { id } } } }"
FINISH_RUN = "mutation($i: FinishRunInput!) { finishRun(input: $i) { __typename } }"
REGISTER = """mutation($i: RegisterModelVersionInput!) { registerModelVersion(input: $i) { __typename
  ... on ModelVersionSuccess { replayed } } }"""
REGISTER_MANY = """mutation($i: RegisterModelVersionsInput!) { registerModelVersions(input: $i) { __typename } }"""
CREATE = {
    "createProject": "mutation($i: CreateProjectInput!) { createProject(input: $i) { __typename } }",
    "createExperiment": """mutation($i: CreateExperimentInput!) { createExperiment(input: $i) { __typename
      ... on ExperimentSuccess { experiment { id } } } }""",
    "createModel": "mutation($i: CreateModelInput!) { createModel(input: $i) { __typename } }",
}


def search_rows(model: str) -> dict[str, tuple[str, dict[str, Any]]]:
    by = {"field": "ALIAS", "op": "EQ", "value": "production"}
    return {
        "search by name": (
            SEARCH,
            {"i": {"anyOf": [{"allOf": [{"field": "MODEL_NAME", "op": "EQ", "value": model}]}]}},
        ),
        "search by tag": (SEARCH, {"i": {"anyOf": [{"allOf": [{"field": "TAG", "op": "EQ", "value": "drift"}]}]}}),
        "search by name + tag": (
            SEARCH,
            {
                "i": {
                    "anyOf": [
                        {
                            "allOf": [
                                {"field": "MODEL_NAME", "op": "EQ", "value": model},
                                {"field": "TAG", "op": "EQ", "value": "drift"},
                            ]
                        }
                    ]
                }
            },
        ),
        "text + 3 filters + 4 facets": (
            SEARCH,
            {
                "i": {
                    "text": "fraud",
                    "anyOf": [
                        {
                            "allOf": [
                                {"field": "DOMAIN", "op": "EQ", "value": "finance"},
                                {"field": "LICENCE", "op": "EQ", "value": "Apache-2.0"},
                                {"field": "FRAMEWORK", "op": "IN", "values": ["xgboost", "lightgbm"]},
                            ]
                        }
                    ],
                    "facets": ["DOMAIN", "TASK", "FRAMEWORK", "ALIAS"],
                }
            },
        ),
        "metric threshold + alias filter": (
            SEARCH,
            {
                "i": {
                    "anyOf": [{"allOf": [by]}],
                    "metrics": [{"name": "f1", "op": "GTE", "value": 0.8, "dataset": "bench-holdout"}],
                }
            },
        ),
        "top 10 by a metric": (
            SEARCH,
            {"i": {"sort": {"by": "METRIC", "metric": "f1", "dataset": "bench-holdout"}, "first": 10}},
        ),
    }


def history_range(now: datetime, points: int) -> dict[str, Any]:
    """The newest `points` of the seeded evaluations (one every 10 minutes)."""
    since = now - timedelta(minutes=10 * points - 5)
    return {"model": "bench-model-0", "metric": "f1", "from": since.isoformat(), "to": now.isoformat()}


def read_rows(versions: int) -> dict[str, tuple[str, dict[str, Any]]]:
    model = f"bench-model-{max(0, versions // 10 - 1)}"
    now = datetime.now(UTC)
    rows: dict[str, tuple[str, dict[str, Any]]] = {
        "version by alias": (BY_ALIAS, {"m": model}),
        "alias history": (ALIAS_HISTORY, {"m": model}),
        **search_rows(model),
        "upstream lineage depth 5": (LINEAGE, {"i": {"start": f"mv_bs{versions - 1}", "maxHops": 5}}),
        "impact of a dataset": (IMPACT, {"d": "dsv_bs7"}),
        "impact of a dataset, `impactedVersions` first 100 + total": (IMPACT_PAGE, {"d": "dsv_bs7"}),
        "performanceHistory, 1,000 points": (HISTORY, {"i": history_range(now, 1000)}),
        "performanceSeries, 10k evaluations by day": (
            SERIES,
            {"i": {**history_range(now, 10_000), "resolution": "DAY"}},
        ),
        "in production at T = now (1k deployments, 100k spans)": (
            IN_PRODUCTION,
            {"i": {"at": now.isoformat(), "model": "bench-model-1"}},
        ),
        "in production at T mid-history": (
            IN_PRODUCTION,
            {"i": {"at": (now - timedelta(minutes=10 * MOVES // 2)).isoformat(), "model": "bench-model-1"}},
        ),
        "in production at T mid-history, page of 100": (
            IN_PRODUCTION_PAGE,
            {"i": {"at": (now - timedelta(minutes=10 * MOVES // 2)).isoformat(), "model": "bench-model-1"}},
        ),
    }
    return rows


# ---- measuring ------------------------------------------------------------------------------------
async def sample(call: Callable[[], Coroutine[Any, Any, Any]], rounds: int) -> list[float]:
    await call()  # warm-up: plan caches, connection
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        await call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def report(name: str, samples: list[float], floor: float) -> str:
    p50, p95 = pct(samples, 50), pct(samples, 95)
    return f"| {name} | {p50:.1f} | {p95:.1f} | {p95 / floor:.1f}x |"


async def chain(api: Api, experiment: str, model: str) -> None:
    """start run -> finish run -> register version: what a training pipeline sends."""
    run = (await api.ok("startRun", START_RUN, {"i": {"experimentId": experiment, "params": {"lr": 0.1}}}))["run"]
    await api.ok("finishRun", FINISH_RUN, {"i": {"runId": run["id"], "metrics": {"f1": 0.9}}})
    artifact = {"uri": "s3://bench/model.onnx", "digest": DIGEST}
    await api.ok("registerModelVersion", REGISTER, {"i": {"model": model, "runId": run["id"], "artifact": artifact}})


async def setup_models(api: Api, label: str, count: int) -> tuple[str, list[str]]:
    project = f"bench-http-{label}"
    await api.ok("createProject", CREATE["createProject"], {"i": {"name": project}})
    created = await api.ok("createExperiment", CREATE["createExperiment"], {"i": {"project": project, "name": "e"}})
    exp = created["experiment"]
    names = [f"{project}-m{i}" for i in range(count)]
    for name in names:
        await api.ok("createModel", CREATE["createModel"], {"i": {"name": name, "licence": "MIT"}})
    return exp["id"], names


async def writes(api_for: Callable[[], Api], api: Api, floor: float, quick: bool) -> list[str]:
    out: list[str] = []
    exp, [model] = await setup_models(api, "one", 1)
    n = 20 if quick else 60
    started = time.perf_counter()
    lat = []
    for _ in range(n):
        t0 = time.perf_counter()
        await chain(api, exp, model)
        lat.append((time.perf_counter() - t0) * 1000)
    rate = n / (time.perf_counter() - started)
    out.append(f"| write chain, 1 client | {rate:.1f} versions/s (chain p50 {pct(lat, 50):.1f} ms) | | |")

    clients = 16
    exp16, models = await setup_models(api, "many", clients)
    apis = [api_for() for _ in range(clients)]
    per = 5 if quick else 15

    async def client(i: int) -> None:
        for _ in range(per):
            await chain(apis[i], exp16, models[i])

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    rate = clients * per / (time.perf_counter() - started)
    retried = sum(a.retries for a in apis)
    row = f"| write chain, {clients} clients on different models | {rate:.1f} versions/s"
    out.append(f"{row} | {retried} retried after 503 | |")

    same = f"bench-http-same-{uuid.uuid4().hex[:6]}"
    await api.ok("createModel", CREATE["createModel"], {"i": {"name": same, "licence": "MIT"}})
    run = (await api.ok("startRun", START_RUN, {"i": {"experimentId": exp16}}))["run"]
    await api.ok("finishRun", FINISH_RUN, {"i": {"runId": run["id"]}})
    item = {"runId": run["id"], "artifact": {"uri": "s3://bench/m", "digest": DIGEST}}

    async def same_model(i: int) -> None:
        for _ in range(per):
            await apis[i].ok("registerModelVersion", REGISTER, {"i": {**item, "model": same}})

    started = time.perf_counter()
    before = sum(a.retries for a in apis)
    await asyncio.gather(*(same_model(i) for i in range(clients)))
    rate = clients * per / (time.perf_counter() - started)
    retried = sum(a.retries for a in apis) - before
    row = f"| register version, {clients} clients on one model | {rate:.1f} versions/s"
    out.append(f"{row} | {retried} retried after 503 | |")

    batch, batches = 500, 2 if quick else 6
    started = time.perf_counter()
    for _ in range(batches):
        await api.ok("registerModelVersions", REGISTER_MANY, {"i": {"model": same, "versions": [item] * batch}})
    rate = batch * batches / (time.perf_counter() - started)
    out.append(f"| registerModelVersions, batches of {batch} | {rate:.0f} versions/s | | |")

    alias_model = models[0]
    outcomes: dict[str, int] = {}

    async def move() -> None:
        variables = {"i": {"model": alias_model, "alias": "staging", "version": random.randint(1, per)}}
        kind = (await api.gql(SET_ALIAS, variables))["setAlias"]["__typename"]
        outcomes[kind] = outcomes.get(kind, 0) + 1

    moves = await sample(move, 40 if quick else 200)
    out.append(report(f"alias move (policy + audit) {outcomes}", moves, floor))
    for other in apis:
        await other.close()
    return out


def chain_step(state: dict[str, Any], experiment: str, model: str) -> dict[str, Any]:
    """The request for a client's next write: start a run, finish it, register a version from it."""
    step = state.get("step", 0)
    if step == 0:
        return {"query": START_RUN, "variables": {"i": {"experimentId": experiment}}}
    if step == 1:
        return {"query": FINISH_RUN, "variables": {"i": {"runId": state["run"], "metrics": {"f1": 0.9}}}}
    artifact = {"uri": "s3://bench/m", "digest": DIGEST}
    return {"query": REGISTER, "variables": {"i": {"model": model, "runId": state["run"], "artifact": artifact}}}


async def mixed_load(api_for: Callable[[], Api], api: Api, versions: int, clients: int, seconds: float) -> str:
    """Clients in a closed loop for a bounded time: 70 % reads (alias, search, lineage, history),
    20 % steps of write chains on each client's own model, 10 % alias moves on one shared model.
    Every outcome is counted."""
    exp, models = await setup_models(api, f"mixed{clients}", clients)
    model = f"bench-model-{max(0, versions // 10 - 1)}"
    reads = [(name, q, v) for name, (q, v) in read_rows(versions).items() if "10k" not in name]
    lat: list[float] = []
    by_kind: dict[str, list[float]] = {}  # where the tail is: latency per kind of request
    outcomes: dict[str, int] = {}
    rng = random.Random(clients)

    async def one(client: Api, i: int, state: dict[str, Any]) -> tuple[str, str]:
        roll = rng.random()
        if roll < 0.7:
            kind, query, variables = rng.choice(reads)
            response = await client.client.post("/graphql", json={"query": query, "variables": variables})
        elif roll < 0.9:  # the next step of this client's start -> finish -> register chain
            kind = ("start run", "finish run", "register version")[state.get("step", 0)]
            response = await client.client.post("/graphql", json=chain_step(state, exp, models[i]))
            data = (response.json().get("data") or {}) if response.status_code == 200 else {}
            run = (data.get("startRun") or {}).get("run") or {}
            state["run"] = run.get("id", state.get("run"))
            if data:  # a shed or failed step is tried again, as a pipeline would
                state["step"] = (state.get("step", 0) + 1) % 3
        else:
            kind = "alias move on the shared model"
            variables = {"i": {"model": model, "alias": "staging", "version": rng.randint(1, 10)}}
            response = await client.client.post("/graphql", json={"query": SET_ALIAS, "variables": variables})
        if response.status_code != 200:
            return kind, str(response.status_code)
        errors = response.json().get("errors") or []
        return kind, f"errors {(errors[0].get('extensions') or {}).get('code')} ({kind})" if errors else "ok"

    # Made before the clock starts: making an httpx client loads TLS settings (tens of ms, blocking),
    # and 64 of them made inside the timed loop held the first requests' replies for seconds.
    pool = [api_for() for _ in range(clients)]

    async def client_loop(i: int, deadline: float) -> None:
        client = pool[i]
        state: dict[str, Any] = {}
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    what, outcome = await one(client, i, state)
                except httpx.HTTPError as exc:
                    what, outcome = "transport error", type(exc).__name__
                took = (time.perf_counter() - started) * 1000
                lat.append(took)
                by_kind.setdefault(what, []).append(took)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        finally:
            await client.close()

    deadline = time.monotonic() + seconds
    before = await loop_lag_buckets(api)
    own_lag: list[float] = []  # this client process's own loop lag: a late client inflates what it measures
    watcher = asyncio.create_task(loop_lag.watch(lambda lag: own_lag.append(lag * 1000)))
    started = time.perf_counter()
    await asyncio.gather(*(client_loop(i, deadline) for i in range(clients)))
    rate = len(lat) / (time.perf_counter() - started)
    watcher.cancel()
    service_lag = lag_summary(before, await loop_lag_buckets(api))
    kinds = "\n".join(
        f"|   {what} ({len(found)}) | | p50 {pct(found, 50):.0f} ms, p99 {pct(found, 99):.0f} ms, "
        f"max {max(found):.0f} ms | |"
        for what, found in sorted(by_kind.items(), key=lambda kv: -max(kv[1]))
    )
    lags = (
        f"|   event loop lag | | service: {service_lag}; this client: p99 {pct(own_lag, 99):.0f} ms, "
        f"max {max(own_lag):.0f} ms | |"
    )
    return (
        f"| mixed load, {clients} clients, {seconds:.0f} s | {rate:.0f} req/s | p50 {pct(lat, 50):.0f} ms, "
        f"p99 {pct(lat, 99):.0f} ms, max {max(lat):.0f} ms | {outcomes} |\n{kinds}\n{lags}"
    )


async def loop_lag_buckets(api: Api) -> dict[float, float]:
    """The service's event-loop lag histogram (cumulative count per upper bound, seconds)."""
    text = (await api.client.get("/metrics")).text
    found: dict[float, float] = {}
    for line in text.splitlines():
        if line.startswith("modelgraph_event_loop_lag_seconds_bucket{"):
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            found[float("inf") if bound == "+Inf" else float(bound)] = float(line.rsplit(" ", 1)[1])
    return found


def lag_summary(before: dict[float, float], after: dict[float, float]) -> str:
    """p99 and the largest lag bucket reached, from two scrapes of the histogram."""
    counts = {bound: after[bound] - before.get(bound, 0.0) for bound in sorted(after)}
    total = counts.get(float("inf"), 0.0)
    if not total:
        return "no samples"
    p99 = next(bound for bound, n in counts.items() if n >= 0.99 * total)
    worst = next(bound for bound, n in counts.items() if n >= total)
    return f"p99 <= {p99 * 1000:.0f} ms, max <= {worst * 1000:.0f} ms ({total:.0f} samples)"


async def clear_all(driver: Any, db: str) -> None:
    """The generated fixture, and what the write rows registered through the API. Relationships go
    first, in batches: deleting a node with 100k of them in one transaction exceeds Neo4j's memory pool."""
    async with driver.session(database=db) as session:
        await (
            await session.run("MATCH (n {bench: true})-[r]-() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS")
        ).consume()
    await clear(driver, db)
    async with driver.session(database=db) as session:
        for label in ("ModelVersion", "Model", "Run", "Experiment", "Project"):
            query = f"MATCH (n:{label}) WHERE n.model_name STARTS WITH 'bench-http' OR n.name STARTS WITH 'bench-http' "
            await (await session.run(query + "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")).consume()


async def main(args: argparse.Namespace) -> None:
    settings = load_settings(os.environ.get("MODELGRAPH_PROFILE", "test"))
    driver = open_driver(settings)
    db = settings.neo4j_database
    await clear_all(driver, db)
    t0 = time.perf_counter()
    await generate(driver, db, args.versions)
    first = datetime.now(UTC) - timedelta(minutes=10 * EVALUATIONS)
    await driver.execute_query(SEED_EVALUATIONS, n=EVALUATIONS, t0=first, database_=db)
    moves_from = datetime.now(UTC) - timedelta(minutes=10 * MOVES)
    for first in range(0, DEPLOYMENTS, 100):  # 10k events per transaction
        await driver.execute_query(
            SEED_DEPLOYMENTS, first=first, last=first + 99, per=MOVES, t0=moves_from, database_=db
        )
    print(f"generated {args.versions} versions in {time.perf_counter() - t0:.0f} s", flush=True)
    port = free_port()
    proc = start_service(settings, port)
    base = f"http://127.0.0.1:{port}"
    admin = Api(base, settings.bootstrap_admin_key.get_secret_value())
    try:
        name = f"bench-{uuid.uuid4().hex[:8]}"
        await admin.gql(
            "mutation($i: CreatePrincipalInput!) { createPrincipal(input: $i) { ... on Error { code } } }",
            {"i": {"name": name, "roles": ["admin"]}},
        )
        key = (
            await admin.gql(
                "mutation($i: IssueApiKeyInput!) { issueApiKey(input: $i) { ... on ApiKeyIssued { secret } } }",
                {"i": {"principal": name}},
            )
        )["issueApiKey"]["secret"]
        api = Api(base, key)
        rounds = args.rounds
        floor = await sample(lambda: api.gql(TRIVIAL), rounds)
        health = await sample(lambda: api.client.get("/healthz"), rounds)
        floor95 = pct(floor, 95)
        lines = [
            f"## {args.versions} versions, {rounds} rounds (p50 / p95 ms, p95 ratio to the floor's p95)",
            "| operation | p50 ms | p95 ms | ratio |",
            "|---|---|---|---|",
            report("floor: authenticated `{ __typename }`", floor, floor95),
            report("floor: `/healthz`", health, floor95),
        ]
        for row, (query, variables) in read_rows(args.versions).items():
            lines.append(report(row, await sample(lambda q=query, v=variables: api.gql(q, v), rounds), floor95))
            print(lines[-1], flush=True)
        if not args.skip_writes:
            lines += await writes(lambda: Api(base, key), api, floor95, args.quick)
        for clients in args.mixed:
            lines.append(await mixed_load(lambda: Api(base, key), api, args.versions, clients, args.mixed_seconds))
            print(lines[-1], flush=True)
        lines.append(f"| service RSS after the run | {rss_mb(proc.pid):.0f} MB | | |")
        await api.close()
        print("\n".join(lines))
    finally:
        await admin.close()
        proc.terminate()
        proc.wait(timeout=20)
        if not args.keep:
            await clear_all(driver, db)
        await driver.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--skip-writes", action="store_true")
    parser.add_argument("--quick", action="store_true", help="fewer write rounds (smoke run)")
    parser.add_argument("--keep", action="store_true", help="keep the fixture data")
    parser.add_argument("--mixed", type=int, nargs="*", default=[], help="mixed load at these client counts")
    parser.add_argument("--mixed-seconds", type=float, default=20.0, help="duration of each mixed-load run")
    asyncio.run(main(parser.parse_args()))
