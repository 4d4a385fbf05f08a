"""uvicorn as `modelgraph serve` runs it: timeouts and limits from settings, and a deadline for
request headers (uvicorn has none: a client trickling its headers would hold a connection forever)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.config import Settings

log = logging.getLogger(__name__)

TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\ncontent-length: 29\r\n"
    b"connection: close\r\n\r\nrequest headers not received\n"
)


class HeaderDeadlineProtocol(H11Protocol):
    """h11 protocol that closes a connection whose request headers do not arrive in time."""

    header_timeout = 10.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._header_timer is None and self.conn.their_state is h11.IDLE:
            self._arm()  # a new request begins on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_timed_out)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_timed_out(self) -> None:
        self._header_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            if self.cycle is None or self.cycle.response_complete:
                log.warning("%s: request headers not received within %gs; closing", self.client, self.header_timeout)
                self.transport.write(TIMED_OUT)
            self.transport.close()


def uvicorn_config(app: Any, settings: Settings, host: str, port: int, **extra: Any) -> uvicorn.Config:
    """The server configuration, with every timeout and limit taken from settings."""
    deadline = {"header_timeout": settings.header_read_timeout_seconds}
    protocol = type("ConfiguredHeaderDeadline", (HeaderDeadlineProtocol,), deadline)
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        ws="websockets-sansio",
        timeout_keep_alive=settings.keep_alive_timeout_seconds,  # type: ignore[arg-type]
        limit_concurrency=settings.limit_concurrency,
        proxy_headers=False,
        server_header=False,
        access_log=False,  # app/web/request_log.py writes one structured line per request instead
        **extra,
    )
