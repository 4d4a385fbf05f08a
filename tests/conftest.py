"""Shared fixtures. Unit tests need none of the services; integration tests use the real stack
started by `make test` (profile "test"); e2e tests go through a real uvicorn on loopback."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import uvicorn

from app.config import Settings, load_settings
from app.services import Services


@pytest.fixture(scope="session")
def settings() -> Settings:
    # The test stack's profile; another one (other ports) lets a second checkout test side by side.
    # No periodic jobs in servers the tests start (here or as subprocesses): tests run validation
    # cycles, audit checkpoints and outbox pruning themselves, so a timer never changes the graph
    # between two reads of a test (a checkpoint landing between a snapshot and a backup did).
    os.environ["MODELGRAPH_VALIDATE_EVERY_SECONDS"] = "0"
    os.environ["MODELGRAPH_AUDIT_CHECKPOINT_SECONDS"] = "0"
    os.environ["MODELGRAPH_OUTBOX_PRUNE_EVERY_SECONDS"] = "0"
    # Webhooks: receivers started by tests listen on loopback (allow-listed) and retries are fast;
    # only the servers a webhook test starts run a delivery worker (tests/e2e/receiver.py).
    return load_settings(os.environ.get("MODELGRAPH_PROFILE", "test"), **WEBHOOK_TEST_SETTINGS)


WEBHOOK_TEST_SETTINGS: dict[str, object] = {
    "webhooks_enabled": False,
    "webhook_allow_hosts": ["127.0.0.1/32"],
    "webhook_retry_base_seconds": 0.2,
    "webhook_retry_max_seconds": 0.5,
    "webhook_retry_window_seconds": 4.0,
    "webhook_timeout_seconds": 1.0,
    "webhook_connect_timeout_seconds": 1.0,
    "webhook_lease_seconds": 3.0,
    "events_poll_seconds": 0.1,
}


@pytest.fixture(scope="session")
async def services(settings: Settings) -> AsyncIterator[Services]:
    svc = await Services.open(settings)
    try:
        yield svc
    finally:
        await svc.close()


CLEAR_GRAPH = "MATCH (n) WHERE NOT n:SchemaMigration CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"


@pytest.fixture
async def clean_graph(services: Services) -> AsyncIterator[Services]:
    """An empty graph (schema kept) for one test."""
    async with services.driver.session(database=services.settings.neo4j_database) as session:
        await (await session.run(CLEAR_GRAPH)).consume()
    yield services


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(settings: Settings, app: Any = None) -> Iterator[str]:
    """The real app (or `app`, made by create_app) under uvicorn on a loopback port, for HTTP and
    websocket tests."""
    from app.main import create_app

    port = _free_port()
    config = uvicorn.Config(
        app or create_app(settings), host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[str]:
    with serve(settings) as url:
        yield url


def opa_test_headers(settings: Settings) -> dict[str, str]:
    """The test stack's own OPA token: it may read and replace policy data under modelgraph/config
    and upload throwaway mgtest_ policies (policies/system/authz); the service's token may not."""
    from app.config import read_env_file

    token = read_env_file(settings.stack_dir / "env").get("MODELGRAPH_OPA_TEST_TOKEN", "")
    return {"Authorization": f"Bearer {token}"}


ALL_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def force_working_hours(settings: Settings) -> dict[str, object]:
    """Promote/retire outside working hours go to review; tests must not depend on the clock.
    Overrides the policy data in the test OPA (the off-hours rule has its own Rego tests) and
    returns what was there. Call it again after restarting OPA, which reloads the files."""
    import httpx

    url = f"{settings.opa_url}/v1/data/modelgraph/config/working_hours"
    headers = opa_test_headers(settings)
    original: dict[str, object] = httpx.get(url, headers=headers, timeout=5).json()["result"]
    changed = {**original, "days": ALL_DAYS, "start": "00:00", "end": "24:00"}
    httpx.put(url, json=changed, headers=headers, timeout=5).raise_for_status()
    return original


@pytest.fixture(scope="session")
def always_working_hours(settings: Settings) -> Iterator[None]:
    import httpx

    original = force_working_hours(settings)
    yield
    url = f"{settings.opa_url}/v1/data/modelgraph/config/working_hours"
    httpx.put(url, json=original, headers=opa_test_headers(settings), timeout=5)


@pytest.fixture
def internal_for_admins_only(settings: Settings) -> Iterator[None]:
    """Policy data that shows internal values to admins only (by default every role reads them)."""
    import httpx

    url = f"{settings.opa_url}/v1/data/modelgraph/config/disclosure/internal"
    original = httpx.get(url, headers=opa_test_headers(settings), timeout=5).json()["result"]
    httpx.put(url, json={"roles": ["admin"]}, headers=opa_test_headers(settings), timeout=5).raise_for_status()
    yield
    httpx.put(url, json=original, headers=opa_test_headers(settings), timeout=5).raise_for_status()


def actor(name: str, *roles: str, teams: tuple[str, ...] = ()) -> object:
    from app.registry.actor import Actor

    return Actor(id=name, name=name, roles=roles, teams=teams)


def meta(name: str = "alice", *roles: str, key: str | None = None) -> object:
    from app.registry.actor import RequestMeta

    return RequestMeta(actor=actor(name, *(roles or ("admin",))), request_id="test", idempotency_key=key)  # type: ignore[arg-type]
