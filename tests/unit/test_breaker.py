"""The Neo4j circuit breaker against a fake Bolt server on loopback (answers the handshake or not)."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator

import pytest
from neo4j.exceptions import ServiceUnavailable

from app.errors import DependencyUnavailable
from app.graph.breaker import Breaker


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeBolt:
    """Answers a Bolt handshake with a version, like a live server; can be started and stopped."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.server: asyncio.Server | None = None

    async def start(self) -> None:
        async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readexactly(20)
            writer.write(bytes([0, 0, 8, 5]))
            await writer.drain()
            writer.close()

        self.server = await asyncio.start_server(answer, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None


@pytest.fixture
async def bolt() -> AsyncIterator[FakeBolt]:
    fake = FakeBolt(free_port())
    yield fake
    await fake.stop()


def breaker_for(fake: FakeBolt) -> Breaker:
    return Breaker(f"bolt://127.0.0.1:{fake.port}", probe_after=0.2, probe_timeout=0.5, reset_after=0.5)


async def hang() -> str:
    await asyncio.sleep(30)
    return "never"


async def test_a_call_that_hangs_while_the_server_is_gone_fails_fast_and_opens(bolt: FakeBolt) -> None:
    breaker = breaker_for(bolt)  # nothing listens: the probe is refused
    started = time.monotonic()

    with pytest.raises(DependencyUnavailable) as failed:
        await breaker.call(hang)

    assert time.monotonic() - started < 1.0
    assert failed.value.message.startswith("neo4j unavailable")
    assert breaker.is_open
    calls = []

    async def counted() -> str:
        calls.append(1)
        return "ok"

    with pytest.raises(DependencyUnavailable):
        await breaker.call(counted)
    assert calls == []  # open: the driver is not even asked


async def test_half_open_probe_closes_the_circuit_once_the_server_answers(bolt: FakeBolt) -> None:
    breaker = breaker_for(bolt)
    breaker.trip("test")
    await bolt.start()
    await asyncio.sleep(0.6)  # past reset_after

    async def answer() -> str:
        return "ok"

    assert await breaker.call(answer) == "ok"
    assert not breaker.is_open


async def test_a_connection_error_opens_the_circuit_and_is_raised_as_is(bolt: FakeBolt) -> None:
    breaker = breaker_for(bolt)

    async def refused() -> str:
        raise ServiceUnavailable("connection refused")

    with pytest.raises(ServiceUnavailable):
        await breaker.call(refused)
    assert breaker.is_open


async def test_a_slow_call_to_a_live_server_is_left_to_finish(bolt: FakeBolt) -> None:
    await bolt.start()
    breaker = breaker_for(bolt)

    async def slow() -> str:
        await asyncio.sleep(0.7)  # several probe intervals
        return "done"

    assert await breaker.call(slow) == "done"
    assert not breaker.is_open


class _RecordingDriver:
    """Stands in for the neo4j driver: records the session config it is asked for."""

    def __init__(self) -> None:
        self.execute_query_bookmark_manager = object()
        self.configs: list[dict[str, object]] = []

    def session(self, **config: object) -> object:
        self.configs.append(config)
        return object()


def test_sessions_share_the_process_bookmark_manager_only_when_bookmarks_are_on() -> None:
    from app.graph.breaker import Breaker, GuardedDriver

    breaker = Breaker("neo4j://127.0.0.1:7687", probe_after=1, probe_timeout=1, reset_after=1)
    driver = _RecordingDriver()
    GuardedDriver(driver, breaker, bookmarks=True).session(database="neo4j")
    GuardedDriver(driver, breaker, bookmarks=False).session(database="neo4j")
    assert driver.configs == [
        {"database": "neo4j", "bookmark_manager": driver.execute_query_bookmark_manager},
        {"database": "neo4j"},
    ]
    assert breaker.handshake  # the routing scheme is probed like bolt://
