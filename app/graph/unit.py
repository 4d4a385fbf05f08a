"""One write = one managed transaction: idempotency check, the stream lock, the change, its audit
event and the idempotency record.

The driver may run the function more than once (transient errors); everything inside is
all-or-nothing, and the idempotency record (unique key) makes a retried request a no-op.
Lock order: the audit stream's head (the aggregate's lock) is taken before the change reads
anything it will change, so writes to one aggregate queue instead of deadlocking, and writes to
different aggregates never wait on each other.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction, unit_of_work
from neo4j.exceptions import (
    ConstraintError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from app.errors import Conflict, DependencyUnavailable, RegistryError
from app.events import outbox
from app.events.catalog import Event
from app.graph import audit, deadline, reads

GET_IDEMPOTENCY: LiteralString = """
MATCH (r:IdempotencyRecord {key: $key})
RETURN r.fingerprint AS fingerprint, r.result AS result
"""

log = logging.getLogger(__name__)

Work = Callable[[AsyncManagedTransaction, datetime], Awaitable[dict[str, Any]]]
# The registry events a write's result stands for (app/events/catalog.py).
EventsOf = Callable[[dict[str, Any]], list[Event]]


@dataclass(frozen=True)
class WriteOutcome:
    result: dict[str, Any]
    replayed: bool


def fingerprint(command: str, payload: Any) -> str:
    body = json.dumps([command, payload], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def scoped_key(principal_id: str, key: str) -> str:
    """Keys are per caller: two clients choosing the same key never collide."""
    return hashlib.sha256(f"{principal_id}\x00{key}".encode()).hexdigest()


async def write(
    driver: AsyncDriver,
    database: str,
    work: Work,
    record: audit.AuditRecord,
    *,
    idempotency_key: str | None = None,
    request_fingerprint: str = "",
    events: EventsOf | None = None,
    replay_checked: bool = False,
) -> WriteOutcome:
    """Run `work` and append its audit event and its outbox events atomically; replay returns the
    first result (and writes no events: the first request wrote them). `replay_checked`: the caller
    has just looked the key up (`replay`), so the transaction does not again; a request with the key
    committing in between makes this one's idempotency record collide, and its result is returned."""
    sequenced: list[int] = []

    async def tx_fn(tx: AsyncManagedTransaction) -> WriteOutcome:
        deadline.remaining()  # past the request's deadline: no (further) attempt
        if idempotency_key and not replay_checked:
            previous = await _previous(tx, idempotency_key, request_fingerprint)
            if previous is not None:
                return WriteOutcome(previous, replayed=True)
        head = await audit.lock(tx, record.stream) if record.stream else None
        at = datetime.now(UTC)
        result = await work(tx, at)
        record.target_id = record.target_id or result.get("id")
        if head is None:  # a new aggregate: its stream starts with this event
            head = await audit.lock(tx, new_stream(result), new=True)
        idempotency = None
        if idempotency_key:
            idempotency = {
                "key": idempotency_key,
                "fingerprint": request_fingerprint,
                "result": json.dumps(result, default=str),
            }
        props = audit.event_props(record, at, head)
        rows = outbox.rows_for(events(result), props, at) if events is not None else []
        # Last, in the audit event's statement: the outbox counter's lock is held only while this
        # transaction commits.
        then = outbox.AFTER_AUDIT if rows else ""
        found = await audit.write_event(tx, props, record.target_id, idempotency, then=then, events=rows)
        sequenced[:] = [int(r["seq"]) for r in found]
        if rows and not sequenced:  # the graph's first events: the counter is created now
            sequenced[:] = await outbox.append_first(tx, rows)
        return WriteOutcome(result, replayed=False)

    left = deadline.remaining()
    try:
        async with driver.session(database=database) as session:
            timed = unit_of_work(timeout=left)(tx_fn) if left is not None else tx_fn
            written: WriteOutcome = await session.execute_write(timed)
        if sequenced:
            outbox.committed(max(sequenced))
        return written
    except ConstraintError as exc:
        # A concurrent request with the same key committed first: return its outcome.
        if idempotency_key:
            async with driver.session(database=database) as session:
                previous = await session.execute_read(_previous, idempotency_key, request_fingerprint)
            if previous is not None:
                return WriteOutcome(previous, replayed=True)
        log.info("write lost a race to a concurrent one: %s", exc.message)
        raise Conflict("a concurrent request changed the same thing first; read it again and retry") from None
    except TransientError as exc:
        if deadline.is_timeout(exc):
            log.warning("write stopped at the request's deadline and rolled back: %s", exc.code)
            raise deadline.exceeded(write=True) from None
        log.warning("write still failing after the driver's retries: %s", exc.code)
        raise DependencyUnavailable(
            "the database stayed busy (lock contention) past the retry budget; nothing was written, retry"
        ) from None
    except IncompleteCommit:
        raise DependencyUnavailable(
            "the database connection dropped during commit; retry with the same idempotency key "
            "to learn whether it was applied"
        ) from None
    except (ServiceUnavailable, SessionExpired, OSError):
        raise DependencyUnavailable("neo4j unavailable; nothing was written") from None
    except Neo4jError as exc:
        if deadline.is_timeout(exc):
            log.warning("write stopped at the request's deadline and rolled back: %s", exc.code)
            raise deadline.exceeded(write=True) from None
        raise


def new_stream(result: dict[str, Any]) -> str:
    """The stream of an aggregate the write just created, named by its kind and id."""
    return f"{str(result.get('kind') or 'registry').lower()}:{result.get('id')}"


async def _previous(tx: AsyncManagedTransaction, key: str, request_fingerprint: str) -> dict[str, Any] | None:
    return _replayed(await (await tx.run(GET_IDEMPOTENCY, key=key)).single(), request_fingerprint)


def _replayed(row: Any, request_fingerprint: str) -> dict[str, Any] | None:
    """The stored result of the key's request, if any; a different request under the key conflicts."""
    if row is None:
        return None
    if row["fingerprint"] != request_fingerprint:
        raise Conflict("idempotency key was already used for a different request")
    result: dict[str, Any] = json.loads(row["result"])
    return result


async def record_only(driver: AsyncDriver, database: str, record: audit.AuditRecord) -> None:
    """Audit an attempt that changed nothing (e.g. a denied request)."""

    async def tx_fn(tx: AsyncManagedTransaction) -> None:
        head = await audit.lock(tx, record.stream or "registry")
        await audit.append(tx, record, datetime.now(UTC), head)

    try:
        async with driver.session(database=database) as session:
            await session.execute_write(tx_fn)
    except RegistryError:
        raise
    except Exception as exc:  # a failed denial audit must not turn a 403 into a 500
        log.warning("could not audit a %s %s by %s: %s", record.decision, record.action, record.actor, exc)


async def replay(driver: AsyncDriver, database: str, key: str, request_fingerprint: str) -> dict[str, Any] | None:
    """The stored result of an earlier request with this key, if any (checked before policy).
    An auto-commit read: one round trip where a managed transaction takes three."""
    try:
        found = await reads.plain_rows(driver, database, GET_IDEMPOTENCY, key=key)
    except deadline.DeadlineExceeded:
        raise
    except DependencyUnavailable:
        raise DependencyUnavailable("neo4j unavailable; nothing was written") from None
    return _replayed(found[0] if found else None, request_fingerprint)
