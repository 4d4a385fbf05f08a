"""How late the event loop runs: a timer asks to wake every `every` seconds and reports how much
later than that it woke. While a process is saturated, a request waits about this long before it is
even read, a wait no request timer inside the app can see."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def watch(observe: Callable[[float], None], every: float = 0.05) -> None:
    """Report the loop's lag to `observe` after each timer, until cancelled."""
    loop = asyncio.get_running_loop()
    while True:
        due = loop.time() + every
        await asyncio.sleep(every)
        observe(max(0.0, loop.time() - due))
