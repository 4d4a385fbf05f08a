"""Open and check the async Neo4j driver; translate driver failures into registry errors."""

from __future__ import annotations

from neo4j import AsyncDriver, AsyncGraphDatabase
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from app.config import Settings
from app.errors import DependencyUnavailable

PING = "RETURN 1 AS ok"


def open_driver(settings: Settings) -> AsyncDriver:
    """One driver per process, owned by the app lifespan or the CLI command."""
    return AsyncGraphDatabase.driver(
        settings.neo4j_uri,
        auth=(settings.neo4j_user, settings.neo4j_password.get_secret_value()),
        connection_timeout=5,
        connection_acquisition_timeout=10,
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
