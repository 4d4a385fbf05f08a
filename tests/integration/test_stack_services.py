"""The real Neo4j and OPA of the test stack, reached through the app's own clients."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from app.config import Settings
from app.errors import DependencyUnavailable
from app.graph.driver import open_driver, ping
from app.policy.client import PolicyClient
from app.policy.decision import Decision
from tests.conftest import opa_test_headers

pytestmark = pytest.mark.integration


# -- Neo4j ----------------------------------------------------------------------------------


async def test_neo4j_write_and_read_back(settings: Settings) -> None:
    token = f"mgtest-{uuid.uuid4()}"
    driver = open_driver(settings)
    try:
        await ping(driver, settings.neo4j_database)
        await driver.execute_query(
            "CREATE (:MgTestProbe {token: $token, note: $note})",
            token=token,
            note="written by test_stack_services",
            database_=settings.neo4j_database,
        )

        records, _, _ = await driver.execute_query(
            "MATCH (n:MgTestProbe {token: $token}) RETURN n.note AS note, count(*) AS n",
            token=token,
            database_=settings.neo4j_database,
        )

        assert [(r["note"], r["n"]) for r in records] == [("written by test_stack_services", 1)]
    finally:
        await driver.execute_query(
            "MATCH (n:MgTestProbe {token: $token}) DETACH DELETE n",
            token=token,
            database_=settings.neo4j_database,
        )
        await driver.close()


async def test_neo4j_wrong_password_is_reported_as_credentials(settings: Settings) -> None:
    wrong = settings.model_copy(update={"neo4j_password": SecretStr("not-the-password")})
    driver = open_driver(wrong)
    try:
        with pytest.raises(DependencyUnavailable) as info:
            await ping(driver, wrong.neo4j_database)
    finally:
        await driver.close()

    assert info.value.code == "DEPENDENCY_UNAVAILABLE"
    assert info.value.message == "neo4j refused our credentials (MODELGRAPH_NEO4J_PASSWORD)"
    assert "not-the-password" not in info.value.message


# -- OPA ------------------------------------------------------------------------------------

POLICY = """package {package}

default review := false

review if input.amount > 100

default decision := {{"allow": false, "reasons": ["only the owner may publish"]}}

decision := {{"allow": true, "reasons": ["owner"], "requires_review": review}} if {{
\tinput.user == "alice"
}}
"""


@pytest.fixture
async def uploaded_policy(settings: Settings) -> AsyncIterator[str]:
    """A throwaway policy uploaded through OPA's REST API; yields its package path."""
    suffix = uuid.uuid4().hex
    policy_id, package = f"mgtest_{suffix}", f"mgtest.x{suffix}"
    async with httpx.AsyncClient(base_url=settings.opa_url, headers=opa_test_headers(settings), timeout=5) as http:
        response = await http.put(
            f"/v1/policies/{policy_id}",
            content=POLICY.format(package=package),
            headers={"content-type": "text/plain"},
        )
        assert response.status_code == 200, response.text
        try:
            yield package
        finally:
            await http.delete(f"/v1/policies/{policy_id}")


@pytest.fixture
async def policy_client(settings: Settings) -> AsyncIterator[PolicyClient]:
    client = PolicyClient(settings.opa_url, settings.opa_timeout_seconds, settings.opa_token.get_secret_value())
    await client.open()
    try:
        yield client
    finally:
        await client.close()


async def query(client: PolicyClient, package: str, policy_input: dict[str, object]) -> Decision:
    body = await client._client.query_rule(input_data=policy_input, package_path=package, rule_name="decision")
    return Decision.from_opa(body)


async def test_opa_allows_what_the_policy_allows(policy_client: PolicyClient, uploaded_policy: str) -> None:
    decision = await query(policy_client, uploaded_policy, {"user": "alice", "amount": 5})

    assert decision == Decision(allow=True, reasons=("owner",), requires_review=False)


async def test_opa_routes_to_review_when_the_policy_says_so(policy_client: PolicyClient, uploaded_policy: str) -> None:
    decision = await query(policy_client, uploaded_policy, {"user": "alice", "amount": 500})

    assert decision.allow is True
    assert decision.requires_review is True


async def test_opa_denies_what_the_policy_denies(policy_client: PolicyClient, uploaded_policy: str) -> None:
    decision = await query(policy_client, uploaded_policy, {"user": "mallory", "amount": 5})

    assert decision == Decision(allow=False, reasons=("only the owner may publish",))


async def test_opa_undefined_package_is_a_denial(policy_client: PolicyClient) -> None:
    """The fail-open pitfall: OPA answers 200 with no `result` for an unknown rule."""
    body = await policy_client._client.query_rule(
        input_data={"user": "alice"},
        package_path=f"mgtest.undefined{uuid.uuid4().hex}",
        rule_name="decision",
    )

    assert "result" not in body
    assert Decision.from_opa(body) == Decision(allow=False, reasons=("policy decision undefined",))


async def test_opa_ping_answers(policy_client: PolicyClient) -> None:
    await policy_client.ping()


async def test_unreachable_opa_denies_with_dependency_unavailable() -> None:
    client = PolicyClient("http://127.0.0.1:1", 0.5)
    await client.open()
    try:
        with pytest.raises(DependencyUnavailable) as info:
            await client.decide({"action": "publish", "user": "alice"})
        with pytest.raises(DependencyUnavailable) as ping_info:
            await client.ping()
    finally:
        await client.close()

    assert info.value.code == "DEPENDENCY_UNAVAILABLE"
    assert info.value.message == ("policy engine unavailable; the request was denied and nothing was written")
    assert ping_info.value.message.startswith("opa unavailable:")
