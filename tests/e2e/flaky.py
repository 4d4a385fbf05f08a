"""A loopback proxy in front of the test server that fails on purpose: answers 503 + Retry-After,
or forwards a request and then drops the connection before answering (the server applied it, the
client never hears). It records every request body it saw, so tests can compare retries."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx


class Proxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.plan: list[str] = []  # one of "503", "drop", "slow" per upcoming matching POST; then "pass"
        self.match = b""  # the plan applies to POST bodies containing this
        self.bodies: list[bytes] = []
        self.lock = threading.Lock()

    def next_action(self, body: bytes) -> str:
        with self.lock:
            self.bodies.append(body)
            return self.plan.pop(0) if self.plan and self.match in body else "pass"


def _handler(proxy: Proxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            action = proxy.next_action(body)
            if action == "503":
                self._answer(503, b'{"error": {"code": "OVERLOADED", "message": "busy"}}', {"Retry-After": "0"})
                return
            if action == "slow":
                time.sleep(1.5)
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
            forwarded = httpx.post(proxy.upstream + self.path, content=body, headers=headers, timeout=30)
            if action == "drop":
                self.close_connection = True
                return
            self._answer(forwarded.status_code, forwarded.content, {"Content-Type": "application/json"})

        def _answer(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
                self.close_connection = True

    return Handler


@contextlib.contextmanager
def flaky_proxy(upstream: str) -> Iterator[tuple[str, Proxy]]:
    proxy = Proxy(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(proxy))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", proxy
    finally:
        server.shutdown()
        server.server_close()
