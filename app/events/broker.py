"""In-process publish/subscribe for GraphQL subscriptions, fed by the outbox tail.

Every process runs one tail (app/events/tail.py) that reads committed outbox rows, whichever
process wrote them, and publishes them here: a subscriber on replica B sees a write made through
replica A, and changes applied by an approved review like any other.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

log = logging.getLogger(__name__)

QUEUE_SIZE = 100  # a slow subscriber loses its oldest messages, never blocks a writer


class Broker:
    def __init__(self) -> None:
        self._topics: dict[tuple[str, str], set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def publish(self, topic: str, key: str, message: dict[str, Any]) -> int:
        """Deliver to every current subscriber of (topic, key); returns how many got it."""
        queues = self._topics.get((topic, key), set())
        for queue in queues:
            if queue.full():
                log.warning("subscriber of %s is too slow: its oldest message was dropped", topic)
                with suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(message)
        return len(queues)

    def subscribers(self, topic: str, key: str) -> int:
        return len(self._topics.get((topic, key), set()))

    def has_listeners(self) -> bool:
        """Whether anyone in this process listens to anything (the tail reads rows only then)."""
        return bool(self._topics)

    @asynccontextmanager
    async def listen(self, topic: str, key: str) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """A queue registered at once (before the caller reads anything else), removed on exit."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._topics[(topic, key)].add(queue)
        try:
            yield queue
        finally:
            self._topics[(topic, key)].discard(queue)
            if not self._topics[(topic, key)]:
                del self._topics[(topic, key)]

    async def subscribe(self, topic: str, key: str) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(QUEUE_SIZE)
        self._topics[(topic, key)].add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._topics[(topic, key)].discard(queue)
            if not self._topics[(topic, key)]:
                del self._topics[(topic, key)]


DEPLOYMENT_EVENTS = "deployment_events"
HEALTH_CHANGES = "health_changes"
VERSION_FLAGS = "version_flags"
REGISTRY_EVENTS = "registry_events"  # key ALL: every outbox row, in sequence order
ALL = "*"

broker = Broker()
