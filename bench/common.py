"""Helpers shared by the benchmarks: percentiles and timing of async calls."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any


def pct(samples: list[float], p: float) -> float:
    """The p-th percentile (0-100) of samples, by the inclusive method."""
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[int(p) - 1]


async def timed(calls: list[Callable[[], Awaitable[Any]]]) -> list[float]:
    """Run the calls one after another; return each latency in milliseconds."""
    out: list[float] = []
    for call in calls:
        started = time.perf_counter()
        await call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def line(name: str, samples: list[float]) -> str:
    return f"{name:<44} n={len(samples):<5} p50={pct(samples, 50):8.1f} ms  p95={pct(samples, 95):8.1f} ms"
