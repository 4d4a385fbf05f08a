"""Look-ups by name that clients need before they can address a node by id."""

from __future__ import annotations

from neo4j import AsyncDriver

from app.graph import core_queries as q
from app.graph.reads import rows


async def experiment_id(driver: AsyncDriver, database: str, project: str, name: str) -> str | None:
    """The id of the experiment `name` in project `project`, if there is one."""
    found = await rows(driver, database, q.EXPERIMENT_EXISTS, name=name, project=project)
    return str(found[0]["id"]) if found else None
