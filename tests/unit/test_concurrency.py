"""The adaptive in-flight limit: slow admitted requests shrink it (once per round), fast ones under
queueing grow it back, never past its bounds; waiters are admitted in order or time out cleanly."""

from __future__ import annotations

import asyncio
import time

import pytest

from app.web import loop_lag
from app.web.concurrency import AdaptiveLimit


def test_slow_requests_cut_the_limit_once_per_round_down_to_the_minimum() -> None:
    limit = AdaptiveLimit(maximum=64, minimum=4, target_seconds=2.0)
    for _ in range(3):
        assert limit.try_acquire()
    limit.release(started=0.0, now=5.0)  # 2.5 times the target: cut by half (at most)
    assert limit.limit == 32
    limit.release(started=1.0, now=6.0)  # admitted before that cut: says nothing about 32
    assert limit.limit == 32
    limit.release(started=5.5, now=8.0)  # admitted after it and a little too slow: cut by a quarter
    assert limit.limit == 24
    for n in range(40):
        limit.in_flight += 1
        limit.release(started=10.0 * (n + 1), now=10.0 * (n + 1) + 3)
    assert limit.limit == 4


async def test_fast_requests_grow_the_limit_only_while_requests_queue() -> None:
    limit = AdaptiveLimit(maximum=5, minimum=1, target_seconds=2.0)
    limit.limit = 2.0
    assert limit.try_acquire() and limit.try_acquire() and not limit.try_acquire()
    limit.release(started=0.0, now=0.1)  # fast, but nobody waits: the limit stays
    assert limit.limit == 2.0

    assert limit.try_acquire()  # both slots taken again
    queued = asyncio.ensure_future(limit.acquire(patience=5))
    await asyncio.sleep(0)  # let it join the queue
    assert limit.queued == 1
    limit.release(started=1.0, now=1.1)  # fast while someone waits: grow by 1/limit
    assert limit.limit == 2.5
    await queued
    assert limit.in_flight == 2
    limit._waiters.append(asyncio.get_running_loop().create_future())  # demand stays
    for _ in range(50):
        limit._adapt(started=2.0, now=2.1)
    assert limit.limit == 5.0


async def test_waiters_are_admitted_in_order_and_a_timed_out_one_leaves_no_trace() -> None:
    limit = AdaptiveLimit(maximum=1, minimum=1, target_seconds=0)
    assert limit.try_acquire()
    first = asyncio.ensure_future(limit.acquire(patience=5))
    second = asyncio.ensure_future(limit.acquire(patience=5))
    await asyncio.sleep(0)
    with pytest.raises(TimeoutError):
        await limit.acquire(patience=0.01)
    assert limit.queued == 2 and limit.in_flight == 1

    limit.release(started=0.0, now=100.0)  # a fixed limit (target 0) never adapts
    await first
    assert not second.done() and limit.in_flight == 1 and limit.limit == 1
    limit.release(started=0.0, now=0.0)
    await second
    limit.release(started=0.0, now=0.0)
    assert limit.in_flight == 0 and limit.queued == 0 and limit.try_acquire()


async def test_a_newcomer_does_not_overtake_the_queue() -> None:
    limit = AdaptiveLimit(maximum=1, minimum=1, target_seconds=0)
    assert limit.try_acquire()
    waiting = asyncio.ensure_future(limit.acquire(patience=5))
    await asyncio.sleep(0)
    limit.limit = 2.0  # room appears, but someone is already queued
    assert not limit.try_acquire()
    limit.release(started=0.0, now=0.0)
    await waiting
    assert limit.in_flight == 1


async def test_loop_lag_reports_how_long_the_loop_was_blocked() -> None:
    seen: list[float] = []
    watcher = asyncio.create_task(loop_lag.watch(seen.append, every=0.01))
    await asyncio.sleep(0.05)
    time.sleep(0.2)  # noqa: ASYNC251 -- blocking the loop on purpose: the watcher's timer fires late
    await asyncio.sleep(0.05)
    watcher.cancel()
    assert max(seen) >= 0.15
    assert min(seen) < 0.05
