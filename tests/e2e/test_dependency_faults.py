"""Really stop Neo4j, then OPA, of the test stack: requests fail fast with a typed 503 and
Retry-After instead of hanging, /metrics says what happened, and service resumes once the
dependency is back. Every wait is bounded."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.stack.manager import Stack
from tests.conftest import force_working_hours

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

ROOT = Path(__file__).resolve().parents[2]
FAST = 2.5  # seconds: "fail within ~2 s"
READ = "{ models { edges { node { name } } } }"
WRITE = (
    'mutation { createModel(input: {name: "while-down", licence: "MIT"}) { __typename '
    "... on UnavailableError { code message } } }"
)


@pytest.fixture(scope="module")
def stack(settings: Settings) -> Stack:
    return Stack(settings.model_copy(update={"policies_dir": ROOT / "policies"}), log=lambda _: None)


def post(base: str, settings: Settings, query: str, token: str | None = None) -> tuple[httpx.Response, float]:
    token = token or settings.bootstrap_admin_key.get_secret_value()
    started = time.monotonic()
    response = httpx.post(
        f"{base}/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    return response, time.monotonic() - started


def recovered(base: str, settings: Settings, within: float) -> httpx.Response:
    deadline = time.monotonic() + within
    response, _ = post(base, settings, READ)
    while response.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        response, _ = post(base, settings, READ)
    return response


def counter(metrics: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    found = re.search(rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$", metrics, re.M)
    return float(found.group(1)) if found else 0.0


@pytest.fixture
def api_key(live_server: str, settings: Settings, clean_graph: object) -> str:
    """A stored API key: authenticating it needs Neo4j (the bootstrap key does not)."""
    admin = settings.bootstrap_admin_key.get_secret_value()
    for query in (
        'mutation { createPrincipal(input: {name: "viewer-while-down", roles: ["viewer"]}) { __typename } }',
        'mutation { issueApiKey(input: {principal: "viewer-while-down"}) { ... on ApiKeyIssued { secret } } }',
    ):
        body = httpx.post(
            f"{live_server}/graphql", json={"query": query}, headers={"Authorization": f"Bearer {admin}"}, timeout=30
        ).json()
    return str(body["data"]["issueApiKey"]["secret"])


def test_neo4j_down_fails_fast_with_typed_503s_then_recovers(
    live_server: str, settings: Settings, api_key: str, stack: Stack
) -> None:
    stack.stop_service("neo4j")
    try:
        for _ in range(3):  # the first finds out, the next ones fail at once
            read, elapsed = post(live_server, settings, READ)
            assert elapsed < FAST, f"read took {elapsed:.1f}s with neo4j down"
            assert read.status_code == 503 and read.headers["retry-after"] == "2"
            [error] = read.json()["errors"]
            assert error["extensions"]["code"] == "DEPENDENCY_UNAVAILABLE"
            assert error["message"].startswith("neo4j unavailable")
        write, elapsed = post(live_server, settings, WRITE)
        assert elapsed < FAST and write.status_code == 503 and write.headers["retry-after"] == "2"
        assert write.json()["data"]["createModel"]["code"] == "DEPENDENCY_UNAVAILABLE"
        auth, elapsed = post(live_server, settings, READ, token=api_key)
        assert elapsed < FAST and auth.status_code == 503 and auth.headers["retry-after"] == "2"
        assert auth.json()["error"] == "DEPENDENCY_UNAVAILABLE"
        started = time.monotonic()
        ready = httpx.get(f"{live_server}/readyz", timeout=30)
        assert time.monotonic() - started < FAST and ready.status_code == 503
        assert ready.json()["dependencies"]["neo4j"]["ok"] is False
    finally:
        stack.start_service("neo4j")
    back = recovered(live_server, settings, within=30)
    assert back.status_code == 200 and "errors" not in back.json()
    assert post(live_server, settings, READ, token=api_key)[0].status_code == 200
    metrics = httpx.get(f"{live_server}/metrics", timeout=10).text
    unavailable = {"operation": "models", "code": "DEPENDENCY_UNAVAILABLE"}
    assert counter(metrics, "modelgraph_graphql_operations_total", **unavailable) >= 3
    assert counter(metrics, "modelgraph_graphql_operations_total", operation="models", code="OK") >= 1


def test_opa_down_is_a_typed_503_for_reads_and_writes_then_recovers(
    live_server: str, settings: Settings, stack: Stack
) -> None:
    stack.stop_service("opa")
    try:
        read, elapsed = post(live_server, settings, READ)
        assert elapsed < FAST and read.status_code == 503 and read.headers["retry-after"] == "2"
        [error] = read.json()["errors"]
        assert error["extensions"]["code"] == "DEPENDENCY_UNAVAILABLE"
        assert error["message"] == "policy engine unavailable; the read was refused, retry shortly"
        write, elapsed = post(live_server, settings, WRITE)
        assert elapsed < FAST and write.status_code == 503
        # A mutation meets the read gate first, which stops it before anything runs.
        [error] = write.json()["errors"]
        assert error["extensions"]["code"] == "DEPENDENCY_UNAVAILABLE"
        assert error["message"] == "policy engine unavailable; the request was denied and nothing was written"
    finally:
        stack.start_service("opa")
        force_working_hours(settings)  # OPA reloaded its policy files
    assert recovered(live_server, settings, within=20).status_code == 200
    metrics = httpx.get(f"{live_server}/metrics", timeout=10).text
    unavailable = {"operation": "createModel", "code": "DEPENDENCY_UNAVAILABLE"}
    assert counter(metrics, "modelgraph_graphql_operations_total", **unavailable) >= 1
    assert counter(metrics, "modelgraph_policy_decision_seconds_count", outcome="unavailable") >= 2
    assert counter(metrics, "modelgraph_policy_decision_seconds_count", outcome="allow") >= 1


def test_a_frozen_neo4j_is_a_typed_503_within_the_probe_bound_then_recovers(
    live_server: str, settings: Settings, stack: Stack
) -> None:
    """Neo4j stopped with SIGSTOP keeps its sockets open and answers nothing. The stack's Neo4j sends
    drivers no receive timeout (keep-alive for requests is off), so what bounds the wait is the
    breaker: a call still waiting after the probe interval probes the server, and no answer trips it."""
    assert recovered(live_server, settings, within=30).status_code == 200
    pid = stack._state().pids["neo4j"]
    bound = settings.neo4j_probe_after_seconds + settings.neo4j_probe_timeout_seconds + FAST
    os.kill(pid, signal.SIGSTOP)
    try:
        read, elapsed = post(live_server, settings, READ)
        assert elapsed < bound, f"read took {elapsed:.1f}s with neo4j frozen"
        assert read.status_code == 503, read.text
        [error] = read.json()["errors"]
        assert error["extensions"]["code"] == "DEPENDENCY_UNAVAILABLE"
    finally:
        os.kill(pid, signal.SIGCONT)
    back = recovered(live_server, settings, within=30)
    assert back.status_code == 200 and "errors" not in back.json()
