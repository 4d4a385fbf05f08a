"""Performance history and deployment status against the real Neo4j and OPA."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.domain.history import Resolution
from app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.events.broker import DEPLOYMENT_EVENTS, HEALTH_CHANGES, broker
from app.events.tail import OutboxTail
from app.registry import history as h
from app.registry.actor import Actor, RequestMeta
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.services import Services
from tests.conftest import opa_test_headers

pytestmark = pytest.mark.integration

ADMIN = RequestMeta(actor=Actor(id="u1", name="alice", roles=("admin",)), request_id="t")
AGENT = RequestMeta(actor=Actor(id="s1", name="agent", kind="service", roles=("publisher",)), request_id="t")
VIEWER = RequestMeta(actor=Actor(id="u2", name="bob", roles=("viewer",)), request_id="t")
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NOW = datetime.now(UTC)


@pytest.fixture(scope="module", autouse=True)
def always_working_hours(settings: Any) -> None:
    body = {"actions": ["promote", "retire"], "days": DAYS, "start": "00:00", "end": "24:00"}
    url = f"{settings.opa_url}/v1/data/modelgraph/config/working_hours"
    httpx.put(url, json=body, headers=opa_test_headers(settings)).raise_for_status()


async def run(name: str, payload: dict[str, Any], meta: RequestMeta = ADMIN) -> dict[str, Any]:
    outcome = await execute(_services[0], meta, command_from(name, payload))
    assert outcome.result is not None, outcome
    return outcome.result


_services: list[Services] = []


@pytest.fixture
async def model(clean_graph: Services) -> dict[str, Any]:
    """Project -> experiment -> dataset version -> run -> model with three versions."""
    _services[:] = [clean_graph]
    await execute(clean_graph, ADMIN, command_from("create_project", {"name": "fraud"}))
    await execute(clean_graph, ADMIN, command_from("create_experiment", {"name": "exp", "project": "fraud"}))
    dsv = await run(
        "register_dataset_version",
        {
            "dataset": "tx",
            "source_uri": "s3://d/tx",
            "usage_rights": {"training_allowed": True, "commercial_use": True, "contains_personal_data": False},
        },
    )
    versions: list[dict[str, Any]] = []
    for _ in range(3):
        exp = (await clean_graph.driver.execute_query("MATCH (e:Experiment) RETURN e.id AS id")).records[0]["id"]
        r = await run("start_run", {"experiment_id": exp, "inputs": [dsv["id"]]})
        await run("finish_run", {"run_id": r["id"], "metrics": {"f1": 0.85}})
        if not versions:
            await run("create_model", {"name": "scorer", "project": "fraud", "licence": "Apache-2.0"})
        digest = "sha256:" + "a" * 64
        versions.append(
            await run(
                "register_model_version",
                {"model": "scorer", "run_id": r["id"], "artifact": {"uri": "s3://m", "digest": digest}},
            )
        )
    return {"dataset_version_id": dsv["id"], "versions": versions}


def ago(minutes: float) -> datetime:
    return datetime.now(UTC) - timedelta(minutes=minutes)


async def evaluate(version: int, f1: float, at: datetime, **extra: Any) -> dict[str, Any]:
    return await run(
        "record_evaluation",
        {"model": "scorer", "version": version, "metrics": {"f1": f1, "auc": 0.9}, "evaluated_at": at, **extra},
    )


async def test_a_bucketed_series_summarises_each_version_per_bucket(model: dict[str, Any]) -> None:
    start = datetime(2026, 3, 2, tzinfo=UTC)  # midnight: hour and day buckets start here (weeks on Thursdays)
    for minutes, version, f1 in ((0, 1, 0.70), (30, 1, 0.80), (90, 1, 0.90), (30, 2, 0.60), (24 * 60, 2, 0.65)):
        await evaluate(version, f1, start + timedelta(minutes=minutes))
    wrong = await evaluate(2, 0.01, start + timedelta(minutes=40))
    await evaluate(2, 0.62, start + timedelta(minutes=40), supersedes=wrong["id"])
    model_id = (await _services[0].driver.execute_query("MATCH (m:Model) RETURN m.id AS id")).records[0]["id"]
    reader = h.history(_services[0])
    end = start + timedelta(days=7)
    hourly = await reader.performance_series(model_id, "f1", start, end, Resolution.HOUR)
    rows = [(b.version, b.start - start, b.count, round(b.mean, 3), b.low, b.high) for b in hourly]
    assert rows == [
        (1, timedelta(0), 2, 0.75, 0.70, 0.80),
        (2, timedelta(0), 2, 0.61, 0.60, 0.62),  # the superseded 0.01 is not in it
        (1, timedelta(hours=1), 1, 0.90, 0.90, 0.90),
        (2, timedelta(days=1), 1, 0.65, 0.65, 0.65),
    ]
    daily = await reader.performance_series(model_id, "f1", start, end, Resolution.DAY)
    assert [(b.version, b.count) for b in daily] == [(1, 3), (2, 2), (2, 1)]
    weekly = await reader.performance_series(model_id, "f1", start, end, Resolution.WEEK, version=2)
    assert [(b.version, b.count) for b in weekly] == [(2, 3)]


async def test_performance_history_spans_versions_and_hides_superseded(model: dict[str, Any]) -> None:
    dsv = model["dataset_version_id"]
    await evaluate(1, 0.80, ago(30), dataset_version_id=dsv)
    wrong = await evaluate(2, 0.10, ago(20), dataset_version_id=dsv)
    fixed = await evaluate(2, 0.86, ago(20), dataset_version_id=dsv, supersedes=wrong["id"])
    await evaluate(3, 0.90, ago(10), dataset_version_id=dsv, slice="region=EU")
    reader = h.history(_services[0])
    model_id = (await _services[0].driver.execute_query("MATCH (m:Model) RETURN m.id AS id")).records[0]["id"]
    points = await reader.performance_history(model_id, "f1", ago(60), ago(-1))
    assert [(p.version, p.value) for p in points] == [(1, 0.80), (2, 0.86), (3, 0.90)]
    assert points[1].evaluation_id == fixed["id"]
    eu = await reader.performance_history(model_id, "f1", ago(60), ago(-1), slice_="region=EU")
    assert [p.version for p in eu] == [3]
    table = await reader.compare_versions(model_id, [1, 2, 3], dsv, None)
    assert table[1] is not None and table[1].metrics["f1"] == 0.80
    assert table[2] is not None and table[2].metrics["f1"] == 0.86
    assert table[3] is None  # only a sliced evaluation exists


async def test_superseding_twice_is_a_conflict(model: dict[str, Any]) -> None:
    first = await evaluate(1, 0.5, ago(5))
    await evaluate(1, 0.6, ago(5), supersedes=first["id"])
    with pytest.raises(Conflict, match="already superseded"):
        await evaluate(1, 0.7, ago(5), supersedes=first["id"])


async def test_evaluation_rejects_non_finite_metric_and_future_time(model: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed, match=r"metrics\.f1: must be a finite number"):
        await evaluate(1, float("nan"), ago(1))
    with pytest.raises(ValidationFailed, match="evaluatedAt: must not be in the future"):
        await evaluate(1, 0.9, NOW + timedelta(hours=1))


async def test_annotation_on_evaluation(model: dict[str, Any]) -> None:
    ev = await evaluate(1, 0.8, ago(1))
    await run("annotate", {"target_id": ev["id"], "text": "label leak fixed in v2"})
    [notes] = await h.history(_services[0]).annotations([ev["id"]])
    assert [(n.text, n.actor) for n in notes] == [("label leak fixed in v2", "alice")]
    with pytest.raises(NotFound, match="targetId"):
        await run("annotate", {"target_id": "eval_nope", "text": "x"})


async def deploy(tier: str = "production", version: int = 1) -> dict[str, Any]:
    return await run(
        "create_deployment",
        {
            "name": "scorer-eu",
            "model": "scorer",
            "environment": {"tier": tier, "region": "eu-west-1"},
            "endpoint": "https://scorer.internal",
            "owners": ["alice", "agent"],
            "serving": [{"version": version, "traffic_percent": 100}],
        },
    )


async def test_production_deployment_requires_qualifying_evaluation(model: dict[str, Any]) -> None:
    await evaluate(1, 0.5, ago(1))  # below the production f1 threshold of 0.8
    with pytest.raises(PermissionDenied, match="f1"):
        await deploy()


async def test_canary_rolled_back_moves_traffic_in_same_transaction(model: dict[str, Any]) -> None:
    for version in (1, 2):
        await evaluate(version, 0.85, ago(5))
    dep = await deploy()
    before_canary = datetime.now(UTC)
    await run(
        "record_deployment_event",
        {"deployment_id": dep["id"], "type": "canary_started", "version": 2, "traffic_percent": 10},
    )
    during = datetime.now(UTC)
    await run(
        "record_deployment_event", {"deployment_id": dep["id"], "type": "rolled_back", "reason": "p95 latency doubled"}
    )
    reader = h.history(_services[0])
    deployment = await reader.deployment(dep["id"])
    assert deployment is not None and deployment.observed_state == "ROLLED_BACK"
    now_serving = await reader.serving_at(deployment, datetime.now(UTC))
    assert [(s.version, s.traffic_percent) for s in now_serving] == [(1, 100.0)]
    canary = await reader.serving_at(deployment, during)
    assert sorted((s.version, s.traffic_percent) for s in canary) == [(1, 90.0), (2, 10.0)]
    timeline = await reader.timeline(dep["id"])
    assert [e.type for e in timeline] == ["created", "canary_started", "rolled_back"]
    assert timeline[-1].reason == "p95 latency doubled"
    at_t = await reader.in_production_at(before_canary, "scorer")
    assert [(s.version, s.traffic_percent) for _, s in at_t] == [(1, 100.0)]
    # The list decodes its times itself (epoch seconds and microseconds): the same instants, to the
    # microsecond, as the driver's times that serving_at reads.
    [(_, listed)] = at_t
    [served] = await reader.serving_at(deployment, before_canary)
    assert listed.until is not None and (listed.since, listed.until) == (served.since, served.until)
    assert listed.since.tzinfo is not None and listed.since.microsecond == served.since.microsecond


async def test_rollback_requires_a_reason(model: dict[str, Any]) -> None:
    dep = await deploy(tier="staging")
    with pytest.raises(ValidationFailed, match="reason: is required for a rolled_back event"):
        await run("record_deployment_event", {"deployment_id": dep["id"], "type": "rolled_back"})


async def test_retire_version_denied_while_serving_production_until_deployment_retired(model: dict[str, Any]) -> None:
    await evaluate(1, 0.85, ago(5))
    dep = await deploy()
    with pytest.raises(PermissionDenied, match="serves an active production deployment"):
        await run("archive_version", {"model": "scorer", "version": 1, "reason": "old"})
    await run("record_deployment_event", {"deployment_id": dep["id"], "type": "retired", "reason": "replaced"})
    archived = await run("archive_version", {"model": "scorer", "version": 1, "reason": "old"})
    assert archived["kind"] == "ModelVersion"


def sample(dep_id: str, at: datetime, p95: float, errors: float = 0.0) -> dict[str, Any]:
    return {
        "deployment_id": dep_id,
        "at": at.isoformat(),
        "latency_p50_ms": p95 / 3,
        "latency_p95_ms": p95,
        "error_rate": errors,
        "request_rate": 50.0,
    }


async def test_health_rolls_up_per_minute_and_derives_status(model: dict[str, Any]) -> None:
    dep = await deploy(tier="staging")
    minute = ago(3).replace(second=0, microsecond=0)
    batch = [sample(dep["id"], minute + timedelta(seconds=s), p95) for s, p95 in ((1, 100), (20, 300), (40, 200))]
    result = await run("report_health", {"samples": batch}, AGENT)
    assert result["windows"] == 1 and result["samples"] == 3
    await run("report_health", {"samples": [sample(dep["id"], minute + timedelta(seconds=50), 900)]}, AGENT)
    windows = await h.history(_services[0]).health_windows(dep["id"], ago(10), datetime.now(UTC))
    assert len(windows) == 1
    w = windows[0]
    p95 = w.signals["latency_p95_ms"]
    assert w.count == 4 and p95.max == 900 and p95.min == 100
    assert p95.sum == 1500 and w.status == "DEGRADED"
    deployment = await h.history(_services[0]).deployment(dep["id"])
    assert deployment is not None and deployment.health_status == "DEGRADED"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latency_p95_ms", -1, "samples[0].latency_p95_ms: must not be negative"),
        ("latency_p95_ms", float("inf"), "samples[0].latency_p95_ms: must be a finite number"),
        ("at", (NOW + timedelta(hours=2)).isoformat(), "samples[0].at: must not be in the future"),
        ("at", "1969-12-31T23:59:59+00:00", "samples[0].at: is older than the health retention window (30 days)"),
        ("at", (NOW - timedelta(days=31)).isoformat(), "samples[0].at: is older than the health retention window"),
        ("at", (NOW - timedelta(hours=2)).isoformat(), "samples[0].at: is before the deployment was created"),
    ],
)
async def test_health_rejects_bad_samples(model: dict[str, Any], field: str, value: Any, message: str) -> None:
    dep = await deploy(tier="staging")
    bad = {**sample(dep["id"], ago(1), 100), field: value}
    with pytest.raises(ValidationFailed) as err:
        await run("report_health", {"samples": [bad]}, AGENT)
    assert message in err.value.message
    windows = await h.history(_services[0]).health_windows(dep["id"], ago(10), datetime.now(UTC))
    assert windows == []


async def test_a_health_batch_naming_an_unknown_deployment_is_not_found_and_writes_nothing(
    model: dict[str, Any],
) -> None:
    first = await deploy(tier="staging")
    body = {
        "name": "scorer-us",
        "model": "scorer",
        "environment": {"tier": "staging", "region": "us-east-1"},
        "endpoint": "https://scorer-us.internal",
        "owners": ["alice", "agent"],
        "serving": [{"version": 1, "traffic_percent": 100}],
    }
    second = await run("create_deployment", body)
    known = [sample(first["id"], ago(1), 100), sample(second["id"], ago(1), 200)]
    with pytest.raises(NotFound, match="deploymentId: no deployment 'dep_nope'") as refused:
        await run("report_health", {"samples": [*known, sample("dep_nope", ago(1), 300)]}, AGENT)
    assert refused.value.field == "deploymentId"
    reader = h.history(_services[0])
    for dep in (first, second):
        assert await reader.health_windows(dep["id"], ago(10), datetime.now(UTC)) == []
    result = await run("report_health", {"samples": known}, AGENT)
    assert result["samples"] == 2
    for dep in (first, second):
        assert len(await reader.health_windows(dep["id"], ago(10), datetime.now(UTC))) == 1


async def test_viewer_cannot_report_health(model: dict[str, Any]) -> None:
    dep = await deploy(tier="staging")
    with pytest.raises(PermissionDenied):
        await run("report_health", {"samples": [sample(dep["id"], ago(1), 100)]}, VIEWER)


async def test_drift_and_baseline_flags_are_visible_on_the_version(model: dict[str, Any]) -> None:
    await evaluate(1, 0.85, ago(5))
    drift = await run(
        "record_feedback",
        {
            "model": "scorer",
            "version": 1,
            "kind": "drift",
            "statistic": "psi",
            "value": 0.31,
            "threshold": 0.2,
            "slice": "region=EU",
        },
    )
    calm = await run(
        "record_feedback",
        {"model": "scorer", "version": 1, "kind": "drift", "statistic": "ks", "value": 0.01, "threshold": 0.1},
    )
    metric = await run("record_feedback", {"model": "scorer", "version": 1, "statistic": "f1", "value": 0.7})
    assert (drift["flagged"], calm["flagged"], metric["flagged"]) == (True, False, True)
    assert "baseline 0.85" in metric["flag_reason"]
    version_id = model["versions"][0]["id"]
    flags = await h.history(_services[0]).flags(version_id)
    assert sorted(f.statistic for f in flags) == ["f1", "psi"]


@contextlib.asynccontextmanager
async def tailing() -> AsyncIterator[None]:
    """The outbox tail an app runs (subscribers are fed from the outbox, not by the write path)."""
    services = _services[0]
    tail = OutboxTail(services.driver, services.settings.neo4j_database, 0.05)
    task = asyncio.create_task(tail.run())
    while tail.last is None:  # noqa: ASYNC110 - its first poll fixes where it starts
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_subscribers_receive_deployment_events_and_health_changes(model: dict[str, Any]) -> None:
    async with tailing():
        await _subscribers_receive_deployment_events_and_health_changes()


async def _subscribers_receive_deployment_events_and_health_changes() -> None:
    dep = await deploy(tier="staging")
    events = broker.subscribe(DEPLOYMENT_EVENTS, dep["id"])
    health = broker.subscribe(HEALTH_CHANGES, dep["id"])
    next_event = asyncio.ensure_future(anext(events))
    next_health = asyncio.ensure_future(anext(health))
    await asyncio.sleep(0)
    await run("record_deployment_event", {"deployment_id": dep["id"], "type": "incident_opened", "reason": "5xx"})
    await run("report_health", {"samples": [sample(dep["id"], ago(1), 3000)]}, AGENT)
    event = await asyncio.wait_for(next_event, 5)
    change = await asyncio.wait_for(next_health, 5)
    assert (event["type"], event["reason"]) == ("incident_opened", "5xx")
    assert (change["before"], change["after"]) == ("UNKNOWN", "UNHEALTHY")
    await events.aclose()  # type: ignore[attr-defined]
    await health.aclose()  # type: ignore[attr-defined]


def history_schema() -> Any:
    import strawberry

    from app.graphql.history import HistoryMutation, HistoryQuery, HistorySubscription

    return strawberry.Schema(query=HistoryQuery, mutation=HistoryMutation, subscription=HistorySubscription)


class _Ctx:
    def __init__(self, services: Services, actor: Actor) -> None:
        self.services, self.principal, self.request_id = services, actor, "gql"
        self.loaders: dict[str, Any] = {}


async def test_graphql_subscription_receives_health_change_caused_by_mutation(model: dict[str, Any]) -> None:
    async with tailing():
        await _graphql_subscription_receives_health_change_caused_by_mutation()


async def _graphql_subscription_receives_health_change_caused_by_mutation() -> None:
    schema, ctx = history_schema(), _Ctx(_services[0], AGENT.actor)
    dep = await deploy(tier="staging")
    stream = await schema.subscribe(
        "subscription($id: ID!) { healthChanges(deploymentId: $id) { before after } }",
        variable_values={"id": dep["id"]},
        context_value=ctx,
    )
    first = asyncio.ensure_future(anext(stream))
    while broker.subscribers(HEALTH_CHANGES, dep["id"]) == 0:  # noqa: ASYNC110 - wait for the resolver to subscribe
        await asyncio.sleep(0.01)
    mutation = """mutation($input: ReportHealthInput!) { reportHealth(input: $input) {
        __typename ... on HistoryWriteSuccess { kind result } ... on ValidationError { message } } }"""
    at = ago(1).isoformat()
    done = await schema.execute(
        mutation,
        context_value=ctx,
        variable_values={
            "input": {"samples": [{"deploymentId": dep["id"], "at": at, "latencyP95Ms": 250.0, "errorRate": 0.0}]}
        },
    )
    assert done.errors is None and done.data is not None
    assert done.data["reportHealth"]["__typename"] == "HistoryWriteSuccess"
    got = await asyncio.wait_for(first, 5)
    assert got.data == {"healthChanges": {"before": "UNKNOWN", "after": "HEALTHY"}}
    await stream.aclose()


async def test_graphql_queries_history_timeline_and_version_status(model: dict[str, Any]) -> None:
    schema, ctx = history_schema(), _Ctx(_services[0], ADMIN.actor)
    await evaluate(1, 0.85, ago(20))
    await evaluate(2, 0.88, ago(10))
    dep = await deploy()
    bad = await schema.execute(
        """mutation($i: RecordDeploymentEventInput!) { recordDeploymentEvent(input: $i) {
        __typename ... on ValidationError { field message } } }""",
        context_value=ctx,
        variable_values={"i": {"deploymentId": dep["id"], "type": "ROLLED_BACK"}},
    )
    assert bad.data == {
        "recordDeploymentEvent": {
            "__typename": "ValidationError",
            "field": "reason",
            "message": "reason: is required for a rolled_back event",
        }
    }
    query = """query($m: String!, $from: DateTime!, $to: DateTime!, $id: ID!) {
      performanceHistory(input: {model: $m, metric: "f1", from: $from, to: $to}) { version value }
      compareVersions(input: {model: $m, versions: [1, 2, 3], metrics: ["f1", "auc"]}) {
        version metrics { name value } }
      deployment(id: $id) { name environment healthStatus serving { version trafficPercent } }
      deploymentTimeline(id: $id) { seq type }
      versionStatus(model: $m, version: 1) { deployments { name } }
    }"""
    series = await schema.execute(
        """query($from: DateTime!, $to: DateTime!) { performanceSeries(input: {model: "scorer", metric: "f1",
          from: $from, to: $to, resolution: HOUR}) { version count mean min max } }""",
        context_value=ctx,
        variable_values={"from": ago(60).isoformat(), "to": datetime.now(UTC).isoformat()},
    )
    assert series.errors is None and series.data is not None
    assert sum(b["count"] for b in series.data["performanceSeries"]) == 2
    out = await schema.execute(
        query,
        context_value=ctx,
        variable_values={
            "m": "scorer",
            "from": ago(60).isoformat(),
            "to": datetime.now(UTC).isoformat(),
            "id": dep["id"],
        },
    )
    assert out.errors is None and out.data is not None
    assert out.data["performanceHistory"] == [{"version": 1, "value": 0.85}, {"version": 2, "value": 0.88}]
    assert out.data["compareVersions"][2] == {
        "version": 3,
        "metrics": [{"name": "f1", "value": None}, {"name": "auc", "value": None}],
    }
    assert out.data["deployment"]["serving"] == [{"version": 1, "trafficPercent": 100.0}]
    assert out.data["deploymentTimeline"] == [{"seq": 1, "type": "CREATED"}]
    assert out.data["versionStatus"] == {"deployments": [{"name": "scorer-eu"}]}


async def test_http_health_endpoint_accepts_batch_and_rejects_bad_values(model: dict[str, Any]) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Route

    from app.web.health_ingest import health_ingest

    dep = await deploy(tier="staging")
    app = Starlette(routes=[Route("/api/v1/health", health_ingest, methods=["POST"])])
    app.state.services = _services[0]

    async def as_agent(scope: Any, receive: Any, send: Any) -> None:
        scope.setdefault("state", {})["principal"] = AGENT.actor
        await app(scope, receive, send)

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=as_agent), base_url="http://t") as client:
        ok = await client.post(
            "/api/v1/health",
            json={
                "samples": [
                    {"deploymentId": dep["id"], "at": ago(1).isoformat(), "latencyP95Ms": 120, "errorRate": 0.001}
                ]
            },
        )
        bad = await client.post(
            "/api/v1/health",
            json={"samples": [{"deployment_id": dep["id"], "at": ago(1).isoformat(), "latency_p95_ms": -5}]},
        )
    assert ok.status_code == 200 and ok.json()["result"]["samples"] == 1
    assert bad.status_code == 422
    assert bad.json()["error"]["message"] == "samples[0].latency_p95_ms: must not be negative"


NAIVE = "2026-01-01T00:00:00"


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ('{ model(name: "scorer") { aliasAt(alias: "production", at: "%s") { version } } }', "at"),
        ('{ inProductionAt(input: {at: "%s"}) { version } }', "at"),
        ('query($id: ID!) { deployment(id: $id) { serving(at: "%s") { version } } }', "at"),
        ('query($id: ID!) { deployment(id: $id) { health(since: "%s") { count } } }', "since"),
        ('query($id: ID!) { deployment(id: $id) { health(until: "%s") { count } } }', "until"),
        (
            '{ performanceHistory(input: {model: "scorer", metric: "f1", from: "%s", '
            'to: "2027-01-01T00:00:00Z"}) { value } }',
            "from",
        ),
        (
            '{ performanceHistory(input: {model: "scorer", metric: "f1", from: "2026-01-01T00:00:00Z", '
            'to: "%s"}) { value } }',
            "to",
        ),
        ('{ auditTrail(input: {from: "%s"}) { edges { node { seq } } } }', "from"),
        ('{ auditTrail(input: {to: "%s"}) { edges { node { seq } } } }', "to"),
    ],
)
async def test_reads_refuse_a_naive_timestamp_naming_the_argument(
    model: dict[str, Any], settings: Any, query: str, argument: str
) -> None:
    """A naive time used to match nothing and answer an empty list, as if there were no data."""
    from app.graphql.schema import build_schema

    dep = await deploy(tier="staging")
    variables = {"id": dep["id"]} if "$id" in query else {}
    out = await build_schema(settings).execute(
        query % NAIVE, variable_values=variables, context_value=_Ctx(_services[0], ADMIN.actor)
    )

    assert out.errors is not None and len(out.errors) == 1, out
    assert out.errors[0].message == f"{argument}: must include a timezone (e.g. 2026-01-01T00:00:00Z)"
    assert out.errors[0].extensions == {"code": "VALIDATION_FAILED", "field": argument}


async def test_a_version_lists_its_evaluations_as_a_connection(model: dict[str, Any], settings: Any) -> None:
    from app.graphql.schema import build_schema

    dsv = model["dataset_version_id"]
    wrong = await evaluate(1, 0.5, ago(30), dataset_version_id=dsv, slice="region=EU")
    fixed = await evaluate(1, 0.8, ago(20), dataset_version_id=dsv, slice="region=EU", supersedes=wrong["id"])
    whole = await evaluate(1, 0.7, ago(10), confidence={"f1": [0.65, 0.75]})
    await evaluate(2, 0.9, ago(5))  # another version's: not listed
    query = """query($after: String, $slice: String, $all: Boolean!) { modelVersion(model: "scorer", version: 1) {
      evaluations(first: 1, after: $after, slice: $slice, includeSuperseded: $all) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { id slice supersedesId datasetVersion { id } confidence metrics { name value } } } } } }"""

    async def page(after: str | None = None, slice_: str | None = None, all_: bool = False) -> dict[str, Any]:
        out = await build_schema(settings).execute(
            query,
            variable_values={"after": after, "slice": slice_, "all": all_},
            context_value=_Ctx(_services[0], ADMIN.actor),
        )
        assert out.errors is None and out.data is not None, out.errors
        return out.data["modelVersion"]["evaluations"]

    first = await page()
    assert first["totalCount"] == 2 and first["pageInfo"]["hasNextPage"] is True
    newest = first["edges"][0]["node"]
    assert newest["id"] == whole["id"] and newest["slice"] is None and newest["confidence"] == {"f1": [0.65, 0.75]}
    assert newest["metrics"] == [{"name": "auc", "value": 0.9}, {"name": "f1", "value": 0.7}]
    second = await page(first["pageInfo"]["endCursor"])
    node = second["edges"][0]["node"]
    assert node["id"] == fixed["id"] and node["supersedesId"] == wrong["id"] and node["datasetVersion"] == {"id": dsv}
    assert second["pageInfo"]["hasNextPage"] is False

    eu = await page(slice_="region=EU", all_=True)
    assert eu["totalCount"] == 2 and eu["edges"][0]["node"]["id"] == fixed["id"]
    rest = await page(eu["pageInfo"]["endCursor"], "region=EU", True)
    assert rest["edges"][0]["node"]["id"] == wrong["id"]


async def production_pages(at: datetime, first: int) -> list[list[tuple[str, int, float]]]:
    """Every page of `inProductionAtPage` at `at`, walked through the cursors as a client would."""
    from app.graphql.context import Context
    from app.graphql.schema import build_schema

    services = _services[0]
    schema = build_schema(services.settings)
    root = Actor(id="root", name="root", roles=("admin",))
    query = """query($at: DateTime!, $first: Int!, $after: String) {
      inProductionAtPage(input: {at: $at, model: "scorer"}, first: $first, after: $after) {
        edges { cursor node { deployment version trafficPercent } } pageInfo { hasNextPage endCursor } } }"""
    pages: list[list[tuple[str, int, float]]] = []
    after: str | None = None
    while True:
        context = Context(request=None, response=None, services=services, principal=root)  # type: ignore[arg-type]
        variables = {"at": at.isoformat(), "first": first, "after": after}
        out = await schema.execute(query, variable_values=variables, context_value=context)
        assert out.errors is None and out.data is not None, out.errors
        page = out.data["inProductionAtPage"]
        pages.append(
            [(e["node"]["deployment"], e["node"]["version"], e["node"]["trafficPercent"]) for e in page["edges"]]
        )
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]


async def test_in_production_at_pages_through_deployments_and_splits(model: dict[str, Any]) -> None:
    for version in (1, 2, 3):
        await evaluate(version, 0.85, ago(5))

    async def create(name: str, version: int, tier: str = "production") -> str:
        serving = [{"version": version, "traffic_percent": 100}]
        environment = {"tier": tier, "region": "eu-west-1"}
        body = {"name": name, "model": "scorer", "environment": environment, "serving": serving, "owners": ["alice"]}
        return str((await run("create_deployment", body))["id"])

    async def event(deployment_id: str, type_: str, **extra: Any) -> datetime:
        await run("record_deployment_event", {"deployment_id": deployment_id, "type": type_, **extra})
        return datetime.now(UTC)

    a, b = await create("scorer-a", 1), await create("scorer-b", 2)
    await create("scorer-staging", 3, tier="staging")  # not production: never listed
    before = datetime.now(UTC)
    await event(a, "canary_started", version=2, traffic_percent=10)
    c = await create("scorer-c", 3)
    for _ in range(2):  # a serving history behind scorer-b: only the split in force at T counts
        await event(b, "canary_started", version=3, traffic_percent=10)
        await event(b, "rolled_back", reason="drill")
    now = datetime.now(UTC)

    expected_now = [("scorer-a", 1, 90.0), ("scorer-a", 2, 10.0), ("scorer-b", 2, 100.0), ("scorer-c", 3, 100.0)]
    for first in (1, 2, 3, 100):
        pages = await production_pages(now, first)
        assert [span for page in pages for span in page] == expected_now, first
        assert all(len(page) <= first for page in pages)
    assert await production_pages(before, 100) == [[("scorer-a", 1, 100.0), ("scorer-b", 2, 100.0)]]
    listed = await h.history(_services[0]).in_production_at(now, "scorer")
    assert [(s.deployment, s.version, s.traffic_percent) for _, s in listed] == expected_now
    assert c.startswith("dep")


async def test_in_production_at_page_refuses_a_foreign_cursor(model: dict[str, Any]) -> None:
    from app.graphql.connection import encode
    from app.graphql.context import Context
    from app.graphql.schema import build_schema

    services = _services[0]
    context = Context(request=None, response=None, services=services, principal=ADMIN.actor)  # type: ignore[arg-type]
    query = (
        'query($after: String) { inProductionAtPage(input: {at: "2026-01-01T00:00:00Z"}, after: $after) '
        "{ edges { cursor } } }"
    )
    for cursor in (encode("not json"), encode('["a", "b"]'), "garbage"):
        out = await build_schema(services.settings).execute(
            query, variable_values={"after": cursor}, context_value=context
        )
        assert out.errors and "after" in out.errors[0].message, out.errors


async def test_a_history_limit_keeps_the_first_points_in_time_then_id_order_ties_included(
    clean_graph: Services,
) -> None:
    """The query finds the time of the limit-th point through the index, then reads up to it again:
    points sharing that time must still be cut by id, exactly as a full sort would."""
    t0 = datetime(2026, 6, 1, tzinfo=UTC)
    points = [("ev_a", 0), ("ev_d", 1), ("ev_b", 1), ("ev_c", 1), ("ev_e", 2)]  # (id, minutes after t0)
    await clean_graph.driver.execute_query(
        """UNWIND $points AS p
        CREATE (:Evaluation {id: p[0], model_id: 'mdl_limit', version: 1, `metric.f1`: 0.5,
                             evaluated_at: $t0 + duration({minutes: p[1]})})""",
        points=[list(p) for p in points],
        t0=t0,
    )
    reader = h.history(clean_graph)

    async def first(limit: int) -> list[str]:
        found = await reader.performance_history("mdl_limit", "f1", t0, t0 + timedelta(hours=1), limit=limit)
        return [p.evaluation_id for p in found]

    assert await first(1) == ["ev_a"]
    assert await first(2) == ["ev_a", "ev_b"]
    assert await first(3) == ["ev_a", "ev_b", "ev_c"]
    assert await first(4) == ["ev_a", "ev_b", "ev_c", "ev_d"]
    assert await first(10) == ["ev_a", "ev_b", "ev_c", "ev_d", "ev_e"]


async def test_promotion_facts_in_one_read_equal_the_separate_reads(model: dict[str, Any]) -> None:
    """What policy judges an alias move by is read in two statements; it must equal what the reads
    one fact at a time give: the latest non-superseded evaluation, else the run's final metrics,
    and the incumbent the alias points to now."""
    from app.graph import promotion_reads
    from app.registry.promotion import promotion

    services = _services[0]
    driver, db = services.driver, services.settings.neo4j_database
    wrong = await evaluate(2, 0.01, ago(30))
    await evaluate(2, 0.93, ago(40), supersedes=wrong["id"])  # older, but the one that stands
    await evaluate(3, 0.70, ago(50))
    await evaluate(3, 0.72, ago(10))  # the latest of two
    await run("move_alias", {"model": "scorer", "alias": "staging", "version": 1})
    model_id = (await driver.execute_query("MATCH (m:Model) RETURN m.id AS id")).records[0]["id"]

    async def separately(number: int) -> dict[str, float]:
        best = await promotion_reads.best_evaluation(driver, db, model_id, number)
        if best is not None:
            return best.metrics
        version = await services.repos.core.version(model_id, number)
        trained = await services.repos.core.run(version.run_id) if version and version.run_id else None
        return trained.metrics if trained is not None else {}

    assert [await separately(n) for n in (1, 2, 3)] == [
        {"f1": 0.85},
        {"f1": 0.93, "auc": 0.9},
        {"f1": 0.72, "auc": 0.9},
    ]
    for number in (1, 2, 3):
        facts = await promotion(services, model_id, "staging", number)
        expected: dict[str, Any] = {"evaluation": {"metrics": await separately(number)}}
        if number != 1:
            expected["incumbent"] = {"version": 1, "metrics": await separately(1)}
        assert facts.context() == expected
        assert facts.state() == "alias staging points to version 1"
    unset = await promotion(services, model_id, "canary", 2)
    assert unset.context() == {"evaluation": {"metrics": await separately(2)}}
    assert unset.state() == "alias canary is not set"
    assert (await promotion(services, model_id, "staging", 9)).candidate is None
