"""Governance over real HTTP: the read gate on mutations, revoking grants, server-made request ids."""

from __future__ import annotations

import json
import os
from typing import Any

import httpx
import pytest

from app.auth.tokens import hash_key, new_api_key
from app.config import Settings
from app.main import create_app
from app.services import Services
from tests.conftest import serve
from tests.integration.chain import build_chain, run

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


async def key_for(services: Services, name: str, *roles: str) -> str:
    await run(services, "create_principal", {"name": name, "roles": list(roles)})
    key = new_api_key()
    await run(services, "issue_api_key", {"principal": name, "key_hash": hash_key(key)})
    return key


async def gql(
    http: httpx.AsyncClient, token: str, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> dict[str, Any]:
    response = await http.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {token}", **headers},
    )
    body: dict[str, Any] = response.json()
    return body


SET_ALIAS = """mutation($m: String!, $v: Int!) { setAlias(input: {model: $m, alias: "staging", version: $v}) {
  __typename ... on Error { code message } } }"""
CREATE_PROJECT = """mutation($n: String!) { createProject(input: {name: $n}) { __typename
  ... on ProjectSuccess { project { name } } ... on ValidationError { field message } } }"""


async def test_a_mutation_without_read_returns_no_registry_data(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    token = await key_for(clean_graph, "cid")
    await run(clean_graph, "create_grant", {"principal": "cid", "action": "publish"})
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        body = await gql(http, token, CREATE_PROJECT, {"n": "write-only"})
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert "cid has no role that may read registry" in body["errors"][0]["extensions"]["reasons"]
    records, _, _ = await clean_graph.driver.execute_query("MATCH (p:Project) RETURN count(p) AS c")
    assert records[0]["c"] == 0


async def test_a_mutation_failing_before_any_decision_still_needs_read(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    """Without read, a mutation that ends before policy judged its command (here: the model does
    not exist) answers the read refusal, not what it found; so does a query, which is asked while it runs."""
    await build_chain(clean_graph, "seen")
    token = await key_for(clean_graph, "cid")
    await run(clean_graph, "create_grant", {"principal": "cid", "action": "promote"})
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        seen = '{ model(name: "seen") { name versions(first: 5) { edges { node { id } } } } }'
        query = await gql(http, token, seen)
        body = await gql(http, token, SET_ALIAS, {"m": "no-such-model", "v": 1})
        admin = await gql(
            http, settings.bootstrap_admin_key.get_secret_value(), SET_ALIAS, {"m": "no-such-model", "v": 1}
        )
    for refused in (query, body):
        assert refused["data"] is None and len(refused["errors"]) == 1, refused
        assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
        assert "cid has no role that may read registry" in refused["errors"][0]["extensions"]["reasons"]
    assert admin["data"]["setAlias"]["__typename"] == "NotFoundError"
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {actor: 'cid', decision: 'denied'}) RETURN e.action AS action"
    )
    assert [r["action"] for r in records] == ["read:read", "read:read"]


async def test_each_request_asks_policy_once(settings: Settings, clean_graph: Services) -> None:
    """A query asks whether its caller may read; a mutation asks that together with its command's
    decision, in the same call."""
    await build_chain(clean_graph, "once")
    admin = settings.bootstrap_admin_key.get_secret_value()
    app = create_app(settings)
    with serve(settings, app) as url:
        policy = app.state.services.policy
        calls: list[str] = []
        for name in ("decide", "decide_many", "query"):
            real = getattr(policy, name)

            def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
                calls.append(_name)
                return _real(*args, **kwargs)

            setattr(policy, name, counted)
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            moved = await gql(http, admin, SET_ALIAS, {"m": "once", "v": 1})
            assert moved["data"]["setAlias"]["__typename"] == "AliasSuccess", moved
            assert calls == ["decide_many"]
            calls.clear()
            read = await gql(http, admin, "query($m: String!) { model(name: $m) { name } }", {"m": "once"})
            assert read["data"]["model"] == {"name": "once"}
            assert calls == ["decide"]
            calls.clear()
            missing = await gql(http, admin, SET_ALIAS, {"m": "no-such-model", "v": 1})
            assert missing["data"]["setAlias"]["__typename"] == "NotFoundError"
            assert calls == ["decide"]  # ended before a decision: the read check was asked alone


