"""Fail fast while Neo4j is down. The driver retries a managed transaction for up to 30 s when it
cannot connect, so without this every request would hang that long. A call that has not answered
after `probe_after` seconds triggers a probe (a Bolt handshake); if the server does not answer it,
the circuit opens, the call is abandoned and every call for `reset_after` seconds fails at once
with DependencyUnavailable. Then one probe decides (half-open): answer -> closed, none -> open again.
Connection errors the driver reports (ServiceUnavailable, SessionExpired, OSError) open it too."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from app.errors import DependencyUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")
CONNECTION_ERRORS = (ServiceUnavailable, SessionExpired, OSError)
# Bolt magic, then version proposals 5.0-5.8 and 4.4: any four bytes back mean a live server.
HANDSHAKE = bytes.fromhex("6060b017") + bytes([0, 8, 8, 5]) + bytes([0, 0, 4, 4]) + bytes(8)


class Breaker:
    def __init__(self, uri: str, *, probe_after: float, probe_timeout: float, reset_after: float) -> None:
        parts = urlsplit(uri)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 7687
        self.handshake = parts.scheme in ("bolt", "neo4j")  # TLS schemes: a TCP connect is the probe
        self.probe_after, self.probe_timeout, self.reset_after = probe_after, probe_timeout, reset_after
        self.open_until: float | None = None
        self._probe_lock = asyncio.Lock()
        self._last_probe: tuple[float, bool] = (-1e9, True)

    @property
    def is_open(self) -> bool:
        return self.open_until is not None

    def trip(self, why: str) -> None:
        if self.open_until is None:
            log.warning("neo4j circuit opened (%s): failing fast for %gs", why, self.reset_after)
        self.open_until = time.monotonic() + self.reset_after

    def reset(self) -> None:
        if self.open_until is not None:
            log.warning("neo4j circuit closed: the server answers again")
        self.open_until = None

    def unavailable(self) -> DependencyUnavailable:
        return DependencyUnavailable(
            f"neo4j unavailable (not answering; requests fail fast for {self.reset_after:g}s before the next try)"
        )

    async def admit(self) -> None:
        """Raise at once while open; after reset_after let one probe decide (half-open)."""
        if self.open_until is None:
            return
        if time.monotonic() < self.open_until:
            raise self.unavailable()
        async with self._probe_lock:
            if self.open_until is None:
                return
            if await self.probe(fresh=True):
                self.reset()
                return
            self.trip("probe not answered")
            raise self.unavailable()

    async def probe(self, *, fresh: bool = False) -> bool:
        """Does the server answer a Bolt handshake? (Results are shared for `probe_after` seconds.)"""
        at, ok = self._last_probe
        if not fresh and time.monotonic() - at < self.probe_after:
            return ok
        ok = await self._handshake()
        self._last_probe = (time.monotonic(), ok)
        return ok

    async def _handshake(self) -> bool:
        writer = None
        try:
            async with asyncio.timeout(self.probe_timeout):
                reader, writer = await asyncio.open_connection(self.host, self.port)
                if self.handshake:
                    writer.write(HANDSHAKE)
                    await writer.drain()
                    await reader.readexactly(4)
            return True
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            return False
        finally:
            if writer is not None:
                writer.close()

    async def call(self, fn: Callable[[], Awaitable[T]]) -> T:
        """Run a driver call under the breaker (see the module docstring)."""
        await self.admit()
        task = asyncio.ensure_future(fn())
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=self.probe_after)
                if done:
                    return task.result()
                if not await self.probe():
                    self.trip("a request waited and the server did not answer a probe")
                    task.cancel()
                    await asyncio.wait({task}, timeout=self.probe_timeout)  # let it clean up
                    if task.done() and not task.cancelled():
                        task.exception()  # retrieved: it is reported as unavailable below
                    raise self.unavailable()
        except CONNECTION_ERRORS as exc:
            self.trip(type(exc).__name__)
            raise
        finally:
            if not task.done():
                task.cancel()


class GuardedSession:
    """An AsyncSession whose transactions and queries run under the breaker."""

    def __init__(self, session: Any, breaker: Breaker) -> None:
        self._session = session
        self._breaker = breaker

    async def __aenter__(self) -> GuardedSession:
        await self._session.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._session.__aexit__(*exc)

    async def execute_read(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await self._breaker.call(lambda: self._session.execute_read(fn, *args, **kwargs))

    async def execute_write(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        return await self._breaker.call(lambda: self._session.execute_write(fn, *args, **kwargs))

    async def run(self, *args: Any, **kwargs: Any) -> Any:
        return await self._breaker.call(lambda: self._session.run(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


class GuardedDriver:
    """The AsyncDriver's surface used by the registry, each call under the breaker."""

    def __init__(self, driver: Any, breaker: Breaker, *, bookmarks: bool = False) -> None:
        self._driver = driver
        self.breaker = breaker
        # One bookmark manager for every session of the process (execute_query's own): a read
        # after a write waits for that write on whichever cluster member serves it.
        self._bookmarks = driver.execute_query_bookmark_manager if bookmarks else None

    def session(self, **config: Any) -> GuardedSession:
        if self._bookmarks is not None:
            config.setdefault("bookmark_manager", self._bookmarks)
        return GuardedSession(self._driver.session(**config), self.breaker)

    async def execute_query(self, *args: Any, **kwargs: Any) -> Any:
        return await self.breaker.call(lambda: self._driver.execute_query(*args, **kwargs))

    async def close(self) -> None:
        await self._driver.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._driver, name)
