"""A real webhook receiver on loopback for tests: per path, a script of behaviours (fail with 500,
hang past the sender's timeout, answer 200), and a record of every request it got."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int | None = None


@dataclass
class Receiver:
    url: str = ""
    scripts: dict[str, list[str]] = field(default_factory=dict)
    requests: list[Received] = field(default_factory=list)
    hang_seconds: float = 3.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, path: str, *behaviours: str) -> str:
        """Behaviours for the next requests to `path` ("fail", "hang", "ok"); then always "ok"."""
        with self.lock:
            self.scripts[path] = list(behaviours)
        return f"{self.url}/{path}"

    def got(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def delivered(self, path: str) -> list[Received]:
        return [r for r in self.got(path) if r.answered == 200]

    async def wait_for(self, path: str, count: int = 1, within: float = 20) -> list[Received]:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if len(self.delivered(path)) >= count:
                return self.delivered(path)
            await asyncio.sleep(0.05)
        raise AssertionError(f"{path}: {len(self.delivered(path))} deliveries, wanted {count}: {self.got(path)}")

    async def handle(self, request: Request) -> PlainTextResponse:
        path = request.path_params["name"]
        body = await request.body()
        received = Received(path, {k.lower(): v for k, v in request.headers.items()}, body)
        with self.lock:
            self.requests.append(received)
            script = self.scripts.get(path) or []
            behaviour = script.pop(0) if script else "ok"
        if behaviour == "hang":
            await asyncio.sleep(self.hang_seconds)  # the sender gave up already: answered stays None
            return PlainTextResponse("too late")
        if behaviour == "fail":
            received.answered = 500
            return PlainTextResponse("receiver failed on purpose " + "x" * 2000, status_code=500)
        received.answered = 200
        return PlainTextResponse("thanks")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def receiving() -> Iterator[Receiver]:
    receiver = Receiver()
    app = Starlette(routes=[Route("/{name}", receiver.handle, methods=["POST"])])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("receiver did not start")
        time.sleep(0.02)
    receiver.url = f"http://127.0.0.1:{port}"
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def parsed(received: Received) -> dict[str, Any]:
    import json

    body: dict[str, Any] = json.loads(received.body)
    return body
