"""BodyLimitMiddleware: oversized request bodies get 413 before the app acts on them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.web.limits import BodyLimitMiddleware

LIMIT = 1024


class Recorder:
    """What the inner app got to see."""

    def __init__(self) -> None:
        self.calls = 0
        self.bodies: list[bytes] = []


def build(recorder: Recorder) -> Starlette:
    async def echo(request: Request) -> JSONResponse:
        recorder.calls += 1
        body = await request.body()
        recorder.bodies.append(body)
        return JSONResponse({"received": len(body)})

    return Starlette(
        routes=[Route("/echo", echo, methods=["POST"])],
        middleware=[Middleware(BodyLimitMiddleware, max_bytes=LIMIT)],
    )


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def client(recorder: Recorder) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=build(recorder))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


def chunks(total: int, size: int = 256) -> AsyncIterator[bytes]:
    async def gen() -> AsyncIterator[bytes]:
        sent = 0
        while sent < total:
            n = min(size, total - sent)
            sent += n
            yield b"x" * n

    return gen()


def assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "error": "PAYLOAD_TOO_LARGE",
        "message": f"request body exceeds {LIMIT} bytes",
    }


async def test_declared_body_over_the_limit_is_refused_unseen(client: httpx.AsyncClient, recorder: Recorder) -> None:
    response = await client.post("/echo", content=b"x" * (LIMIT + 1))

    assert_too_large(response)
    assert recorder.calls == 0  # the app never ran


async def test_chunked_body_over_the_limit_is_refused(client: httpx.AsyncClient, recorder: Recorder) -> None:
    request = client.build_request("POST", "/echo", content=chunks(LIMIT * 4))
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"

    response = await client.send(request)

    assert_too_large(response)
    assert recorder.bodies == []  # the handler never got the body


async def test_body_under_the_limit_passes(client: httpx.AsyncClient, recorder: Recorder) -> None:
    response = await client.post("/echo", content=b"y" * 100)

    assert response.status_code == 200
    assert response.json() == {"received": 100}
    assert recorder.bodies == [b"y" * 100]


async def test_body_of_exactly_the_limit_passes(client: httpx.AsyncClient) -> None:
    response = await client.post("/echo", content=b"y" * LIMIT)

    assert response.status_code == 200
    assert response.json() == {"received": LIMIT}


async def test_chunked_body_under_the_limit_passes(client: httpx.AsyncClient, recorder: Recorder) -> None:
    response = await client.post("/echo", content=chunks(LIMIT - 24, size=100))

    assert response.status_code == 200
    assert response.json() == {"received": LIMIT - 24}
    assert recorder.bodies == [b"x" * (LIMIT - 24)]


async def test_a_path_prefix_can_have_its_own_larger_limit(recorder: Recorder) -> None:
    async def echo(request: Request) -> JSONResponse:
        recorder.calls += 1
        return JSONResponse({"received": len(await request.body())})

    app = Starlette(
        routes=[Route("/echo", echo, methods=["POST"]), Route("/uploads/x", echo, methods=["POST"])],
        middleware=[Middleware(BodyLimitMiddleware, max_bytes=LIMIT, overrides={"/uploads": LIMIT * 4})],
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        big = b"x" * (LIMIT * 2)
        assert (await c.post("/uploads/x", content=big)).json() == {"received": LIMIT * 2}
        refused = await c.post("/echo", content=big)
        assert refused.status_code == 413 and refused.json()["message"] == f"request body exceeds {LIMIT} bytes"
        too_big = await c.post("/uploads/x", content=b"x" * (LIMIT * 5))
        assert too_big.status_code == 413 and str(LIMIT * 4) in too_big.json()["message"]
    assert recorder.calls == 1
