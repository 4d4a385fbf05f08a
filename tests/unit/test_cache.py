"""The in-process cache behind principal and read-decision reuse: bounded in time and size."""

from __future__ import annotations

import pytest

from app.cache import TtlCache


def test_entries_expire_after_their_time_to_live(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("app.cache.time.monotonic", lambda: now[0])
    cache: TtlCache[str, int] = TtlCache(ttl=5)
    cache.put("k", 1)
    now[0] = 104.9
    assert cache.get("k") == 1
    now[0] = 105.0
    assert cache.get("k") is None and len(cache) == 0


def test_the_least_recently_used_entry_goes_first_when_full() -> None:
    cache: TtlCache[str, int] = TtlCache(ttl=60, max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recently used
    cache.put("c", 3)
    assert cache.get("b") is None and cache.get("a") == 1 and cache.get("c") == 3


def test_a_zero_time_to_live_caches_nothing_and_clear_forgets_everything() -> None:
    off: TtlCache[str, int] = TtlCache(ttl=0)
    off.put("k", 1)
    assert off.get("k") is None
    on: TtlCache[str, int] = TtlCache(ttl=60)
    on.put("k", 1)
    on.clear()
    assert on.get("k") is None
