"""The audit trail is hash-chained and `modelgraph audit verify` finds the first broken link."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.graph.audit import verify
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


async def chain_result(services: Services):  # type: ignore[no-untyped-def]
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        return await verify(session)


async def test_every_write_appends_a_linked_event(clean_graph: Services) -> None:
    await build_chain(clean_graph, "audited")
    result = await chain_result(clean_graph)
    assert result.ok and result.checked == 8  # project, experiment, dataset, feature, run x2, model, version
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent) RETURN e.seq AS seq, e.hash AS h, e.prev_hash AS p ORDER BY e.seq"
    )
    for before, after in itertools.pairwise(records):
        assert after["p"] == before["h"] and after["seq"] == before["seq"] + 1


async def test_editing_an_event_in_the_database_breaks_verification(clean_graph: Services) -> None:
    await build_chain(clean_graph, "tampered")
    await clean_graph.driver.execute_query("MATCH (e:AuditEvent {seq: 4}) SET e.actor = 'mallory'")
    result = await chain_result(clean_graph)
    assert not result.ok and result.broken_seq == 4 and result.checked == 3
    assert result.problem == "hash does not match the event's contents"
    # The command runs its own event loop, so it goes to a thread without one.
    args = ["--profile", clean_graph.settings.profile, "audit", "verify"]
    cli_result = await asyncio.to_thread(CliRunner().invoke, cli, args)
    assert cli_result.exit_code == 1 and "BROKEN at event 4" in cli_result.output


async def test_deleting_an_event_breaks_verification(clean_graph: Services) -> None:
    await build_chain(clean_graph, "pruned")
    await clean_graph.driver.execute_query("MATCH (e:AuditEvent {seq: 2}) DETACH DELETE e")
    result = await chain_result(clean_graph)
    assert not result.ok and result.broken_seq == 2 and result.problem == "event 2 is missing"


async def test_trail_of_one_target_pages_newest_first(clean_graph: Services) -> None:
    from app.registry.governance import audit_trail

    ids = await build_chain(clean_graph, "trail")
    for revision in (1, 2, 3):
        await run(
            clean_graph,
            "update_metadata",
            {"id": ids["model"], "expected_revision": revision, "changes": {"description": f"r{revision}"}},
        )
    page = await audit_trail(
        clean_graph, target=ids["model"], actor=None, action=None, start=None, end=None, before=None, limit=3
    )
    assert [e["target_id"] for e in page] == [ids["model"]] * 3
    assert [e["action"] for e in page] == ["modify:update_metadata"] * 3
    rest = await audit_trail(
        clean_graph,
        target=ids["model"],
        actor=None,
        action=None,
        start=None,
        end=None,
        before=page[-1]["seq"],
        limit=10,
    )
    # Registering a version is part of the model's own trail.
    assert [e["action"] for e in rest] == ["publish:register_model_version", "publish:create_model"]
