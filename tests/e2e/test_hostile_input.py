"""Hostile requests against a real uvicorn never reach a 500: headers that are not UTF-8, bodies
nested 100k levels deep, invalid UTF-8 and malformed JSON each get a 400 that says why."""

from __future__ import annotations

import json

import pytest

from app.config import Settings
from tests.e2e import rawhttp

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

JSON = (b"content-type", b"application/json")
DEEP = 100_000
DATA_ROUTES = ("/graphql", "/api/v1/health", "/api/v1/lineage")


def auth(settings: Settings) -> tuple[bytes, bytes]:
    return (b"authorization", f"Bearer {settings.bootstrap_admin_key.get_secret_value()}".encode())


@pytest.mark.parametrize("path", ["/healthz", "/metrics", "/graphql", "/api/v1/health", "/api/v1/artifacts/x"])
def test_a_header_that_is_not_utf8_is_a_400_on_any_route(live_server: str, path: str) -> None:
    response = rawhttp.request(live_server, "POST", path, headers=[JSON, (b"x-note", b"caf\xe9 \xff\xfe")], body=b"{}")

    assert response.status == 400
    assert response.json()["error"] == {
        "code": "BAD_REQUEST",
        "message": "header 'x-note' is not valid UTF-8",
        "field": "x-note",
    }


def test_an_authorization_header_that_is_not_utf8_is_a_400_before_auth(live_server: str) -> None:
    response = rawhttp.request(live_server, "POST", "/graphql", headers=[JSON, (b"authorization", b"Bearer \xc3\x28")])

    assert response.status == 400
    assert response.json()["error"]["field"] == "authorization"


@pytest.mark.parametrize("path", DATA_ROUTES)
def test_a_body_nested_100k_levels_deep_is_a_400(live_server: str, settings: Settings, path: str) -> None:
    body = b"[" * DEEP + b"]" * DEEP

    response = rawhttp.request(live_server, "POST", path, headers=[JSON, auth(settings)], body=body)

    assert response.status == 400
    assert b"nested deeper than 64 levels" in response.body


@pytest.mark.parametrize("path", DATA_ROUTES)
def test_a_body_nested_just_past_the_limit_is_a_400(live_server: str, settings: Settings, path: str) -> None:
    body = json.dumps({"samples": [{"x": json.loads("[" * 70 + "]" * 70)}]}).encode()

    response = rawhttp.request(live_server, "POST", path, headers=[JSON, auth(settings)], body=body)

    assert response.status == 400
    assert b"nested deeper than 64 levels" in response.body


def test_graphql_variables_nested_100k_levels_deep_are_a_400(live_server: str, settings: Settings) -> None:
    query = b'{"query": "query($x: JSON) { __typename }", "variables": {"x": '
    body = query + b"[" * DEEP + b"]" * DEEP + b"}}"

    response = rawhttp.request(live_server, "POST", "/graphql", headers=[JSON, auth(settings)], body=body)

    assert response.status == 400
    assert b"nested deeper than 64 levels" in response.body


@pytest.mark.parametrize("path", DATA_ROUTES)
def test_a_body_that_is_not_utf8_is_a_400(live_server: str, settings: Settings, path: str) -> None:
    body = b'{"query": "{ models { edges { node { name } } } }", "samples": "\xff\xfe"}'

    response = rawhttp.request(live_server, "POST", path, headers=[JSON, auth(settings)], body=body)

    assert response.status == 400
    assert b"is not valid UTF-8" in response.body


@pytest.mark.parametrize("path", DATA_ROUTES)
def test_malformed_json_is_a_400_naming_where(live_server: str, settings: Settings, path: str) -> None:
    response = rawhttp.request(live_server, "POST", path, headers=[JSON, auth(settings)], body=b'{"query": ')

    assert response.status == 400
    assert b"is not valid JSON (Expecting value at line 1 column 11)" in response.body
