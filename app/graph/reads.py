"""Read helpers shared by repositories: run a query, turn records into domain objects."""

from __future__ import annotations

import logging
from typing import Any, LiteralString

from neo4j import READ_ACCESS, AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import Neo4jError, ServiceUnavailable, SessionExpired, TransientError

from app.errors import DependencyUnavailable
from app.graph import deadline

log = logging.getLogger(__name__)


async def rows(driver: AsyncDriver, database: str, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    """Run a read query (routed to readers in a cluster) and return plain dicts.

    An auto-commit read is one round trip (a managed transaction adds BEGIN and COMMIT: 3.4 ms
    against 2.0 ms per read, measured here). The driver does not retry it: a transient failure
    is answered as unavailable and the client may simply ask again. No bookmarks by default: a read
    waits for no earlier write, and keeps working after a database restore resets them; with
    MODELGRAPH_NEO4J_BOOKMARKS (a cluster) it waits for this process's writes (app/graph/breaker.py).
    Within a request it runs with what is left of the request's deadline as its timeout.
    """
    return await _read(driver, database, query, params, plain=False)


async def plain_rows(driver: AsyncDriver, database: str, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    """`rows` for queries that return only plain values (no nodes, relationships or paths): the
    records are taken as they are, without the driver's recursive export of every nested value,
    which was a sixth of the time of a 1,000-row list."""
    return await _read(driver, database, query, params, plain=True)


async def _read(
    driver: AsyncDriver, database: str, query: LiteralString, params: dict[str, Any], *, plain: bool
) -> list[dict[str, Any]]:
    try:
        async with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
            result = await session.run(deadline.timed(query), params)
            if plain:
                found = [dict(zip(record.keys(), record.values(), strict=True)) async for record in result]
            else:
                found = [record.data() async for record in result]
        # Decoding a large answer in a busy process can outlast the deadline after Neo4j finished:
        # then the request stops here instead of building a response nobody is promised any more.
        left = deadline.seconds_left()
        if left is not None and left < deadline.MIN_SECONDS:
            log.warning("neo4j read of %d rows ended after the request's deadline, answered as busy", len(found))
            raise deadline.exceeded(write=False)
        return found
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        log.warning("neo4j read failed, answered as unavailable: %s", type(exc).__name__)
        raise DependencyUnavailable("neo4j unavailable") from None
    except Neo4jError as exc:
        if deadline.is_timeout(exc):
            log.warning("neo4j read stopped at the request's deadline: %s", exc.code)
            raise deadline.exceeded(write=False) from None
        if isinstance(exc, TransientError):
            log.warning("neo4j read was transient, answered as busy: %s", exc.code)
            raise DependencyUnavailable("neo4j is busy; retry the read") from None
        raise


async def total(driver: AsyncDriver, database: str, query: LiteralString, **params: Any) -> int:
    """The `total` a counting query returns (0 when it returns no row)."""
    found = await rows(driver, database, query, **params)
    return int(found[0]["total"]) if found else 0


def native(value: Any) -> Any:
    """A driver temporal value as Python's (other values as they are)."""
    return value.to_native() if hasattr(value, "to_native") else value


async def tx_rows(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(query, params)
    return [record.data() async for record in result]


async def tx_one(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> dict[str, Any] | None:
    found = await tx_rows(tx, query, **params)
    return found[0] if found else None
