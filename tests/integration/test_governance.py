"""Paths around the policies, closed: each test drives the real write path against Neo4j and OPA."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.errors import AlreadyExists, Conflict, PermissionDenied, ValidationFailed
from app.graph.core_reads import CoreReader
from app.graph.model_records import Model
from app.registry.actor import Actor, RequestMeta
from app.registry.approvals import decide_review
from app.registry.commands.core import MoveAlias
from app.registry.execute import execute
from app.registry.handlers import command_from
from app.services import Services
from tests.conftest import force_working_hours, opa_test_headers
from tests.integration.chain import DIGEST, build_chain, new_run, run

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


def who(name: str, *roles: str, teams: tuple[str, ...] = ()) -> RequestMeta:
    return RequestMeta(actor=Actor(id=name, name=name, roles=roles, teams=teams), request_id=f"req-{name}")


PAT = who("pat", "publisher")
ANN = who("ann", "approver")


def core(services: Services) -> CoreReader:
    return CoreReader(services.driver, services.settings.neo4j_database)


async def aliases(services: Services, model_id: str) -> dict[str, int]:
    return {a.alias: a.version for a in await core(services).aliases(model_id)}


async def second_version(services: Services, ids: dict[str, str], metrics: dict[str, float]) -> None:
    r = await new_run(services, ids["experiment"], [ids["dataset_version"]], metrics)
    await run(
        services,
        "register_model_version",
        {"model": "churn", "run_id": r, "artifact": {"uri": "s3://m/2", "digest": DIGEST}},
    )


# ---- 1. removing a protected alias is a promotion --------------------------------------------
async def test_removing_production_is_a_protected_promotion_not_a_modify(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "production", "version": 1})
    owner = who("root", "publisher")
    outcome = await execute(clean_graph, owner, command_from("remove_alias", {"model": "churn", "alias": "production"}))
    assert outcome.review is not None and outcome.result is None
    assert outcome.decision is not None
    assert outcome.decision.reasons == ("role publisher needs approval to remove protected alias production",)
    assert await aliases(clean_graph, ids["model"]) == {"production": 1}
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {decision: 'review'}) RETURN e.action AS action"
    )
    assert [r["action"] for r in records] == ["promote:remove_alias"]
    await decide_review(clean_graph, ANN, outcome.review["id"], True, "retiring the model")
    assert await aliases(clean_graph, ids["model"]) == {}


# ---- 2. alias spellings ----------------------------------------------------------------------
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in "production")


@pytest.mark.parametrize("spelling", ["Production", "PRODUCTION", FULL_WIDTH])
async def test_other_spellings_of_production_are_production(clean_graph: Services, spelling: str) -> None:
    ids = await build_chain(clean_graph)
    outcome = await execute(clean_graph, PAT, MoveAlias(model="churn", alias=spelling, version=1))
    assert outcome.review is not None
    assert outcome.decision is not None
    assert "role publisher needs approval to promote to protected alias production" in outcome.decision.reasons
    assert await aliases(clean_graph, ids["model"]) == {}


@pytest.mark.parametrize(
    ("spelling", "message"),
    [
        ("production\n", "alias: must not start or end with whitespace"),
        (" production", "alias: must not start or end with whitespace"),
        ("produc\u200btion", "alias: must not contain control, bidi or zero-width characters"),
        ("prod\u0443ction", "alias: must be 1-128 characters"),  # Cyrillic u: a confusable letter
    ],
)
async def test_disguised_aliases_are_refused(clean_graph: Services, spelling: str, message: str) -> None:
    ids = await build_chain(clean_graph)
    with pytest.raises(ValidationFailed, match=message) as raised:
        await execute(clean_graph, PAT, MoveAlias(model="churn", alias=spelling, version=1))
    assert raised.value.field == "alias"
    assert await aliases(clean_graph, ids["model"]) == {}


async def test_alias_is_unique_in_its_normalised_form(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    await second_version(clean_graph, ids, {"f1": 0.95, "auc": 0.97})
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "Staging", "version": 1})
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "staging", "version": 2})
    assert await aliases(clean_graph, ids["model"]) == {"staging": 2}


# ---- 3. whole-pattern names, case-insensitive uniqueness, invisible characters --------------
@pytest.mark.parametrize(
    ("command", "payload", "message"),
    [
        ("create_model", {"name": "churn\n", "licence": "MIT"}, "name: must be 1-128 characters"),
        ("create_project", {"name": "risk\n"}, "name: must be 1-128 characters"),
        (
            "register_dataset_version",
            {"dataset": "d", "source_uri": "s3://x", "digest": DIGEST + "\n"},
            "digest: must be sha256",
        ),
    ],
)
async def test_a_trailing_newline_does_not_pass_a_pattern(
    clean_graph: Services, command: str, payload: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        await run(clean_graph, command, payload)
    records, _, _ = await clean_graph.driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS c")
    assert records[0]["c"] == 0


async def test_model_and_project_names_are_unique_ignoring_case(clean_graph: Services) -> None:
    await run(clean_graph, "create_model", {"name": "Credit-Default", "licence": "MIT"})
    with pytest.raises(
        AlreadyExists, match=r"a model named 'credit-default' already exists \(names are unique ignoring case\)"
    ):
        await run(clean_graph, "create_model", {"name": "credit-default", "licence": "MIT"})
    await run(clean_graph, "create_project", {"name": "Risk"})
    with pytest.raises(AlreadyExists, match="a project named 'RISK' already exists"):
        await run(clean_graph, "create_project", {"name": "RISK"})
    records, _, _ = await clean_graph.driver.execute_query("MATCH (n:Model|Project) RETURN n.name_key AS k ORDER BY k")
    assert [r["k"] for r in records] == ["credit-default", "risk"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("owners", "ro\u202eot"), ("owner_teams", "ri\u200bsk"), ("tags", "p\x85ii"), ("owners", "ro\u2066ot")],
)
async def test_owners_teams_and_tags_refuse_invisible_characters(clean_graph: Services, field: str, value: str) -> None:
    with pytest.raises(ValidationFailed, match="must not contain control, bidi or zero-width characters"):
        await run(clean_graph, "create_model", {"name": "m", "licence": "MIT", field: [value]})
    ids = await build_chain(clean_graph)
    with pytest.raises(ValidationFailed, match=rf"changes\.{field}\[0\]: must not contain control"):
        await run(
            clean_graph, "update_metadata", {"id": ids["model"], "expected_revision": 1, "changes": {field: [value]}}
        )
    with pytest.raises(ValidationFailed, match=r"teams\[0\]: must not contain control"):
        await run(clean_graph, "create_principal", {"name": "eve", "roles": ["viewer"], "teams": [value]})


# ---- 4 and 8. production deployments: every served version, reasons name the deployment -----
def deployment(split: Sequence[tuple[int, float]], tier: str = "production") -> dict[str, Any]:
    return {
        "model": "churn",
        "name": "scoring",
        "environment": {"tier": tier},
        "serving": [{"version": n, "traffic_percent": pct} for n, pct in split],
    }


async def test_every_version_that_receives_traffic_meets_production_thresholds(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    await second_version(clean_graph, ids, {"f1": 0.6, "auc": 0.95})
    for split, share in (([(1, 50), (2, 50)], "50%"), ([(1, 99), (2, 1)], "1%")):
        with pytest.raises(PermissionDenied) as denied:
            await run(clean_graph, "create_deployment", deployment(split))
        assert denied.value.reasons == [
            f"version 2 ({share} of traffic): evaluation f1=0.6 below threshold 0.8 for deployment to production"
        ]
    records, _, _ = await clean_graph.driver.execute_query("MATCH (d:Deployment) RETURN count(d) AS c")
    assert records[0]["c"] == 0


async def test_production_deployment_reasons_name_the_deployment_not_an_alias(clean_graph: Services) -> None:
    await build_chain(clean_graph)
    outcome = await execute(clean_graph, PAT, command_from("create_deployment", deployment([(1, 100)])))
    assert outcome.review is not None and outcome.decision is not None
    assert outcome.decision.reasons == ("role publisher needs approval to deploy to production",)
    staging_deployment = command_from("create_deployment", {**deployment([(1, 100)], "staging"), "name": "s"})
    staging = await execute(clean_graph, PAT, staging_deployment)
    assert staging.result is not None and staging.decision is not None and staging.decision.reasons == ()


# ---- 5. licence on update --------------------------------------------------------------------
async def test_update_metadata_meets_the_licence_allow_list(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    for licence, reason in (("GPL-3.0", "licence GPL-3.0 is not on the allowed list"), ("", "licence is required")):
        with pytest.raises(PermissionDenied) as denied:
            await run(
                clean_graph,
                "update_metadata",
                {"id": ids["model"], "expected_revision": 1, "changes": {"licence": licence}},
            )
        assert denied.value.reasons == [reason]
    model = await core(clean_graph).record(ids["model"])
    assert isinstance(model, Model) and model.licence == "Apache-2.0" and model.revision == 1
    await run(
        clean_graph, "update_metadata", {"id": ids["model"], "expected_revision": 1, "changes": {"licence": "MIT"}}
    )


# ---- 6. publishing into another team's model -------------------------------------------------
async def test_another_teams_evaluation_or_version_needs_ownership_or_a_grant(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    mallory = who("mallory", "publisher", teams=("fraud",))
    bad = {"model": "churn", "version": 1, "metrics": {"f1": 0.1}}
    with pytest.raises(PermissionDenied) as denied:
        await run(clean_graph, "record_evaluation", bad, mallory)
    assert denied.value.reasons == ["mallory is not an owner of evaluation churn"]
    r = await new_run(clean_graph, ids["experiment"], [ids["dataset_version"]], {"f1": 0.9})
    version = {"model": "churn", "run_id": r, "artifact": {"uri": "s3://m/x", "digest": DIGEST}}
    with pytest.raises(PermissionDenied, match="mallory is not an owner of model_version churn"):
        await run(clean_graph, "register_model_version", version, mallory)
    records, _, _ = await clean_graph.driver.execute_query("MATCH (e:Evaluation) RETURN count(e) AS c")
    assert records[0]["c"] == 0
    # The owner's promotion is not blocked by a foreign evaluation.
    await run(
        clean_graph, "move_alias", {"model": "churn", "alias": "production", "version": 1}, who("root", "approver")
    )
    await run(clean_graph, "create_principal", {"name": "mallory", "roles": ["publisher"], "teams": ["fraud"]})
    await run(clean_graph, "create_grant", {"principal": "mallory", "action": "publish", "resource_id": ids["model"]})
    assert (await run(clean_graph, "record_evaluation", {**bad, "metrics": {"f1": 0.91}}, mallory))["kind"]


async def test_metadata_of_a_version_run_or_experiment_is_owned_like_what_it_belongs_to(
    clean_graph: Services,
) -> None:
    """A version is owned as its model is, an experiment as its project, a run by who started it:
    a publisher of another team may not rewrite their notes or descriptions."""
    ids = await build_chain(clean_graph)
    mallory = who("mallory", "publisher", teams=("fraud",))
    nodes = {"model_version": ids["model_version"], "experiment": ids["experiment"], "run": ids["run"]}
    field = {"model_version": "notes", "experiment": "description", "run": "notes"}
    for kind, node_id in nodes.items():
        found = await clean_graph.driver.execute_query("MATCH (n {id: $id}) RETURN n.revision AS r", id=node_id)
        revision = found.records[0]["r"]
        change = {"id": node_id, "expected_revision": revision, "changes": {field[kind]: "rewritten"}}
        with pytest.raises(PermissionDenied) as denied:
            await run(clean_graph, "update_metadata", change, mallory)
        assert len(denied.value.reasons) == 1, denied.value.reasons
        assert denied.value.reasons[0].startswith(f"mallory is not an owner of {kind} "), denied.value.reasons
        assert (await run(clean_graph, "update_metadata", change, who("root", "publisher")))["id"] == node_id


# ---- 7. revoking grants ----------------------------------------------------------------------
async def test_a_revoked_grant_stops_working_and_stays_listed(clean_graph: Services) -> None:
    from app.registry.governance import list_grants

    await run(clean_graph, "create_principal", {"name": "gus", "roles": ["viewer"]})
    grant = await run(clean_graph, "create_grant", {"principal": "gus", "action": "publish"})
    gus = who("gus", "viewer")
    await run(clean_graph, "create_project", {"name": "granted"}, gus)
    with pytest.raises(PermissionDenied, match="role approver may not grant grant"):
        await run(clean_graph, "revoke_grant", {"id": grant["id"]}, ANN)
    revoked = await run(clean_graph, "revoke_grant", {"id": grant["id"], "reason": "project over"})
    assert revoked == {"id": grant["id"], "kind": "Grant", "principal": "gus"}
    with pytest.raises(PermissionDenied, match="role viewer may not publish project"):
        await run(clean_graph, "create_project", {"name": "after-revoke"}, gus)
    with pytest.raises(Conflict, match=f"id: grant {grant['id']} was already revoked at"):
        await run(clean_graph, "revoke_grant", {"id": grant["id"]})
    assert await list_grants(clean_graph, "gus") == []
    listed = await list_grants(clean_graph, "gus", include_revoked=True)
    assert [(g.id, g.revoked_by, g.revoke_reason) for g in listed] == [(grant["id"], "root", "project over")]
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {target_id: $id}) RETURN e.action AS a, e.decision AS d ORDER BY e.seq", id=grant["id"]
    )
    assert [(r["a"], r["d"]) for r in records] == [
        ("grant:create_grant", "allowed"),
        ("grant:revoke_grant", "denied"),
        ("grant:revoke_grant", "allowed"),
    ]


# ---- 9. off-hours review only for protected aliases, on the operator's hours -----------------
@pytest.fixture
def night(settings: Settings) -> Iterator[None]:
    """Working hours that never include now (no working days)."""
    original = force_working_hours(settings)
    url = f"{settings.opa_url}/v1/data/modelgraph/config/working_hours"
    httpx.put(url, json={**original, "days": []}, headers=opa_test_headers(settings), timeout=5).raise_for_status()
    yield
    force_working_hours(settings)


@pytest.mark.usefixtures("night")
async def test_moving_staging_at_night_is_routine_but_production_waits(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    staging = await execute(clean_graph, ANN, MoveAlias(model="churn", alias="staging", version=1))
    assert staging.result is not None and staging.review is None
    production = await execute(clean_graph, ANN, MoveAlias(model="churn", alias="production", version=1))
    assert production.review is not None and production.decision is not None
    assert any(r.startswith("change requested outside working hours (") for r in production.decision.reasons)
    assert await aliases(clean_graph, ids["model"]) == {"staging": 1}


# ---- 10. rollback without a rollout in progress ----------------------------------------------
async def test_rollback_without_a_canary_does_not_move_production_back(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    await second_version(clean_graph, ids, {"f1": 0.92, "auc": 0.96})
    dep = await run(clean_graph, "create_deployment", deployment([(1, 100)]))
    await run(clean_graph, "record_deployment_event", {"deployment_id": dep["id"], "type": "promoted", "version": 2})
    with pytest.raises(
        Conflict, match="type: a rollback undoes a canary or rollout in progress, and none is"
    ) as raised:
        await run(
            clean_graph, "record_deployment_event", {"deployment_id": dep["id"], "type": "rolled_back", "reason": "x"}
        )
    assert raised.value.field == "type"
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (:Deployment {id: $id})-[s:SERVES]->(v) WHERE s.until IS NULL RETURN v.version AS v", id=dep["id"]
    )
    assert [r["v"] for r in records] == [2]


# ---- 11. a review is decided against the current state ---------------------------------------
async def test_approving_a_review_whose_target_moved_is_a_conflict(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    await second_version(clean_graph, ids, {"f1": 0.95, "auc": 0.97})
    pending = await execute(clean_graph, PAT, MoveAlias(model="churn", alias="production", version=1))
    assert pending.review is not None
    await run(clean_graph, "move_alias", {"model": "churn", "alias": "production", "version": 2})
    with pytest.raises(
        Conflict, match="filed when alias production is not set; now alias production points to version 2"
    ):
        await decide_review(clean_graph, ANN, pending.review["id"], True, "late")
    assert await aliases(clean_graph, ids["model"]) == {"production": 2}
    review = await clean_graph.driver.execute_query(
        "MATCH (r:Review {id: $id}) RETURN r.status AS s", id=pending.review["id"]
    )
    assert review.records[0]["s"] == "PENDING"


# ---- 12. denial reasons withhold metrics from principals who may not read the target ---------
async def test_denial_reasons_do_not_reveal_metrics_without_read(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph, metrics={"f1": 0.5, "auc": 0.95})
    await run(clean_graph, "create_principal", {"name": "cid", "roles": []})
    await run(clean_graph, "create_grant", {"principal": "cid", "action": "promote", "resource_id": ids["model"]})
    cid = RequestMeta(actor=Actor(id="cid", name="cid", kind="service"), request_id="cid")
    with pytest.raises(PermissionDenied) as denied:
        await run(clean_graph, "move_alias", {"model": "churn", "alias": "production", "version": 1}, cid)
    assert denied.value.reasons == ["promotion criteria are not met (details need read access to the target)"]
    assert "0.5" not in denied.value.message
    viewer = who("vic", "approver")
    with pytest.raises(PermissionDenied) as seen:
        await run(clean_graph, "move_alias", {"model": "churn", "alias": "production", "version": 1}, viewer)
    assert seen.value.reasons == ["evaluation f1=0.5 below threshold 0.8 for alias production"]
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {request_id: 'cid', decision: 'denied'}) RETURN e.reasons AS r ORDER BY e.seq DESC LIMIT 1"
    )
    assert records[0]["r"] == ["evaluation f1=0.5 below threshold 0.8 for alias production"]
