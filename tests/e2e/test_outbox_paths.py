"""Every path that changes the registry over HTTP writes its events with its audit event: the REST
intake (health samples, OpenLineage runs) and GraphQL mutations alike."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.events import outbox
from app.services import Services
from tests.e2e.test_openlineage import event
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

PINNED: Any = """
MATCH (o:Outbox) WHERE o.seq > $after
OPTIONAL MATCH (e:AuditEvent {id: o.audit_id})
RETURN o.type AS type, e.action AS action, e.chain = o.stream AND e.seq = o.audit_seq AS pinned ORDER BY o.seq
"""


async def pinned(services: Services, after: int) -> list[dict[str, Any]]:
    records, _, _ = await services.driver.execute_query(PINNED, after=after, database_=services.settings.neo4j_database)
    return [dict(r) for r in records]


async def test_rest_health_intake_writes_a_health_changed_event(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph, "live")
    dep = await run(
        clean_graph,
        "create_deployment",
        {
            "model": "live",
            "name": "live-staging",
            "environment": {"tier": "staging"},
            "serving": [{"version": 1, "traffic_percent": 100}],
        },
    )
    after = await outbox.last_sequence(clean_graph.driver, clean_graph.settings.neo4j_database)
    sample = {
        "deploymentId": dep["id"],
        "at": (datetime.now(UTC) - timedelta(seconds=5)).isoformat(),
        "latencyP95Ms": 2500.0,
        "errorRate": 0.0,
    }
    token = settings.bootstrap_admin_key.get_secret_value()
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        answer = await http.post(
            "/api/v1/health", json={"samples": [sample]}, headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 200, answer.text
    assert await pinned(clean_graph, after) == [
        {"type": "health.changed", "action": "modify:report_health", "pinned": True}
    ]
    [row] = await outbox.read_after(clean_graph.driver, clean_graph.settings.neo4j_database, after)
    assert row["subject"] == dep["id"] and row["data"]["change"]["after"] == "UNHEALTHY"


async def test_rest_lineage_intake_writes_run_events(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    after = await outbox.last_sequence(clean_graph.driver, clean_graph.settings.neo4j_database)
    token = settings.bootstrap_admin_key.get_secret_value()
    run_id = str(uuid.uuid4())
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        for kind in ("START", "COMPLETE"):
            answer = await http.post(
                "/api/v1/lineage", json=event(kind, run_id), headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 201, answer.text
    found = await pinned(clean_graph, after)
    assert all(r["pinned"] for r in found)
    types = [r["type"] for r in found]
    assert {"project.created", "experiment.created", "run.started", "run.finished"} <= set(types)
    assert types.index("run.started") < types.index("run.finished")


async def test_a_graphql_mutation_writes_its_event(live_server: str, settings: Settings, clean_graph: Services) -> None:
    await build_chain(clean_graph, "churn")
    after = await outbox.last_sequence(clean_graph.driver, clean_graph.settings.neo4j_database)
    token = settings.bootstrap_admin_key.get_secret_value()
    mutation = 'mutation { setAlias(input: {model: "churn", alias: "staging", version: 1}) { __typename } }'
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        body = (
            await http.post("/graphql", json={"query": mutation}, headers={"Authorization": f"Bearer {token}"})
        ).json()
    assert body["data"]["setAlias"]["__typename"] == "AliasSuccess"
    assert await pinned(clean_graph, after) == [{"type": "alias.moved", "action": "promote:move_alias", "pinned": True}]
