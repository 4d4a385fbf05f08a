"""Read helpers shared by repositories: run a query, turn records into domain objects."""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl
from neo4j.exceptions import ServiceUnavailable, SessionExpired

from app.domain.entities import Entity
from app.errors import DependencyUnavailable


async def rows(driver: AsyncDriver, database: str, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    """Run a read query (routed to readers in a cluster) and return plain dicts."""
    try:
        records, _, _ = await driver.execute_query(query, params, database_=database, routing_=RoutingControl.READ)
    except (ServiceUnavailable, SessionExpired, OSError):
        raise DependencyUnavailable("neo4j unavailable") from None
    return [record.data() for record in records]


async def entities(driver: AsyncDriver, database: str, kind: str, query: LiteralString, **params: Any) -> list[Entity]:
    return [Entity.of(kind, row["props"]) for row in await rows(driver, database, query, **params)]


async def one(driver: AsyncDriver, database: str, kind: str, query: LiteralString, **params: Any) -> Entity | None:
    found = await entities(driver, database, kind, query, **params)
    return found[0] if found else None


async def tx_rows(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    result = await tx.run(query, params)
    return [record.data() async for record in result]


async def tx_one(tx: AsyncManagedTransaction, query: LiteralString, **params: Any) -> dict[str, Any] | None:
    found = await tx_rows(tx, query, **params)
    return found[0] if found else None
