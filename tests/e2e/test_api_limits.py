"""Limits of the GraphQL surface over real HTTP: cost in extensions, no schema hints outside dev."""

from __future__ import annotations

import httpx

from app.config import Settings


def post(base: str, settings: Settings, query: str) -> httpx.Response:
    token = settings.bootstrap_admin_key.get_secret_value()
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.post(f"{base}/graphql", json={"query": query}, headers=headers, timeout=30)


def test_the_response_carries_its_cost(live_server: str, settings: Settings) -> None:
    body = post(live_server, settings, "{ me { name roles } }").json()
    assert body["data"]["me"]["name"] and body["extensions"] == {"cost": 3}


def test_field_suggestions_are_off_outside_the_dev_profile(live_server: str, settings: Settings) -> None:
    assert settings.profile != "dev"
    body = post(live_server, settings, "{ me { nam } }").json()
    [error] = body["errors"]
    assert error["message"] == "Cannot query field 'nam' on type 'Principal'."
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