async def test_revoke_grant_and_list_grants_over_graphql(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    admin = settings.bootstrap_admin_key.get_secret_value()
    pat = await key_for(clean_graph, "pat", "publisher")
    grant = await run(clean_graph, "create_grant", {"principal": "pat", "action": "approve_review"})
    revoke = """mutation($id: ID!) { revokeGrant(input: {id: $id, reason: "done"}) { __typename
      ... on GrantSuccess { id principal replayed } ... on ConflictError { message field }
      ... on PermissionDeniedError { reasons } } }"""
    listing = """query($p: String!, $all: Boolean!) { grants(principal: $p, includeRevoked: $all) {
      id action resourceId revokedBy } }"""
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        listed = await gql(http, pat, listing, {"p": "pat", "all": False})
        assert listed["data"]["grants"] == [
            {"id": grant["id"], "action": "approve_review", "resourceId": "*", "revokedBy": None}
        ]
        refused = await gql(http, pat, revoke, {"id": grant["id"]})
        assert refused["data"]["revokeGrant"] == {
            "__typename": "PermissionDeniedError",
            "reasons": ["role publisher may not grant grant"],
        }
        done = await gql(http, admin, revoke, {"id": grant["id"]})
        assert done["data"]["revokeGrant"] == {
            "__typename": "GrantSuccess",
            "id": grant["id"],
            "principal": "pat",
            "replayed": False,
        }
        again = await gql(http, admin, revoke, {"id": grant["id"]})
        assert again["data"]["revokeGrant"]["__typename"] == "ConflictError"
        assert again["data"]["revokeGrant"]["field"] == "id"
        assert (await gql(http, admin, listing, {"p": "pat", "all": False}))["data"]["grants"] == []
        history = await gql(http, admin, listing, {"p": "pat", "all": True})
        assert [g["revokedBy"] for g in history["data"]["grants"]] == ["bootstrap-admin"]


async def test_request_ids_are_the_servers_and_a_client_id_is_only_correlation(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    await build_chain(clean_graph, "stored")
    admin = settings.bootstrap_admin_key.get_secret_value()
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
        bad = await http.post(
            "/api/v1/artifacts",
            params={"model": "stored"},
            content=os.urandom(64),
            headers={"Authorization": f"Bearer {admin}", "X-Request-Id": "not a valid id"},
        )
        assert bad.status_code == 422
        assert bad.json()["error"]["field"] == "X-Request-Id"
        assert bad.json()["error"]["message"].startswith("X-Request-Id: must be 1-128 characters")
        up = await http.post(
            "/api/v1/artifacts",
            params={"model": "stored"},
            content=os.urandom(64),
            headers={"Authorization": f"Bearer {admin}", "X-Request-Id": "pipeline-run-42"},
        )
        assert up.status_code == 201
        refused = await gql(http, admin, CREATE_PROJECT, {"n": "p1"}, **{"X-Request-Id": "a b"})
        assert refused["data"]["createProject"] == {
            "__typename": "ValidationError",
            "field": "X-Request-Id",
            "message": "X-Request-Id: must be 1-128 characters: letters, digits, '.', '_', ':' or '-'",
        }
        made = await gql(http, admin, CREATE_PROJECT, {"n": "p2"}, **{"X-Request-Id": "pipeline-run-42"})
        assert made["data"]["createProject"]["__typename"] == "ProjectSuccess"
    records, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent) WHERE e.details CONTAINS 'pipeline-run-42' RETURN e.request_id AS r, e.details AS d"
    )
    assert len(records) == 2
    for record in records:
        assert record["r"] != "pipeline-run-42" and len(record["r"]) == 32
        assert json.loads(record["d"])["correlation_id"] == "pipeline-run-42"
    spoofed, _, _ = await clean_graph.driver.execute_query(
        "MATCH (e:AuditEvent {request_id: 'pipeline-run-42'}) RETURN count(e) AS c"
    )
    assert spoofed[0]["c"] == 0
