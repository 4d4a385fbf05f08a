"""What a client sees through GraphQL: every failure answers `... on Error { code message field }`,
and admin, review and vocabulary mutations return the same payload unions as every other write."""

from __future__ import annotations

from typing import Any

import pytest

from app.graphql.context import Context
from app.graphql.schema import build_schema
from app.registry.actor import Actor
from app.services import Services
from tests.integration.chain import build_chain

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

ERROR = "__typename ... on Error { code message field }"


async def gql(services: Services, query: str, who: str = "root", *roles: str, **variables: Any) -> dict[str, Any]:
    principal = Actor(id=who, name=who, roles=roles or ("admin",))
    context = Context(request=None, response=None, services=services, principal=principal)  # type: ignore[arg-type]
    out = await build_schema(services.settings).execute(query, variable_values=variables, context_value=context)
    assert out.errors is None and out.data is not None, out.errors
    return out.data


async def test_admin_mutations_answer_success_types_and_errors_through_one_interface(clean_graph: Services) -> None:
    created = await gql(
        clean_graph,
        f'mutation {{ createPrincipal(input: {{name: "vera", roles: ["viewer"]}}) {{ {ERROR} '
        "... on PrincipalCreated { id principal { name roles } replayed } } }",
    )
    assert created["createPrincipal"]["__typename"] == "PrincipalCreated"
    assert (
        created["createPrincipal"]["principal"] == {"name": "vera", "roles": ["viewer"]}
        and created["createPrincipal"]["replayed"] is False
    )

    again = await gql(
        clean_graph, f'mutation {{ createPrincipal(input: {{name: "vera", roles: ["viewer"]}}) {{ {ERROR} }} }}'
    )
    assert again["createPrincipal"]["__typename"] == "ConflictError"
    assert again["createPrincipal"]["code"] == "ALREADY_EXISTS" and "vera" in again["createPrincipal"]["message"]

    issued = await gql(
        clean_graph,
        f'mutation {{ issueApiKey(input: {{principal: "vera"}}) {{ {ERROR} '
        "... on ApiKeyIssued { id principal secret } } }",
    )
    assert issued["issueApiKey"]["__typename"] == "ApiKeyIssued" and issued["issueApiKey"]["secret"]

    denied = await gql(
        clean_graph,
        f'mutation {{ createGrant(input: {{principal: "vera", action: "publish"}}) {{ {ERROR} '
        "... on PermissionDeniedError { reasons } } }",
        "vera",
        "viewer",
    )
    assert denied["createGrant"]["__typename"] == "PermissionDeniedError"
    assert denied["createGrant"]["code"] == "PERMISSION_DENIED" and denied["createGrant"]["message"]
    assert denied["createGrant"]["reasons"]

    grant = f'mutation {{ createGrant(input: {{principal: "vera", action: "publish"}}) {{ {ERROR} '
    granted = await gql(clean_graph, grant + "... on GrantSuccess { id principal replayed } } }")
    assert granted["createGrant"]["__typename"] == "GrantSuccess" and granted["createGrant"]["principal"] == "vera"
    unknown = await gql(clean_graph, grant.replace("vera", "nobody") + "} }")
    assert unknown["createGrant"]["__typename"] == "NotFoundError" and unknown["createGrant"]["field"] == "principal"

    revoked = await gql(
        clean_graph,
        f"mutation($id: ID!) {{ revokeApiKey(input: {{id: $id}}) {{ {ERROR} ... on ApiKeyRevoked {{ id }} }} }}",
        id=issued["issueApiKey"]["id"],
    )
    assert revoked["revokeApiKey"] == {"__typename": "ApiKeyRevoked", "id": issued["issueApiKey"]["id"]}


async def test_a_flagged_change_and_its_approval_answer_through_payloads(clean_graph: Services) -> None:
    await build_chain(clean_graph)
    move = f'mutation {{ setAlias(input: {{model: "churn", alias: "production", version: 1}}) {{ {ERROR} '
    move += "... on ReviewRequired { reviewId reasons } } }"
    flagged = (await gql(clean_graph, move, "pat", "publisher"))["setAlias"]
    assert flagged["__typename"] == "ReviewRequired" and flagged["code"] == "REVIEW_REQUIRED"
    assert "role publisher needs approval to promote to protected alias production" in flagged["message"]

    decide = f'mutation($id: ID!) {{ approveReview(input: {{id: $id, comment: "ok"}}) {{ {ERROR} '
    decide += "... on ReviewDecided { review { status decidedBy comment } } } }"
    by_requester = (await gql(clean_graph, decide, "pat", "publisher", id=flagged["reviewId"]))["approveReview"]
    assert by_requester["__typename"] == "PermissionDeniedError" and by_requester["code"] == "PERMISSION_DENIED"

    approved = (await gql(clean_graph, decide, "ann", "approver", id=flagged["reviewId"]))["approveReview"]
    assert approved == {
        "__typename": "ReviewDecided",
        "review": {"status": "APPROVED", "decidedBy": "ann", "comment": "ok"},
    }

    twice = (await gql(clean_graph, decide, "ann", "approver", id=flagged["reviewId"]))["approveReview"]
    assert twice["__typename"] == "ConflictError" and "already APPROVED" in twice["message"]

    unknown = await gql(clean_graph, decide.replace("approveReview", "rejectReview"), "ann", "approver", id="nope")
    assert unknown["rejectReview"]["__typename"] == "NotFoundError"

    listed = await gql(clean_graph, "{ reviews(input: {status: APPROVED}) { edges { node { status requestedBy } } } }")
    assert listed["reviews"]["edges"] == [{"node": {"status": "APPROVED", "requestedBy": "pat"}}]


