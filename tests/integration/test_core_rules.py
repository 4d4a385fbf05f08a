"""The provenance core's rules against the real Neo4j and OPA."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest

from app.errors import Conflict, DependencyUnavailable, NotFound, PermissionDenied, ValidationFailed
from app.graph.core_reads import CoreReader
from app.graph.lineage import LineageRequest, lineage
from app.graph.model_records import Model, ModelVersion
from app.graphql.context import Context
from app.policy.client import PolicyClient
from app.registry.actor import Actor, RequestMeta
from app.registry.commands.core import MoveAlias
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.services import Services
from tests.integration.chain import ADMIN, DIGEST, build_chain, new_run, run

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


def reader(services: Services) -> CoreReader:
    return CoreReader(services.driver, services.settings.neo4j_database)


async def count(services: Services, label: str) -> int:
    records, _, _ = await services.driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS c")
    return int(records[0]["c"])


async def test_fifty_concurrent_registrations_get_versions_1_to_50_without_deadlocks(
    clean_graph: Services, caplog: pytest.LogCaptureFixture
) -> None:
    ids = await build_chain(clean_graph)
    payload = {"model": "churn", "run_id": ids["run"], "artifact": {"uri": "s3://m/x", "digest": DIGEST}}
    with caplog.at_level(logging.WARNING, logger="neo4j"):
        results = await asyncio.gather(*(run(clean_graph, "register_model_version", payload) for _ in range(49)))
    numbers = sorted([1] + [r["version"] for r in results])
    assert numbers == list(range(1, 51))
    # Writers queue on the model's stream head, taken first: no lock cycle for the driver to retry.
    assert not [r.getMessage() for r in caplog.records if "retried" in r.getMessage()]


async def test_concurrent_writes_to_many_models_each_chain_their_own_stream(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    names = [f"parallel-{i}" for i in range(8)]
    await asyncio.gather(*(run(clean_graph, "create_model", {"name": n, "licence": "MIT"}) for n in names))
    payload = {"run_id": ids["run"], "artifact": {"uri": "s3://m/x", "digest": DIGEST}}
    await asyncio.gather(
        *(run(clean_graph, "register_model_version", {**payload, "model": n}) for n in names for _ in range(3))
    )
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (s:AuditStream) WHERE s.id STARTS WITH 'model:parallel-' RETURN s.id AS id, s.seq AS seq"
    )
    assert {r["id"]: r["seq"] for r in records} == {f"model:{n}": 4 for n in names}  # create + 3 versions


async def test_replayed_idempotency_key_returns_first_result_and_writes_nothing(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    keyed = RequestMeta(actor=ADMIN.actor, request_id="r1", idempotency_key="reg-42")
    payload = {"model": "churn", "run_id": ids["run"], "artifact": {"uri": "s3://m/x", "digest": DIGEST}}
    first = await execute(clean_graph, keyed, command_from("register_model_version", payload))
    audit_before = await count(clean_graph, "AuditEvent")
    second = await execute(clean_graph, keyed, command_from("register_model_version", payload))
    assert second.replayed and second.result == first.result
    assert await count(clean_graph, "ModelVersion") == 2
    assert await count(clean_graph, "AuditEvent") == audit_before
    with pytest.raises(Conflict, match="already used for a different request"):
        await execute(clean_graph, keyed, command_from("register_model_version", {**payload, "notes": "other"}))


async def test_a_run_is_started_with_known_inputs_or_none_and_an_unknown_one_is_not_found(
    clean_graph: Services,
) -> None:
    ids = await build_chain(clean_graph)
    runs = await count(clean_graph, "Run")
    with pytest.raises(NotFound, match="inputs: no dataset version or feature with id 'dsv_missing'") as refused:
        await run(
            clean_graph,
            "start_run",
            {"experiment_id": ids["experiment"], "inputs": [ids["dataset_version"], "dsv_missing"]},
        )
    assert refused.value.field == "inputs"
    assert await count(clean_graph, "Run") == runs  # nothing written
    bare = await run(clean_graph, "start_run", {"experiment_id": ids["experiment"]})
    fed = await run(clean_graph, "start_run", {"experiment_id": ids["experiment"], "inputs": [ids["dataset_version"]]})
    assert await count(clean_graph, "Run") == runs + 2
    used, _, _ = await clean_graph.driver.execute_query(
        "MATCH (r:Run)-[:USED]->(d) WHERE r.id IN $ids RETURN r.id AS run, collect(d.id) AS inputs",
        ids=[bare["id"], fed["id"]],
    )
    assert {r["run"]: r["inputs"] for r in used} == {fed["id"]: [ids["dataset_version"]]}


async def test_finished_run_is_immutable(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    with pytest.raises(Conflict, match="FINISHED: a finished run's inputs and metrics are immutable"):
        await run(clean_graph, "finish_run", {"run_id": ids["run"], "metrics": {"f1": 0.1}})
    with pytest.raises(Conflict, match="immutable"):
        await run(clean_graph, "add_run_inputs", {"run_id": ids["run"], "inputs": [ids["dataset_version"]]})
    run_node = await reader(clean_graph).run(ids["run"])
    assert run_node is not None and run_node.metrics == {"f1": 0.9, "auc": 0.95}


async def test_version_digest_and_run_cannot_be_changed(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    for field in ("artifact_digest", "run_id"):
        with pytest.raises(ValidationFailed, match=f"changes.{field}: cannot be changed on a ModelVersion"):
            await run(
                clean_graph,
                "update_metadata",
                {"id": ids["model_version"], "expected_revision": 1, "changes": {field: "x"}},
            )
    mv = await reader(clean_graph).record(ids["model_version"])
    assert isinstance(mv, ModelVersion) and mv.artifact.digest == DIGEST and mv.run_id == ids["run"]


async def test_metadata_revisions_and_stale_revision_conflict(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    await run(
        clean_graph,
        "update_metadata",
        {"id": ids["model"], "expected_revision": 1, "changes": {"description": "first"}},
    )
    with pytest.raises(Conflict, match="is at revision 2, not 1"):
        await run(
            clean_graph,
            "update_metadata",
            {"id": ids["model"], "expected_revision": 1, "changes": {"description": "lost update"}},
        )
    await run(
        clean_graph,
        "update_metadata",
        {"id": ids["model"], "expected_revision": 2, "changes": {"description": "second", "tags": ["a"]}},
    )
    revisions = await reader(clean_graph).revisions(ids["model"])
    assert [r.revision for r in revisions] == [3, 2]
    assert revisions[0].changes["description"] == {"from": "first", "to": "second"}
    assert revisions[1].actor == "root"


async def test_alias_history_answers_where_it_pointed_at_a_time(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    r2 = await new_run(clean_graph, ids["experiment"], [ids["dataset_version"]], {"f1": 0.92, "auc": 0.96})
    await run(
        clean_graph,
        "register_model_version",
        {"model": "churn", "run_id": r2, "artifact": {"uri": "s3://m/2", "digest": DIGEST}},
    )
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "staging", "version": 1})
    between = datetime.now(UTC)
    await asyncio.sleep(0.05)
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "staging", "version": 2})
    core = reader(clean_graph)
    then = await core.alias_at(ids["model"], "staging", between)
    now = await core.alias_at(ids["model"], "staging", datetime.now(UTC))
    assert then is not None and then.version == 1
    assert now is not None and now.version == 2
    assert [p.version for p in await core.alias_history(ids["model"], "staging")] == [2, 1]


async def test_lineage_both_directions_and_impact(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    db = clean_graph.settings.neo4j_database
    up = await lineage(clean_graph.driver, db, LineageRequest(ids["model_version"], ("UPSTREAM",), 5, None, None))
    kinds = {n.kind for n in up.nodes}
    assert {"ModelVersion", "Run", "DatasetVersion", "Feature", "Model", "Experiment"} <= kinds
    assert any(e.type == "TRAINED_BY" and e.source == ids["model_version"] for e in up.edges)
    # A reached node carries its key fields (and its owners, for the disclosure gate), nothing else:
    # no search document, metrics or custom properties, and no key the node does not have.
    [model] = [n for n in up.nodes if n.kind == "Model"]
    assert model.props["name"] == "churn" and model.props["id"] == ids["model"]
    assert not any(k.startswith(("s_", "metric.", "cp.")) for n in up.nodes for k in n.props)
    assert all(v is not None for n in up.nodes for v in n.props.values())
    down = await lineage(
        clean_graph.driver,
        db,
        LineageRequest(ids["dataset_version"], ("DOWNSTREAM",), 5, frozenset({"ModelVersion"}), None),
    )
    assert [n.id for n in down.nodes if n.kind == "ModelVersion"] == [ids["model_version"]]
    capped = await lineage(
        clean_graph.driver, db, LineageRequest(ids["model_version"], ("UPSTREAM",), 10, None, None, max_nodes=3)
    )
    assert capped.truncated and len(capped.nodes) == 3


async def test_impact_pages_every_version_trained_downstream_of_a_dataset(clean_graph: Services) -> None:
    from app.graphql.schema import build_schema
    from tests.integration.chain import ADMIN

    ids = await build_chain(clean_graph)
    derived = await run(
        clean_graph,
        "register_dataset_version",
        {
            "dataset": "churn-clean",
            "source_uri": "s3://raw/customers.parquet",  # a known source: no new-source review
            "derived_from": [{"dataset_version_id": ids["dataset_version"], "step": "dedupe"}],
            "usage_rights": {"training_allowed": True, "commercial_use": True, "contains_personal_data": False},
        },
    )

    async def version_from(inputs: list[str], **extra: object) -> str:
        r = await run(clean_graph, "start_run", {"experiment_id": ids["experiment"], "inputs": inputs})
        await run(clean_graph, "finish_run", {"run_id": r["id"]})
        artifact = {"uri": "s3://m/x", "digest": DIGEST}
        payload = {"model": "churn", "run_id": r["id"], "artifact": artifact, **extra}
        return str((await run(clean_graph, "register_model_version", payload))["id"])

    on_derived = [await version_from([derived["id"]]) for _ in range(2)]
    tuned = await version_from([], fine_tuned_from=on_derived[0])
    unrelated = await version_from([])
    expected = {ids["model_version"], *on_derived, tuned}

    schema = build_schema(clean_graph.settings)
    query = """query($d: ID!, $after: String) { impactedVersions(input: {datasetVersion: $d, first: 2, after: $after})
      { versions { id } total totalIsExact hasNextPage endCursor } }"""
    seen: list[str] = []
    after = None
    while True:
        out = await schema.execute(
            query,
            variable_values={"d": ids["dataset_version"], "after": after},
            context_value=Context(request=None, response=None, services=clean_graph, principal=ADMIN.actor),  # type: ignore[arg-type]
        )
        assert out.errors is None and out.data is not None, out.errors
        page = out.data["impactedVersions"]
        assert (page["total"], page["totalIsExact"]) == (4, True) and len(page["versions"]) <= 2
        seen += [v["id"] for v in page["versions"]]
        if not page["hasNextPage"]:
            break
        after = page["endCursor"]
    assert set(seen) == expected and len(seen) == 4 and unrelated not in seen


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"name": "bad\x00name"}, "name: must be 1-128 characters"),
        ({"name": "x" * 129}, "name: must be 1-128 characters"),
        ({"name": "m') DETACH DELETE n //"}, "name: must be 1-128 characters"),
        ({"name": "ok", "description": "nul\x00inside"}, "description: must not contain NUL"),
        ({"name": "ok", "regulatory": ["SOMETHING"]}, "regulatory: must be one of GDPR"),
    ],
)
async def test_bad_model_input_is_refused_and_changes_nothing(
    clean_graph: Services, payload: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        await run(clean_graph, "create_model", payload)
    assert await count(clean_graph, "Model") == 0


async def test_cypher_metacharacters_in_free_text_are_stored_verbatim(clean_graph: Services) -> None:
    text = "'); MATCH (n) DETACH DELETE n; // {x} $param `tick` ünïcode"
    created = await run(clean_graph, "create_model", {"name": "verbatim", "description": text, "licence": "MIT"})
    model = await reader(clean_graph).record(created["id"])
    assert isinstance(model, Model) and model.description == text


async def test_non_finite_metrics_are_refused(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    r = await run(clean_graph, "start_run", {"experiment_id": ids["experiment"]})
    for bad in (float("nan"), float("inf")):
        with pytest.raises(ValidationFailed, match=r"metrics\.f1: must be a finite number"):
            await run(clean_graph, "finish_run", {"run_id": r["id"], "metrics": {"f1": bad}})
    node = await reader(clean_graph).run(r["id"])
    assert node is not None and node.status == "RUNNING"


async def test_viewer_cannot_publish_and_the_denial_is_audited(clean_graph: Services) -> None:
    viewer = RequestMeta(actor=Actor(id="vic", name="vic", roles=("viewer",)), request_id="deny-1")
    with pytest.raises(PermissionDenied, match="role viewer may not publish model"):
        await run(clean_graph, "create_model", {"name": "nope", "licence": "MIT"}, viewer)
    assert await count(clean_graph, "Model") == 0
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {request_id: 'deny-1'}) RETURN e.decision AS d, e.reasons AS r"
    )
    assert records[0]["d"] == "denied" and "role viewer may not publish model" in records[0]["r"]


async def test_policy_engine_down_means_deny_and_nothing_written(clean_graph: Services) -> None:
    broken = Services(
        clean_graph.settings, clean_graph.driver, PolicyClient("http://127.0.0.1:1", 0.5), clean_graph.artifacts
    )
    await broken.policy.open()
    try:
        with pytest.raises(DependencyUnavailable, match="policy engine unavailable"):
            await run(broken, "create_model", {"name": "closed", "licence": "MIT"})
    finally:
        await broken.policy.close()
    assert await count(clean_graph, "Model") == 0


async def test_publishing_on_data_that_forbids_training_is_denied(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    bad = await run(
        clean_graph,
        "register_dataset_version",
        {"dataset": "scraped", "source_uri": "s3://raw/scraped", "usage_rights": {"training_allowed": False}},
    )
    r = await new_run(clean_graph, ids["experiment"], [bad["id"]], {"f1": 0.99})
    with pytest.raises(PermissionDenied, match="forbids training"):
        await run(
            clean_graph,
            "register_model_version",
            {"model": "churn", "run_id": r, "artifact": {"uri": "s3://m/z", "digest": DIGEST}},
        )
    assert await count(clean_graph, "ModelVersion") == 1


async def test_worse_promotion_waits_for_review_and_applies_on_approval(clean_graph: Services) -> None:
    from app.registry.approvals import decide_review

    ids = await build_chain(clean_graph)
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "production", "version": 1})
    worse = await new_run(clean_graph, ids["experiment"], [ids["dataset_version"]], {"f1": 0.85, "auc": 0.9})
    await run(
        clean_graph,
        "register_model_version",
        {"model": "churn", "run_id": worse, "artifact": {"uri": "s3://m/w", "digest": DIGEST}},
    )
    bob = RequestMeta(actor=Actor(id="bob", name="bob", roles=("approver",)), request_id="promo")
    outcome = await execute(clean_graph, bob, MoveAlias(model="churn", alias="production", version=2))
    assert outcome.review is not None and outcome.result is None
    core = reader(clean_graph)
    assert (await core.aliases(ids["model"]))[0].version == 1
    with pytest.raises(PermissionDenied, match="may not approve their own request"):
        await decide_review(clean_graph, bob, outcome.review["id"], True, "mine")
    carol = RequestMeta(actor=Actor(id="carol", name="carol", roles=("approver",)), request_id="approve")
    decided = await decide_review(clean_graph, carol, outcome.review["id"], True, "ok, known trade-off")
    assert decided["status"] == "APPROVED" and decided["decided_by"] == "carol"
    assert (await core.aliases(ids["model"]))[0].version == 2


async def test_batch_registration_numbers_in_order_all_or_nothing(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    item = {"run_id": ids["run"], "artifact": {"uri": "s3://m/b", "digest": DIGEST}}
    audit_before = await count(clean_graph, "AuditEvent")
    batch = await run(clean_graph, "register_model_versions", {"model": "churn", "versions": [item, item, item]})
    assert batch["versions"] == [2, 3, 4] and len(batch["ids"]) == 3
    assert await count(clean_graph, "AuditEvent") == audit_before + 1
    bad = [item, {**item, "artifact": {"uri": "s3://m/x", "digest": "md5:abc"}}]
    with pytest.raises(ValidationFailed, match=r"versions\[1\]\.artifact\.digest: must be sha256"):
        await run(clean_graph, "register_model_versions", {"model": "churn", "versions": bad})
    running = await run(clean_graph, "start_run", {"experiment_id": ids["experiment"]})
    unfinished = [item, {**item, "run_id": running["id"]}]
    with pytest.raises(Conflict, match=r"versions\[1\]\.runId: run is RUNNING"):
        await run(clean_graph, "register_model_versions", {"model": "churn", "versions": unfinished})
    assert await count(clean_graph, "ModelVersion") == 4
    again = await run(clean_graph, "register_model_versions", {"model": "churn", "versions": [item]})
    assert again["versions"] == [5]  # a refused batch used no numbers


async def test_batch_is_denied_whole_when_one_run_may_not_train(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    forbidden = await run(
        clean_graph,
        "register_dataset_version",
        {"dataset": "no-training", "source_uri": "s3://raw/x", "usage_rights": {"training_allowed": False}},
    )
    r = await new_run(clean_graph, ids["experiment"], [forbidden["id"]], {"f1": 0.9})
    ok = {"run_id": ids["run"], "artifact": {"uri": "s3://m/ok", "digest": DIGEST}}
    bad = {"run_id": r, "artifact": {"uri": "s3://m/bad", "digest": DIGEST}}
    with pytest.raises(PermissionDenied, match="forbids training"):
        await run(clean_graph, "register_model_versions", {"model": "churn", "versions": [ok, bad]})
    assert await count(clean_graph, "ModelVersion") == 1


async def test_an_expired_review_cannot_be_approved(clean_graph: Services) -> None:
    from app.registry.approvals import decide_review

    await build_chain(clean_graph)
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "production", "version": 1})
    publisher = RequestMeta(actor=Actor(id="pat", name="pat", roles=("publisher",)), request_id="late")
    outcome = await execute(clean_graph, publisher, MoveAlias(model="churn", alias="champion", version=1))
    assert outcome.review is not None
    await clean_graph.driver.execute_query(
        "MATCH (r:Review {id: $id}) SET r.expires_at = datetime() - duration('PT1S')", id=outcome.review["id"]
    )
    approver = RequestMeta(actor=Actor(id="ann", name="ann", roles=("approver",)), request_id="late")
    with pytest.raises(Conflict, match="expired at"):
        await decide_review(clean_graph, approver, outcome.review["id"], True, "too late")
