"""Through real HTTP: deny by default, tokens, and the GraphiQL-user journey of the core."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.routing import Mount, Route, WebSocketRoute

from app.config import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]


ISSUE = 'mutation { issueApiKey(input: {principal: "%s"}) { ... on ApiKeyIssued { id secret } } }'


def gql(base: str, token: str | None, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(
        f"{base}/graphql", json={"query": query, "variables": variables or {}}, headers=headers, timeout=30
    )


def test_every_data_route_refuses_requests_without_a_token(live_server: str, settings: Settings) -> None:
    from app.main import create_app

    app = create_app(settings)
    public = {"/healthz", "/readyz", "/metrics"}
    checked = 0
    for route in app.routes:
        if isinstance(route, WebSocketRoute):
            continue
        path = route.path if isinstance(route, Route | Mount) else ""
        if path in public:
            assert httpx.get(f"{live_server}{path}", timeout=10).status_code in (200, 503)
            continue
        target = f"{live_server}{path}/graphiql.min.js" if isinstance(route, Mount) else f"{live_server}{path}"
        if isinstance(route, Mount):
            # Vendored GraphiQL scripts are public static files; they carry no registry data.
            assert httpx.get(target, timeout=10).status_code in (200, 404)
            continue
        response = httpx.post(target, json={"query": "{ models { edges { node { name } } } }"}, timeout=10)
        assert response.status_code == 401, path
        assert response.json()["error"] == "UNAUTHENTICATED"
        checked += 1
    assert checked >= 1
    bad = httpx.post(
        f"{live_server}/graphql",
        json={"query": "{ models { edges { node { name } } } }"},
        headers={"Authorization": "Bearer mgk_not-a-real-key"},
        timeout=10,
    )
    assert bad.status_code == 401 and "not recognised" in bad.json()["message"]


def test_viewer_refused_publisher_allowed_and_audit_shows_both(
    live_server: str, settings: Settings, clean_graph: object
) -> None:
    admin = settings.bootstrap_admin_key.get_secret_value()
    keys: dict[str, str] = {}
    for name, role in (("vera", "viewer"), ("pat", "publisher")):
        created = gql(
            live_server,
            admin,
            "mutation($n: String!, $r: [String!]!) { createPrincipal(input: "
            "{name: $n, roles: $r}) { __typename ... on Error { code message } } }",
            {"n": name, "r": [role]},
        ).json()
        assert created["data"]["createPrincipal"] == {"__typename": "PrincipalCreated"}, created
        issued = gql(
            live_server,
            admin,
            "mutation($n: String!) { issueApiKey(input: {principal: $n}) { ... on ApiKeyIssued { secret } } }",
            {"n": name},
        ).json()
        keys[name] = issued["data"]["issueApiKey"]["secret"]
    create = (
        'mutation { createModel(input: {name: "fraud", licence: "MIT", idempotencyKey: "k1"}) { __typename '
        "... on ModelSuccess { model { name owners revision } replayed } "
        "... on PermissionDeniedError { code reasons } } }"
    )
    denied_response = gql(live_server, keys["vera"], create).json()
    assert "data" in denied_response, denied_response
    denied = denied_response["data"]["createModel"]
    assert denied == {
        "__typename": "PermissionDeniedError",
        "code": "PERMISSION_DENIED",
        "reasons": ["role viewer may not publish model"],
    }
    ok = gql(live_server, keys["pat"], create).json()["data"]["createModel"]
    assert (
        ok["__typename"] == "ModelSuccess" and ok["model"]["owners"] == ["pat"] and not ok["model"]["replayed"]
        if "replayed" in ok["model"]
        else ok["replayed"] is False
    )
    replay = gql(live_server, keys["pat"], create).json()["data"]["createModel"]
    assert replay["replayed"] is True and replay["model"]["name"] == "fraud"
    query = "{ auditTrail(input: {first: 20}) { edges { node { actor action decision reasons } } } }"
    trail = gql(live_server, admin, query).json()
    events = [e["node"] for e in trail["data"]["auditTrail"]["edges"]]
    assert {
        "actor": "vera",
        "action": "publish:create_model",
        "decision": "DENIED",
        "reasons": ["role viewer may not publish model"],
    } in events
    assert any(e["actor"] == "pat" and e["decision"] == "ALLOWED" for e in events)


def test_bad_input_names_the_field_over_http(live_server: str, settings: Settings, clean_graph: object) -> None:
    admin = settings.bootstrap_admin_key.get_secret_value()
    result = gql(
        live_server,
        admin,
        'mutation { createModel(input: {name: "bad name!"}) { __typename ... on ValidationError { field message } } }',
    ).json()
    assert result["data"]["createModel"] == {
        "__typename": "ValidationError",
        "field": "name",
        "message": "name: must be 1-128 characters: letters, digits, '.', '_' or '-', starting with a letter or digit",
    }
    unknown = gql(
        live_server,
        admin,
        'mutation { updateMetadata(input: {id: "mv_x", expectedRevision: 1, '
        'changes: {}, artifactDigest: "x"}) { __typename } }',
    ).json()
    assert "artifactDigest" in unknown["errors"][0]["message"]


def test_graphiql_page_is_served_from_vendored_assets(live_server: str) -> None:
    page = httpx.get(f"{live_server}/graphql", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200 and "/static/vendor/graphiql/graphiql.min.js" in page.text
    assert "unpkg.com" not in page.text
    script = httpx.get(f"{live_server}/static/vendor/graphiql/graphiql.min.js", timeout=10)
    assert script.status_code == 200 and len(script.content) > 100_000


def test_reads_need_a_role_that_policy_lets_read(live_server: str, settings: Settings, clean_graph: object) -> None:
    admin = settings.bootstrap_admin_key.get_secret_value()
    gql(live_server, admin, 'mutation { createPrincipal(input: {name: "nobody", roles: []}) { __typename } }')
    key = gql(live_server, admin, ISSUE % "nobody").json()
    nobody = key["data"]["issueApiKey"]["secret"]
    refused = gql(live_server, nobody, "{ models { edges { node { name } } } }").json()
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert "read denied" in refused["errors"][0]["message"]
    schema_only = gql(live_server, nobody, "{ __schema { queryType { name } } }").json()
    assert schema_only["data"]["__schema"]["queryType"]["name"] == "Query"
    gql(live_server, admin, 'mutation { createPrincipal(input: {name: "vic", roles: ["viewer"]}) { __typename } }')
    viewer = gql(live_server, admin, ISSUE % "vic").json()
    allowed = gql(live_server, viewer["data"]["issueApiKey"]["secret"], "{ models { edges { node { name } } } }").json()
    assert allowed["data"] == {"models": {"edges": []}}


def test_a_revoked_key_is_refused_on_the_very_next_request(
    live_server: str, settings: Settings, clean_graph: object
) -> None:
    """Keys are cached for a few seconds, but a revocation through the API drops them at once."""
    admin = settings.bootstrap_admin_key.get_secret_value()
    gql(live_server, admin, 'mutation { createPrincipal(input: {name: "rita", roles: ["viewer"]}) { __typename } }')
    issued = gql(live_server, admin, ISSUE % "rita").json()
    key, key_id = issued["data"]["issueApiKey"]["secret"], issued["data"]["issueApiKey"]["id"]
    for _ in range(3):  # the second and third are answered from the cache
        assert gql(live_server, key, "{ me { name } }").json()["data"]["me"]["name"] == "rita"
    revoke = "mutation($id: ID!) { revokeApiKey(input: {id: $id}) { __typename ... on Error { code } } }"
    revoked = gql(live_server, admin, revoke, {"id": key_id})
    assert revoked.json()["data"]["revokeApiKey"] == {"__typename": "ApiKeyRevoked"}
    refused = gql(live_server, key, "{ me { name } }")
    assert refused.status_code == 401 and refused.json()["message"] == "API key was revoked"
