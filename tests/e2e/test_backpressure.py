"""Overload and slow clients against a real uvicorn configured as `modelgraph serve` does, with tiny
limits: one request in flight, a short queue, short header and body deadlines."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from app.config import Settings
from app.web.server import uvicorn_config
from tests.conftest import _free_port
from tests.e2e import rawhttp

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

QUEUE_TIMEOUT = 0.3
HEADER_TIMEOUT = 0.5
BODY_TIMEOUT = 2.0


@pytest.fixture(scope="module")
def tiny_server(settings: Settings) -> Iterator[str]:
    from app.main import create_app

    tiny = settings.model_copy(
        update={
            "max_in_flight": 1,
            "queue_timeout_seconds": QUEUE_TIMEOUT,
            "retry_after_seconds": 3,
            "header_read_timeout_seconds": HEADER_TIMEOUT,
            "body_read_timeout_seconds": BODY_TIMEOUT,
        }
    )
    port = _free_port()
    server = uvicorn.Server(uvicorn_config(create_app(tiny), tiny, "127.0.0.1", port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "tiny server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def stalled_upload(base: str, token: str) -> socket.socket:
    """A request that takes the only slot: headers sent, body promised but never finished."""
    sock = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10)
    sock.sendall(
        b"POST /api/v1/health HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        + f"authorization: Bearer {token}\r\ncontent-length: 100\r\n\r\n".encode()
        + b'{"samples": '
    )
    return sock


def test_requests_beyond_the_limit_wait_then_get_503_with_retry_after(tiny_server: str, settings: Settings) -> None:
    token = settings.bootstrap_admin_key.get_secret_value()
    holder = stalled_upload(tiny_server, token)
    try:
        time.sleep(0.2)  # the stalled request holds the slot
        started = time.monotonic()
        with ThreadPoolExecutor(4) as pool:
            responses = list(
                pool.map(
                    lambda _: httpx.post(
                        f"{tiny_server}/graphql",
                        json={"query": "{ models { edges { node { name } } } }"},
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=10,
                    ),
                    range(4),
                )
            )
        elapsed = time.monotonic() - started
        metrics = httpx.get(f"{tiny_server}/metrics", timeout=5).text  # probes are never queued

        assert [r.status_code for r in responses] == [503] * 4
        assert all(r.headers["retry-after"] == "3" for r in responses)
        assert responses[0].json()["error"]["code"] == "OVERLOADED"
        assert "1 requests in flight" in responses[0].json()["error"]["message"]
        assert QUEUE_TIMEOUT <= elapsed < QUEUE_TIMEOUT + 3
        assert "modelgraph_http_requests_in_flight 1.0" in metrics
        assert "modelgraph_http_requests_shed_total 4.0" in metrics
    finally:
        holder.close()


def test_a_body_that_never_finishes_gets_408_and_frees_the_slot(tiny_server: str, settings: Settings) -> None:
    token = settings.bootstrap_admin_key.get_secret_value()
    holder = stalled_upload(tiny_server, token)
    try:
        started = time.monotonic()
        response = rawhttp.parse(rawhttp.read_all(holder))
        elapsed = time.monotonic() - started
    finally:
        holder.close()

    assert response.status == 408
    assert response.json()["error"]["code"] == "REQUEST_TIMEOUT"
    assert BODY_TIMEOUT - 0.5 <= elapsed < BODY_TIMEOUT + 3
    after = httpx.post(f"{tiny_server}/graphql", json={"query": "{ models { edges { node { name } } } }"}, timeout=10)
    assert after.status_code == 401  # the slot is free again: the request reached authentication


def test_headers_that_never_finish_get_408_and_the_connection_closed(tiny_server: str) -> None:
    with socket.create_connection(("127.0.0.1", int(tiny_server.rsplit(":", 1)[1])), timeout=10) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nhost: x\r\nx-slow: ")
        started = time.monotonic()
        response = rawhttp.parse(rawhttp.read_all(sock))
        elapsed = time.monotonic() - started

    assert response.status == 408
    assert HEADER_TIMEOUT - 0.2 <= elapsed < HEADER_TIMEOUT + 3


def test_a_connection_that_sends_nothing_is_closed(tiny_server: str) -> None:
    with socket.create_connection(("127.0.0.1", int(tiny_server.rsplit(":", 1)[1])), timeout=10) as sock:
        started = time.monotonic()
        data = rawhttp.read_all(sock)
        elapsed = time.monotonic() - started

    assert data.startswith(b"HTTP/1.1 408")
    assert elapsed < HEADER_TIMEOUT + 3
