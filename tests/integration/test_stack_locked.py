"""The local stack's OPA and S3 store answer only to the service's credentials: nobody else on the
machine can change the rules, read decisions or write objects behind the registry's back."""

from __future__ import annotations

import httpx
import pytest

from app.config import Settings
from app.policy.client import PolicyClient
from app.stack.layout import StackState
from tests.conftest import opa_test_headers

pytestmark = pytest.mark.integration

WORKING_HOURS = "/v1/data/modelgraph/config/working_hours"
DECISION = "/v1/data/modelgraph/authz/decision"
READ = {"action": "read", "principal": {"id": "alice", "kind": "user", "roles": ["viewer"]}}


def service_headers(settings: Settings) -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.opa_token.get_secret_value()}"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-the-token"}], ids=["no token", "wrong token"])
def test_opa_refuses_callers_without_the_token(settings: Settings, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=settings.opa_url, headers=headers, timeout=5) as opa:
        put = opa.put(WORKING_HOURS, json={"days": [], "start": "00:00", "end": "00:01"})
        decide = opa.post(DECISION, json={"input": READ})
        policy = opa.put("/v1/policies/evil", content="package evil\n", headers={"content-type": "text/plain"})
        health = opa.get("/health")

    assert [put.status_code, decide.status_code, policy.status_code, health.status_code] == [401, 401, 401, 401]


def test_the_service_token_decides_but_cannot_change_rules_or_data(settings: Settings) -> None:
    with httpx.Client(base_url=settings.opa_url, headers=service_headers(settings), timeout=5) as opa:
        decide = opa.post(DECISION, json={"input": READ})
        put = opa.put(WORKING_HOURS, json={"days": [], "start": "00:00", "end": "00:01"})
        policy = opa.put("/v1/policies/evil", content="package evil\n", headers={"content-type": "text/plain"})
        system = opa.post("/v1/data/system/authz", json={"input": {}})

    assert decide.status_code == 200 and "allow" in decide.json()["result"]
    assert [put.status_code, policy.status_code, system.status_code] == [401, 401, 401]
    # the test stack's own token sees the data unchanged
    hours = httpx.get(f"{settings.opa_url}{WORKING_HOURS}", headers=opa_test_headers(settings), timeout=5)
    assert hours.json()["result"]["end"] != "00:01"


async def test_the_app_client_sends_its_token(settings: Settings) -> None:
    client = PolicyClient(settings.opa_url, settings.opa_timeout_seconds, settings.opa_token.get_secret_value())
    await client.open()
    try:
        await client.ping()
        assert (await client.decide(READ)).reasons is not None
    finally:
        await client.close()


def weed_ports(settings: Settings) -> dict[str, int]:
    state = StackState.load(settings.stack_dir / "stack.json")
    assert state is not None, "the test stack is not running"
    return state.ports


def test_seaweed_filer_and_volume_refuse_raw_http_without_a_signed_token(settings: Settings) -> None:
    """Only the S3 gateway (with the identities file) may reach the stored objects."""
    ports = weed_ports(settings)
    filer = f"http://127.0.0.1:{ports['weed_filer']}"
    bucket = f"{filer}/buckets/{settings.s3_bucket}"
    with httpx.Client(timeout=5) as http:
        write = http.post(f"{bucket}/planted.bin", files={"file": ("planted.bin", b"not an artifact")})
        listing = http.get(f"{bucket}/", headers={"Accept": "application/json"})
        delete = http.delete(f"{bucket}/anything")
        assign = http.get(f"http://127.0.0.1:{ports['weed_master']}/dir/assign").json()
        volume = http.post(f"http://{assign['url']}/{assign['fid']}", files={"file": ("x", b"x")})

    assert [write.status_code, listing.status_code, delete.status_code, volume.status_code] == [401, 401, 401, 401]
    assert "auth" not in assign, "the master must not hand out write tokens"
