"""An in-flight limit that adapts to how long requests take (additive increase, multiplicative
decrease, as TCP does with its window): when requests admitted under the current limit take longer
than the target latency, the limit shrinks; while requests queue and finish well within the target,
it grows back. A fixed limit is either too high for a slow machine (every request admitted, each one
slower, none shed) or too low for a fast one; this one finds the level where admitted requests still
finish on time and the rest are shed quickly by the queue timeout.

Pure and single-threaded (one event loop); the clock is passed in, so the rules are unit-tested."""

from __future__ import annotations

import asyncio
from collections import deque

DECREASE = 0.75  # the factor applied to the limit when an admitted request was too slow ...
FLOOR_FACTOR = 0.5  # ... or target/took when that is smaller (far too slow: cut harder), but not below this


class AdaptiveLimit:
    def __init__(self, maximum: int, minimum: int, target_seconds: float) -> None:
        """`target_seconds` 0 keeps the limit fixed at `maximum`."""
        self.maximum = maximum
        self.minimum = max(1, min(minimum, maximum))
        self.target = target_seconds
        self.limit = float(maximum)
        self.in_flight = 0
        self._last_cut = float("-inf")
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def queued(self) -> int:
        return sum(1 for w in self._waiters if not w.done())

    def try_acquire(self) -> bool:
        if self.in_flight < int(self.limit) and not self.queued:
            self.in_flight += 1
            return True
        return False

    async def acquire(self, patience: float) -> None:
        """Take a slot, waiting at most `patience` seconds (TimeoutError after that)."""
        if self.try_acquire():
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(patience):
                await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():  # granted just as the wait ended: give it back
                self.in_flight -= 1
                self._wake()
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def release(self, started: float, now: float, *, sample: bool = True) -> None:
        """Give a slot back; `sample` says whether this request's duration speaks for the service
        (an upload paced by its client does not)."""
        self.in_flight -= 1
        if sample and self.target > 0:
            self._adapt(started, now)
        self._wake()

    def _adapt(self, started: float, now: float) -> None:
        took = now - started
        if took > self.target:
            # One cut per round: only a request admitted after the last cut speaks for the new limit.
            if started >= self._last_cut:
                factor = min(DECREASE, max(FLOOR_FACTOR, self.target / took))
                self.limit = max(float(self.minimum), self.limit * factor)
                self._last_cut = now
        elif took < self.target / 2 and self.queued:
            self.limit = min(float(self.maximum), self.limit + 1 / self.limit)

    def _wake(self) -> None:
        while self._waiters and self.in_flight < int(self.limit):
            waiter = self._waiters.popleft()
            if not waiter.done():
                self.in_flight += 1
                waiter.set_result(None)