async def test_vocabulary_and_search_failures_are_the_common_error_types(clean_graph: Services) -> None:
    bad_term = await gql(clean_graph, f'mutation {{ upsertTerm(input: {{vocabulary: "", value: "x"}}) {{ {ERROR} }} }}')
    assert bad_term["upsertTerm"]["__typename"] == "ValidationError"
    assert bad_term["upsertTerm"]["code"] == "VALIDATION_FAILED" and bad_term["upsertTerm"]["field"] == "vocabulary"

    term = await gql(
        clean_graph,
        f'mutation {{ upsertTerm(input: {{vocabulary: "domain", value: "finance"}}) {{ {ERROR} '
        "... on TermSuccess { termId } } }",
    )
    assert term["upsertTerm"]["__typename"] == "TermSuccess" and term["upsertTerm"]["termId"]

    save = f'mutation {{ saveSearch(input: {{name: "mine", search: {{text: "churn"}}}}) {{ {ERROR} }} }}'
    refused = await gql(clean_graph, save, "vera", "viewer")
    assert refused["saveSearch"]["__typename"] == "PermissionDeniedError"
    assert refused["saveSearch"]["code"] == "PERMISSION_DENIED"

    search = await gql(clean_graph, f"{{ search(input: {{first: 1000}}) {{ {ERROR} }} }}")
    assert search["search"]["__typename"] == "ValidationError" and search["search"]["field"] == "first"


async def test_states_and_kinds_answer_as_enum_names(clean_graph: Services) -> None:
    ids = await build_chain(clean_graph)
    query = """query($id: ID!) { modelVersion(model: "churn", version: 1) { status run { status } }
      lineage(input: {start: $id, direction: UPSTREAM, maxHops: 4, kinds: [Run, DatasetVersion]}) {
        nodes { kind } edges { type } } }"""
    data = await gql(clean_graph, query, id=ids["model_version"])
    assert data["modelVersion"] == {"status": "READY", "run": {"status": "FINISHED"}}
    assert {n["kind"] for n in data["lineage"]["nodes"]} == {"ModelVersion", "Run", "DatasetVersion"}
    assert "TRAINED_BY" in {e["type"] for e in data["lineage"]["edges"]}


async def test_reviews_filter_by_model_requester_and_waiting_for_me(clean_graph: Services) -> None:
    await build_chain(clean_graph)
    await build_chain(clean_graph, "other", source="s3://raw/other/customers.parquet")
    for model in ("churn", "other"):
        move = f'mutation {{ setAlias(input: {{model: "{model}", alias: "production", version: 1}}) {{ {ERROR} }} }}'
        assert (await gql(clean_graph, move, "pat", "publisher"))["setAlias"]["code"] == "REVIEW_REQUIRED"
    query = """query($i: ReviewsInput) { reviews(input: $i) {
      edges { node { requestedBy payload } } pageInfo { hasNextPage endCursor } } }"""

    async def listed(who: str, *roles: str, **filters: Any) -> list[dict[str, Any]]:
        data = await gql(clean_graph, query, who, *roles, i=filters)
        return [e["node"] for e in data["reviews"]["edges"]]

    assert [r["payload"]["model"] for r in await listed("root", model="other")] == ["other"]
    assert len(await listed("root", requestedBy="pat")) == 2 and await listed("root", requestedBy="ann") == []
    assert len(await listed("ann", "approver", waitingForMe=True)) == 2
    assert await listed("pat", "approver", waitingForMe=True) == []  # pat filed them
    assert await listed("vera", "viewer", waitingForMe=True) == []  # may not approve

    first = await gql(clean_graph, query, i={"first": 1})
    assert first["reviews"]["pageInfo"]["hasNextPage"] is True
    rest = await gql(clean_graph, query, i={"first": 1, "after": first["reviews"]["pageInfo"]["endCursor"]})
    assert rest["reviews"]["pageInfo"]["hasNextPage"] is False
    assert rest["reviews"]["edges"][0]["node"] != first["reviews"]["edges"][0]["node"]
