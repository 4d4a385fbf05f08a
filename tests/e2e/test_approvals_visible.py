"""Who approved a reviewed change shows where people look: the model's and the version's audit
trail (the approval itself and the applied change naming its approver) and the deployment timeline."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app.config import Settings
from app.services import Services
from tests.e2e.test_governance_http import gql, key_for
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

SET_ALIAS = """mutation { setAlias(input: {model: "churn", alias: "production", version: 1}) {
  __typename ... on ReviewRequired { reviewId } } }"""
APPROVE = """mutation($id: ID!) { approveReview(input: {id: $id, comment: "checked"}) {
  __typename ... on ReviewDecided { review { status } } ... on Error { code message } } }"""
TRAIL = """query($t: String!) { auditTrail(input: {target: $t}) { edges { node {
  action actor decision targetId approvedBy reviewId subjects } } } }"""
PROMOTE = """mutation($d: ID!) { recordDeploymentEvent(input: {deploymentId: $d, type: PROMOTED, version: 1}) {
  __typename ... on ReviewRequired { reviewId } } }"""
TIMELINE = "query($d: ID!) { deploymentTimeline(id: $d) { type actor approvedBy } }"


def trail(body: dict[str, Any]) -> list[dict[str, Any]]:
    events = [edge["node"] for edge in body["data"]["auditTrail"]["edges"]]
    return [e for e in events if e["decision"] != "REVIEW"]


async def test_the_model_and_version_trails_show_who_approved_an_alias_move(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    ids = await build_chain(clean_graph)
    pat = await key_for(clean_graph, "pat", "publisher")
    ann = await key_for(clean_graph, "ann", "approver")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        filed = (await gql(http, pat, SET_ALIAS))["data"]["setAlias"]
        assert filed["__typename"] == "ReviewRequired"
        review = filed["reviewId"]
        decided = (await gql(http, ann, APPROVE, {"id": review}))["data"]["approveReview"]
        assert decided == {"__typename": "ReviewDecided", "review": {"status": "APPROVED"}}
        of_model = trail(await gql(http, ann, TRAIL, {"t": ids["model"]}))
        of_version = trail(await gql(http, ann, TRAIL, {"t": ids["model_version"]}))
        of_review = trail(await gql(http, ann, TRAIL, {"t": review}))

    approval = {
        "action": "review:approved",
        "actor": "ann",
        "decision": "APPLIED",
        "targetId": ids["model"],
        "approvedBy": "ann",
        "reviewId": review,
        "subjects": [ids["model_version"]],
    }
    applied = {
        "action": "promote:move_alias",
        "actor": "pat",
        "decision": "ALLOWED",
        "targetId": ids["model"],
        "approvedBy": "ann",
        "reviewId": None,
        "subjects": [ids["model_version"]],
    }
    assert of_model[:2] == [approval, applied]
    assert [e["action"] for e in of_version] == [
        "review:approved",
        "promote:move_alias",
        "publish:register_model_version",
    ]
    assert of_version[:2] == [approval, applied]
    assert of_review == [approval]


async def test_the_deployment_timeline_shows_who_approved_a_production_event(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph)
    dep = await run(
        clean_graph,
        "create_deployment",
        {
            "model": "churn",
            "name": "churn-prod",
            "environment": {"tier": "production"},
            "serving": [{"version": 1, "traffic_percent": 100}],
        },
    )
    pat = await key_for(clean_graph, "pat", "publisher")
    ann = await key_for(clean_graph, "ann", "approver")
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        filed = (await gql(http, pat, PROMOTE, {"d": dep["id"]}))["data"]["recordDeploymentEvent"]
        assert filed["__typename"] == "ReviewRequired", filed
        await gql(http, ann, APPROVE, {"id": filed["reviewId"]})
        timeline = (await gql(http, ann, TIMELINE, {"d": dep["id"]}))["data"]["deploymentTimeline"]

    assert timeline[-1] == {"type": "PROMOTED", "actor": "pat", "approvedBy": "ann"}
    assert timeline[0]["approvedBy"] is None
