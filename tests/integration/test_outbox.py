"""The outbox is written in the transaction of the change, whatever path made it: events exist
exactly when their change and its audit event do, numbered without gaps in commit order."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from app.errors import Conflict, RegistryError
from app.events import outbox
from app.graph import audit
from app.registry.actor import Actor, RequestMeta
from app.registry.approvals import decide_review
from app.registry.commands.core import MoveAlias
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

AUDIT_OF: Any = """
MATCH (o:Outbox) MATCH (e:AuditEvent {id: o.audit_id})
RETURN o.seq AS seq, o.type AS type, e.action AS action,
       e.chain = o.stream AS same_stream, e.seq = o.audit_seq AS same_seq
ORDER BY o.seq
"""


async def events(services: Services, after: int = 0) -> list[dict[str, Any]]:
    return await outbox.read_after(services.driver, services.settings.neo4j_database, after, limit=1000)


async def test_every_write_of_a_chain_has_its_events_pinned_to_its_audit_event(clean_graph: Services) -> None:
    await build_chain(clean_graph, "churn")
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "staging", "version": 1})
    found = await events(clean_graph)
    assert [e["seq"] for e in found] == list(range(1, len(found) + 1))  # no gaps
    assert [e["type"] for e in found] == [
        "project.created",
        "experiment.created",
        "dataset.version_registered",
        "feature.registered",
        "run.started",
        "run.finished",
        "model.registered",
        "version.registered",
        "alias.moved",
    ]
    moved = found[-1]
    assert moved["model"] == "churn" and moved["actor"] == "root"
    assert moved["data"]["alias"] == "staging" and moved["data"]["version"] == 1
    records, _, _ = await clean_graph.driver.execute_query(AUDIT_OF, database_=clean_graph.settings.neo4j_database)
    assert len(records) == len(found)
    assert all(r["same_stream"] and r["same_seq"] for r in records)
    assert records[-1]["action"] == "promote:move_alias"


async def test_a_failed_write_leaves_no_event_and_a_replay_adds_none(clean_graph: Services) -> None:
    await build_chain(clean_graph, "churn")
    before = await events(clean_graph)
    with pytest.raises(RegistryError):
        await run(clean_graph, "register_model_version", {"model": "churn", "run_id": "run_nope", "artifact": {}})
    keyed = RequestMeta(actor=Actor(id="root", name="root", roles=("admin",)), request_id="t", idempotency_key="k1")
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "staging", "version": 1}, keyed)
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "staging", "version": 1}, keyed)
    after = await events(clean_graph)
    assert [e["type"] for e in after[len(before) :]] == ["alias.moved"]


async def test_the_outbox_row_commits_with_the_change_or_not_at_all(
    clean_graph: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the outbox rows were written rolls back the change and its audit event too."""
    await build_chain(clean_graph, "churn")
    real = audit.write_event
    written: list[Any] = []

    async def failing(*args: Any, **kwargs: Any) -> list[Any]:
        written.extend(await real(*args, **kwargs))
        raise Conflict("outbox write failed (test)")

    monkeypatch.setattr(audit, "write_event", failing)
    with pytest.raises(Conflict):
        await run(clean_graph, "move_alias", {"model": "churn", "alias": "staging", "version": 1})
    monkeypatch.setattr(audit, "write_event", real)
    assert written, "the outbox rows were sequenced in the audit event's statement before the failure"
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (a:Alias {name: 'staging'}) RETURN count(a) AS aliases", database_=clean_graph.settings.neo4j_database
    )
    assert records[0]["aliases"] == 0
    assert "alias.moved" not in [e["type"] for e in await events(clean_graph)]


async def test_an_approved_review_emits_filed_applied_and_decided_events(clean_graph: Services) -> None:
    await build_chain(clean_graph, "churn")
    await run(clean_graph, "create_principal", {"name": "pat", "roles": ["publisher"]})
    start = (await events(clean_graph))[-1]["seq"]
    pat = RequestMeta(actor=Actor(id="pat", name="pat", roles=("publisher",)), request_id="t")
    from app.registry.execute import execute

    filed = await execute(clean_graph, pat, MoveAlias(model="churn", alias="production", version=1))
    assert filed.review is not None
    ann = RequestMeta(actor=Actor(id="ann", name="ann", roles=("approver",)), request_id="t2")
    await decide_review(clean_graph, ann, str(filed.review["id"]), True, "ok")
    found = await events(clean_graph, start)
    assert [e["type"] for e in found] == ["review.filed", "alias.moved", "review.decided"]
    filed_event, moved, decided = found
    assert filed_event["data"]["command"] == "move_alias" and filed_event["model"] == "churn"
    assert (moved["actor"], moved["data"]["approved_by"], moved["data"]["alias"]) == ("pat", "ann", "production")
    assert (decided["actor"], decided["data"]["status"], decided["subject"]) == ("ann", "APPROVED", filed.review["id"])


async def test_concurrent_writes_get_distinct_gapless_sequences(clean_graph: Services) -> None:
    await run(clean_graph, "create_project", {"name": "first"})
    start = (await events(clean_graph))[-1]["seq"]
    await asyncio.gather(*(run(clean_graph, "create_project", {"name": f"p{i}"}) for i in range(12)))
    found = await events(clean_graph, start)
    assert [e["seq"] for e in found] == list(range(start + 1, start + 13))
    assert sorted(e["data"]["name"] for e in found) == sorted(f"p{i}" for i in range(12))


async def test_the_tail_reads_rows_only_while_someone_in_the_process_listens(
    clean_graph: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.events.broker import ALL, REGISTRY_EVENTS, Broker
    from app.events.tail import OutboxTail

    reads: list[int] = []
    real_read_after = outbox.read_after

    async def counted(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        reads.append(1)
        return await real_read_after(*args, **kwargs)

    monkeypatch.setattr(outbox, "read_after", counted)
    own = Broker()
    tail = OutboxTail(clean_graph.driver, clean_graph.settings.neo4j_database, 60, to=own)
    await tail.step()  # the first poll fixes the position
    await run(clean_graph, "create_project", {"name": "unheard"})
    newest = await outbox.last_sequence(clean_graph.driver, clean_graph.settings.neo4j_database)
    await tail.step()
    assert reads == [] and tail.last == newest  # kept its place only

    async with own.listen(REGISTRY_EVENTS, ALL) as queue:
        await run(clean_graph, "create_project", {"name": "heard"})
        await tail.step()
        got = queue.get_nowait()
        assert got["type"] == "project.created" and got["seq"] == tail.last and queue.empty()
    assert reads == [1]
