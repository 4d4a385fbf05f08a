"""With the policy engine stopped every write fails closed over HTTP and nothing is written;
when it is back, the same request succeeds."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.config import Settings
from app.services import Services
from app.stack.manager import Stack
from tests.conftest import force_working_hours

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

CREATE = (
    'mutation { createModel(input: {name: "closed-door", licence: "MIT"}) { __typename '
    "... on UnavailableError { code message } ... on ModelSuccess { model { name } } } }"
)


async def models_named(services: Services, name: str) -> int:
    records, _, _ = await services.driver.execute_query("MATCH (m:Model {name: $n}) RETURN count(m) AS c", n=name)
    return int(records[0]["c"])


async def test_writes_fail_closed_while_opa_is_down(
    live_server: str, settings: Settings, clean_graph: Services
) -> None:
    token = settings.bootstrap_admin_key.get_secret_value()
    headers = {"Authorization": f"Bearer {token}"}
    stack = Stack(settings, log=lambda _: None)
    await asyncio.to_thread(stack.stop_service, "opa")
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            down = (await client.post(f"{live_server}/graphql", json={"query": CREATE}, headers=headers)).json()
        # The read gate every operation passes (mutations included) is the first to find OPA down.
        assert down["data"] is None
        assert down["errors"][0]["extensions"]["code"] == "DEPENDENCY_UNAVAILABLE"
        assert "policy engine unavailable" in down["errors"][0]["message"]
        assert await models_named(clean_graph, "closed-door") == 0
    finally:
        await asyncio.to_thread(stack.start_service, "opa")
        await asyncio.to_thread(force_working_hours, settings)  # OPA reloaded its files
    async with httpx.AsyncClient(timeout=30) as client:
        up = (await client.post(f"{live_server}/graphql", json={"query": CREATE}, headers=headers)).json()
    assert up["data"]["createModel"] == {"__typename": "ModelSuccess", "model": {"name": "closed-door"}}
