"""A deployment's events for a subscriber that has already read the timeline up to some `seq`:
first what was recorded after it (from the graph), then live events (from the broker), each exactly
once. The listener is registered before the graph is read, so an event committed while the client
was loading the page is neither lost (it is read or queued) nor repeated (seq only goes up)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from app.events.broker import DEPLOYMENT_EVENTS, broker
from app.graph.history_reads import MAX_ROWS, HistoryReader
from app.graph.history_records import DeploymentEvent


async def events_after(reader: HistoryReader, deployment_id: str, after_seq: int) -> AsyncGenerator[DeploymentEvent]:
    async with broker.listen(DEPLOYMENT_EVENTS, deployment_id) as queue:
        last = after_seq
        while True:
            recorded = await reader.timeline(deployment_id, last)
            for event in recorded:
                last = max(last, event.seq)
                yield event
            if len(recorded) < MAX_ROWS:
                break
        while True:
            message = await queue.get()
            if int(message.get("seq") or 0) > last:
                last = int(message["seq"])
                yield DeploymentEvent.of(message)
