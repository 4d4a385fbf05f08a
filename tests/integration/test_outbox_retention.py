"""Outbox retention removes the oldest events once they are old enough and no delivery waits for
them, a prefix of the sequence at a time; a reader asking to continue from a removed sequence is told
so instead of silently missing events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from app.events import outbox, retention
from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services
from tests.integration.chain import run

pytestmark = pytest.mark.integration

WEEK = timedelta(days=7)
AGE: Any = "MATCH (o:Outbox) WHERE o.seq <= $upto SET o.at = o.at - duration({days: 10})"
DELIVERY: Any = """
MATCH (o:Outbox {seq: $seq})
CREATE (:WebhookDelivery {id: 'whd_' + o.id, key: 'k_' + o.id, event_id: o.id, state: $state})
"""
SET_STATE: Any = "MATCH (d:WebhookDelivery) SET d.state = $state"
DELIVERIES: Any = "MATCH (d:WebhookDelivery) RETURN count(d) AS n"
EVENTS = "query($after: Int!) { registryEvents(afterSequence: $after) { events { sequence } lastSequence } }"


async def seqs(services: Services) -> list[int]:
    found = await outbox.read_after(services.driver, services.settings.neo4j_database, 0, limit=1000)
    return [int(e["seq"]) for e in found]


async def query(services: Services, after: int) -> Any:
    root = Actor(id="r", name="r", roles=("admin",))
    context = Context(request=None, response=None, services=services, principal=root)  # type: ignore[arg-type]
    return await build_schema(services.settings).execute(
        EVENTS, variable_values={"after": after}, context_value=context
    )


async def test_old_events_go_oldest_first_and_never_past_one_a_delivery_waits_for(clean_graph: Services) -> None:
    db = clean_graph.settings.neo4j_database
    for n in range(6):
        await run(clean_graph, "create_project", {"name": f"p{n}"})
    assert await seqs(clean_graph) == [1, 2, 3, 4, 5, 6]
    await clean_graph.driver.execute_query(AGE, upto=4, database_=db)  # 1..4 are ten days old
    await clean_graph.driver.execute_query(DELIVERY, seq=2, state="retrying", database_=db)

    assert await retention.prune(clean_graph.driver, db, WEEK) == 1  # stops at 2: a delivery waits for it
    assert await seqs(clean_graph) == [2, 3, 4, 5, 6]
    assert await retention.pruned_through(clean_graph.driver, db) == 1

    await clean_graph.driver.execute_query(SET_STATE, state="dead", database_=db)
    assert await retention.prune(clean_graph.driver, db, WEEK) == 3  # 2..4, and the ended delivery with 2
    assert await seqs(clean_graph) == [5, 6]  # younger than the retention
    records, _, _ = await clean_graph.driver.execute_query(DELIVERIES, database_=db)
    assert records[0]["n"] == 0
    assert await retention.prune(clean_graph.driver, db, WEEK) == 0
    await run(clean_graph, "create_project", {"name": "after"})
    assert await seqs(clean_graph) == [5, 6, 7]  # numbering goes on


async def test_reading_on_from_a_removed_sequence_is_refused_naming_after_sequence(clean_graph: Services) -> None:
    db = clean_graph.settings.neo4j_database
    for n in range(4):
        await run(clean_graph, "create_project", {"name": f"p{n}"})
    await clean_graph.driver.execute_query(AGE, upto=2, database_=db)
    assert await retention.prune(clean_graph.driver, db, WEEK) == 2

    refused = await query(clean_graph, 1)
    assert refused.errors, refused
    error = refused.errors[0]
    assert "afterSequence" in error.message and "up to 2" in error.message
    assert (error.extensions or {}).get("code") == "CONFLICT"
    for after, expected in ((0, [3, 4]), (2, [3, 4]), (3, [4])):  # 0: from the oldest kept
        out = await query(clean_graph, after)
        assert out.errors is None and out.data is not None, out.errors
        assert [e["sequence"] for e in out.data["registryEvents"]["events"]] == expected
