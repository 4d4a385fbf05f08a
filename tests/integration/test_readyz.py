"""/readyz against the real stack: 200 when every dependency answers, 503 naming the one that
does not (OPA, S3) while the others stay ok, and 200 again once it is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.stack.manager import Stack
from tests.conftest import force_working_hours

pytestmark = [
    pytest.mark.integration,
    # Known bugs (reported), filtered here only so that these tests can run; remove the
    # filters once they are fixed:
    # - app/graphql/schema.py passes extension *instances* to strawberry.Schema (deprecated);
    # - tests/conftest.py and `modelgraph serve` use uvicorn ws="websockets" (websockets.legacy);
    # - app/stack/process.py spawn() drops its Popen while the server runs (ResourceWarning).
]

ROOT = Path(__file__).resolve().parents[2]
ALL_OK = {name: {"ok": True, "detail": "ok"} for name in ("neo4j", "opa", "s3")}


@pytest.fixture(scope="module")
def stack(settings: Settings) -> Stack:
    # An absolute policies folder, so OPA restarts correctly whatever the working directory.
    absolute = settings.model_copy(update={"policies_dir": ROOT / "policies"})
    return Stack(absolute, log=lambda _: None)


def readyz(base: str) -> httpx.Response:
    return httpx.get(f"{base}/readyz", timeout=30)


def ready_again(base: str, timeout: float = 20.0) -> httpx.Response:
    """Poll until /readyz says 200 (a restarted service may take a moment to accept requests)."""
    deadline = time.monotonic() + timeout
    response = readyz(base)
    while response.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        response = readyz(base)
    return response


@pytest.fixture
def opa_stopped(stack: Stack, settings: Settings) -> Iterator[None]:
    """Stop the stack's OPA for one test and always start it again."""
    stack.stop_service("opa")
    try:
        yield
    finally:
        stack.start_service("opa")
        force_working_hours(settings)  # OPA reloaded its policy files


@pytest.fixture
def s3_stopped(stack: Stack) -> Iterator[None]:
    stack.stop_service("s3")
    try:
        yield
    finally:
        stack.start_service("s3")


def test_ready_when_every_dependency_answers(live_server: str) -> None:
    response = readyz(live_server)

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "dependencies": ALL_OK}


def test_opa_down_is_503_naming_opa(live_server: str, opa_stopped: None) -> None:
    response = readyz(live_server)

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["dependencies"]["opa"]["ok"] is False
    assert body["dependencies"]["opa"]["detail"].startswith("opa unavailable")
    assert body["dependencies"]["neo4j"] == {"ok": True, "detail": "ok"}
    assert body["dependencies"]["s3"] == {"ok": True, "detail": "ok"}
    # Liveness does not depend on the dependencies.
    assert httpx.get(f"{live_server}/healthz", timeout=5).status_code == 200


def test_s3_down_is_503_naming_s3(live_server: str, s3_stopped: None) -> None:
    started = time.monotonic()
    response = readyz(live_server)
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["dependencies"]["s3"]["ok"] is False
    assert body["dependencies"]["s3"]["detail"].startswith("s3 unavailable")
    assert body["dependencies"]["neo4j"] == {"ok": True, "detail": "ok"}
    assert body["dependencies"]["opa"] == {"ok": True, "detail": "ok"}
    assert elapsed < 10, f"/readyz took {elapsed:.1f}s with S3 down"


def test_ready_again_after_restarts(live_server: str) -> None:
    """Runs after the fault tests above: the restarted services are picked up again."""
    response = ready_again(live_server)

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "dependencies": ALL_OK}
