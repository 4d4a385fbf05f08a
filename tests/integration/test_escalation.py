"""Reviews that do not stall, against the real OPA and Neo4j: a pending review escalates once after
policy's waiting time to whom policy names, an expired one says who should have acted and can no
longer be approved, and both steps are in the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.errors import Conflict
from app.registry.actor import Actor, RequestMeta
from app.registry.approvals import decide_review
from app.registry.commands.core import MoveAlias
from app.registry.escalation import escalate_reviews
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.registry.reviews import get_review
from app.services import Services
from tests.conftest import opa_test_headers
from tests.integration.chain import build_chain

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

PAT = RequestMeta(actor=Actor(id="pat", name="pat", roles=("publisher",)), request_id="req-pat")
ANN = RequestMeta(actor=Actor(id="ann", name="ann", roles=("approver",)), request_id="req-ann")


async def pending_review(services: Services) -> dict[str, Any]:
    await build_chain(services)
    outcome = await execute(services, PAT, MoveAlias(model="churn", alias="production", version=1))
    assert outcome.review is not None
    return await get_review(services, outcome.review["id"])


async def trail(services: Services, review_id: str) -> list[tuple[str, str]]:
    found = await services.driver.execute_query(
        "MATCH (e:AuditEvent {chain: $c}) RETURN e.action AS a, e.details AS d ORDER BY e.seq", c=f"review:{review_id}"
    )
    return [(r["a"], r["d"]) for r in found.records]


async def test_a_review_waiting_too_long_escalates_once_then_expires_naming_who_should_have_acted(
    clean_graph: Services,
) -> None:
    review = await pending_review(clean_graph)
    filed = review["created_at"].to_native()

    assert (await escalate_reviews(clean_graph, now=filed + timedelta(hours=23))).escalated == []
    later = await escalate_reviews(clean_graph, now=filed + timedelta(hours=25))
    assert later.escalated == [{"review": review["id"], "to": ["role:admin"]}]
    assert (await escalate_reviews(clean_graph, now=filed + timedelta(hours=26))).escalated == []  # once
    escalated = await get_review(clean_graph, review["id"])
    assert escalated["status"] == "PENDING" and escalated["escalated_to"] == ["role:admin"]

    expired = await escalate_reviews(clean_graph, now=review["expires_at"].to_native() + timedelta(seconds=1))
    assert expired.expired == [{"review": review["id"], "should_have_acted": ["role:admin"]}]
    closed = await get_review(clean_graph, review["id"])
    assert closed["status"] == "EXPIRED" and closed["should_have_acted"] == ["role:admin"]
    with pytest.raises(Conflict, match="already EXPIRED"):
        await decide_review(clean_graph, ANN, review["id"], True, "too late")

    events = await clean_graph.driver.execute_query(
        "MATCH (o:Outbox {subject: $id}) WHERE o.type IN ['review.escalated', 'review.expired'] "
        "RETURN o.type AS t ORDER BY o.seq",
        id=review["id"],
    )
    assert [r["t"] for r in events.records] == ["review.escalated", "review.expired"]
    steps = await trail(clean_graph, review["id"])
    assert [a for a, _ in steps] == ["review:escalated", "review:expired"]
    assert '"to": ["role:admin"]' in steps[0][1] and '"should_have_acted": ["role:admin"]' in steps[1][1]


async def test_an_unescalated_review_expires_naming_every_role_that_could_approve(clean_graph: Services) -> None:
    review = await pending_review(clean_graph)
    expired = await escalate_reviews(clean_graph, now=datetime.now(UTC) + timedelta(days=30))
    # Expiry wins over escalation: a review past both is expired, not escalated first.
    assert expired.escalated == []
    assert expired.expired == [{"review": review["id"], "should_have_acted": ["role:admin", "role:approver"]}]


@pytest.fixture
def team_leads(settings: Settings) -> Iterator[None]:
    """Policy data naming dana the lead of team risk (escalation after 1 h), put back afterwards."""
    url = f"{settings.opa_url}/v1/data/modelgraph/config/review_escalation"
    original = httpx.get(url, headers=opa_test_headers(settings), timeout=5).json()["result"]
    leads = {**original, "after_hours": 1, "team_leads": {"risk": "dana"}}
    httpx.put(url, json=leads, headers=opa_test_headers(settings), timeout=5).raise_for_status()
    yield
    httpx.put(url, json=original, headers=opa_test_headers(settings), timeout=5).raise_for_status()


async def test_team_leads_named_by_policy_data_get_the_escalation(clean_graph: Services, team_leads: None) -> None:
    await build_chain(clean_graph, "scored")
    await clean_graph.driver.execute_query("MATCH (m:Model {name: 'scored'}) SET m.owner_teams = ['risk']")
    promote = {"model": "scored", "alias": "production", "version": 1}
    outcome = await execute(clean_graph, PAT, command_from("move_alias", promote))
    assert outcome.review is not None
    review = await get_review(clean_graph, outcome.review["id"])
    report = await escalate_reviews(clean_graph, now=review["created_at"].to_native() + timedelta(hours=2))
    assert report.escalated == [{"review": review["id"], "to": ["principal:dana"]}]
