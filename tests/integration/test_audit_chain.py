"""The audit trail is hash-chained and `modelgraph audit verify` finds the first broken link."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.graph.audit import GENESIS, chain_hash
from app.graph.audit_verify import VerifyResult, verify
from app.graph.checkpoints import checkpoint, mac, merkle_root
from app.services import Services
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


async def chain_result(services: Services) -> VerifyResult:
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        return await verify(session, services.settings.audit_key_bytes())


async def stream_of(services: Services, kind: str) -> list[dict[str, Any]]:
    records, _, _ = await services.driver.execute_query(
        "MATCH (e:AuditEvent) WHERE e.target_kind = $kind "
        "RETURN e.chain AS chain, e.seq AS seq, e.hash AS h, e.prev_hash AS p, e.action AS action "
        "ORDER BY e.chain, e.seq",
        kind=kind,
    )
    return [r.data() for r in records]


async def test_every_write_appends_a_linked_event_to_its_aggregates_stream(clean_graph: Services) -> None:
    await build_chain(clean_graph, "audited")
    result = await chain_result(clean_graph)
    assert result.ok and result.checked == 8  # project, experiment, dataset, feature, run x2, model, version
    runs = await stream_of(clean_graph, "run")
    assert [(e["seq"], e["action"]) for e in runs] == [(1, "publish:start_run"), (2, "modify:finish_run")]
    assert runs[0]["chain"] == runs[1]["chain"] and runs[0]["chain"].startswith("run:run_")
    assert runs[1]["p"] == runs[0]["h"] and runs[0]["p"] == GENESIS
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {chain: 'model:audited'}) RETURN e.seq AS seq, e.action AS action ORDER BY e.seq"
    )
    assert [(r["seq"], r["action"]) for r in records] == [
        (1, "publish:create_model"),
        (2, "publish:register_model_version"),
    ]


async def test_editing_an_event_in_the_database_breaks_verification(clean_graph: Services) -> None:
    await build_chain(clean_graph, "tampered")
    await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {chain: 'model:tampered', seq: 2}) SET e.actor = 'mallory'"
    )
    result = await chain_result(clean_graph)
    assert not result.ok and result.stream == "model:tampered" and result.broken_seq == 2
    assert result.problem == "hash does not match the event's contents"
    # The command runs its own event loop, so it goes to a thread without one.
    args = ["--profile", clean_graph.settings.profile, "audit", "verify"]
    cli_result = await asyncio.to_thread(CliRunner().invoke, cli, args)
    assert cli_result.exit_code == 1 and "BROKEN in stream model:tampered at event 2" in cli_result.output


async def test_deleting_an_event_breaks_verification(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph, "pruned")
    await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {chain: $chain, seq: 1}) DETACH DELETE e", chain=f"run:{ids['run']}"
    )
    result = await chain_result(clean_graph)
    assert not result.ok and result.broken_seq == 1 and result.problem == "event 1 is missing"


async def test_removing_the_newest_events_is_detected_by_the_head(clean_graph: Services) -> None:
    await build_chain(clean_graph, "truncated")
    await clean_graph.driver.execute_query("MATCH (e:AuditEvent {chain: 'model:truncated', seq: 2}) DETACH DELETE e")
    result = await chain_result(clean_graph)
    assert not result.ok and result.stream == "model:truncated"
    assert result.problem == "the stream's head says event 2 but the chain ends at 1"


async def test_rewriting_a_whole_stream_is_caught_by_the_keyed_checkpoint(clean_graph: Services) -> None:
    """Someone with database access recomputes every hash and the head: only the key can tell."""
    await build_chain(clean_graph, "rewritten")
    key = clean_graph.settings.audit_key_bytes()
    assert key is not None
    made = await checkpoint(clean_graph.driver, clean_graph.settings.neo4j_database, key)
    assert made is not None and made.number == 1 and made.streams == 6
    assert await checkpoint(clean_graph.driver, clean_graph.settings.neo4j_database, key) is None  # nothing new
    assert (await chain_result(clean_graph)).ok
    await rewrite_stream(clean_graph, "model:rewritten", actor="mallory")
    result = await chain_result(clean_graph)
    assert not result.ok and result.stream == "model:rewritten" and result.broken_seq == 2
    assert result.problem == "event differs from the one a checkpoint recorded"


async def test_a_forged_checkpoint_is_refused(clean_graph: Services) -> None:
    await build_chain(clean_graph, "forged")
    key = clean_graph.settings.audit_key_bytes()
    assert key is not None
    await checkpoint(clean_graph.driver, clean_graph.settings.neo4j_database, key)
    await rewrite_stream(clean_graph, "model:forged", actor="mallory")
    # Rewrite the checkpoint's heads too, with a MAC under a key the attacker guessed.
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (s:AuditStream) RETURN s.id AS id, s.seq AS seq, s.hash AS hash"
    )
    heads = {r["id"]: [r["seq"], r["hash"]] for r in records}
    props = {"number": 1, "at": "2026-01-01T00:00:00+00:00", "heads": json.dumps(heads, sort_keys=True)}
    props |= {"root": merkle_root(heads), "prev_mac": ""}
    props["mac"] = mac(b"\x00" * 32, props)
    await clean_graph.driver.execute_query("MATCH (c:AuditCheckpoint {number: 1}) SET c += $props", props=props)
    result = await chain_result(clean_graph)
    assert not result.ok and result.problem == "checkpoint 1 does not carry a valid MAC (forged or altered)"


async def rewrite_stream(services: Services, stream: str, actor: str) -> None:
    """Edit every event of a stream and recompute its hashes and head, as an attacker would."""
    records, _, _ = await services.driver.execute_query(
        "MATCH (e:AuditEvent {chain: $chain}) RETURN properties(e) AS props ORDER BY e.seq", chain=stream
    )
    prev = GENESIS
    for record in records:
        props = dict(record["props"])
        props["actor"] = actor
        props["prev_hash"] = prev
        props["hash"] = prev = chain_hash(prev, props)
        await services.driver.execute_query(
            "MATCH (e:AuditEvent {id: $id}) SET e.actor = $actor, e.prev_hash = $prev, e.hash = $hash",
            id=props["id"],
            actor=actor,
            prev=props["prev_hash"],
            hash=props["hash"],
        )
    await services.driver.execute_query("MATCH (s:AuditStream {id: $id}) SET s.hash = $hash", id=stream, hash=prev)


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
    assert [e.target_id for e in page] == [ids["model"]] * 3
    assert [e.action for e in page] == ["modify:update_metadata"] * 3
    rest = await audit_trail(
        clean_graph,
        target=ids["model"],
        actor=None,
        action=None,
        start=None,
        end=None,
        before=page[-1].position,
        limit=10,
    )
    # Registering a version is part of the model's own trail.
    assert [e.action for e in rest] == ["publish:register_model_version", "publish:create_model"]


async def test_the_global_chain_from_before_streams_stays_verifiable(clean_graph: Services) -> None:
    """The backfill turns the old single chain into the stream 'legacy'; new writes go per stream."""
    from app.graph.migrations import discover, split_statements

    prev, at = GENESIS, "2026-01-01T00:00:00+00:00"
    for seq in (1, 2, 3):
        props: dict[str, Any] = {"id": f"ae_legacy{seq}", "seq": seq, "prev_hash": prev, "actor": "root"}
        props |= {"action": "publish:create_model", "decision": "allowed", "reasons": [], "details": "{}"}
        props["hash"] = prev = chain_hash(prev, {**props, "at": at})
        await clean_graph.driver.execute_query(
            "CREATE (e:AuditEvent) SET e = $props, e.at = datetime($at)", props=props, at=at
        )
    await clean_graph.driver.execute_query("CREATE (:AuditHead {id: 'audit-head', seq: 3, hash: $h})", h=prev)
    backfill = next(m for m in discover(clean_graph.settings.graph_schema_dir) if m.version == 31)
    async with clean_graph.driver.session(database=clean_graph.settings.neo4j_database) as session:
        for statement in split_statements(backfill.path.read_text(encoding="utf-8")):
            await (await session.run(statement)).consume()
    await build_chain(clean_graph, "after-streams")
    result = await chain_result(clean_graph)
    assert result.ok and result.checked == 3 + 8

    await clean_graph.driver.execute_query("MATCH (e:AuditEvent {chain: 'legacy', seq: 2}) SET e.actor = 'x'")
    result = await chain_result(clean_graph)
    assert not result.ok and (result.stream, result.broken_seq) == ("legacy", 2)
