"""Open and check the async Neo4j driver; translate driver failures into registry errors."""

from __future__ import annotations

from typing import cast

from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from app.config import Settings
from app.errors import DependencyUnavailable
from app.graph.breaker import Breaker, GuardedDriver

PING = "RETURN 1 AS ok"


def open_driver(settings: Settings) -> AsyncDriver:
    """One driver per process, owned by the app lifespan or the CLI command, behind a circuit
    breaker (app/graph/breaker.py) so requests fail fast while Neo4j is down.

    `MODELGRAPH_NEO4J_URI` picks the topology: `bolt://` talks to one server, `neo4j://` (or
    `neo4j+s://`) routes reads and writes across a cluster; sessions share the process's bookmarks
    (`MODELGRAPH_NEO4J_BOOKMARKS`), so moving to a cluster is configuration, not code."""
    breaker = Breaker(
        settings.neo4j_uri,
        probe_after=settings.neo4j_probe_after_seconds,
        probe_timeout=settings.neo4j_probe_timeout_seconds,
        reset_after=settings.neo4j_breaker_reset_seconds,
    )
    # The guard offers the driver's surface the registry uses (session, execute_query, close).
    return cast(AsyncDriver, GuardedDriver(_driver(settings), breaker, bookmarks=settings.neo4j_bookmarks))


def _driver(settings: Settings) -> AsyncDriver:
    return AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        connection_timeout=settings.neo4j_connection_timeout_seconds,
        connection_acquisition_timeout=settings.neo4j_acquisition_timeout_seconds,
        # Concurrent writes to one model queue on its lock and may be retried after a deadlock.
        max_transaction_retry_time=30,
        max_connection_pool_size=50,
        # Schema hints such as "label does not exist" are noise for a fresh graph.
        notifications_min_severity="OFF",
    )


async def ping(driver: AsyncDriver, database: str) -> None:
    """Raise DependencyUnavailable unless a Bolt session answers RETURN 1."""
    try:
        records, _, _ = await driver.execute_query(PING, database_=database)
    except AuthError:
        raise DependencyUnavailable("neo4j refused our credentials (MODELGRAPH_NEO4J_PASSWORD)") from None
    except (ServiceUnavailable, OSError, Neo4jError) as exc:
        raise DependencyUnavailable(f"neo4j unavailable: {type(exc).__name__}") from None
    if not records or records[0]["ok"] != 1:
        raise DependencyUnavailable("neo4j answered unexpectedly")
