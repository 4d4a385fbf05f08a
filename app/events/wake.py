"""A wake-up that a commit on any thread can give to a loop waiting for new outbox events (tests
run servers in threads, each with its own event loop)."""

from __future__ import annotations

import asyncio
import contextlib


class Wake:
    def __init__(self) -> None:
        self._event = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self) -> None:
        """Called by the waiting loop before it first waits."""
        self._loop = asyncio.get_running_loop()

    def nudge(self) -> None:
        """Wake the waiting loop, from its own thread or another one; a no-op before bind or after close."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._event.set()
        else:
            with contextlib.suppress(RuntimeError):  # that loop closed meanwhile
                loop.call_soon_threadsafe(self._event.set)

    async def wait(self, seconds: float) -> None:
        """Until nudged or `seconds` passed."""
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for loses a cancellation that arrives as
        # the event is set or the time runs out, and the cancelled loop then waits again for ever
        # (a tail or worker that never stops; found as a test run that hung).
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._event.wait()
        self._event.clear()
