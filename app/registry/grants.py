"""A principal's grants, as policy reads them: below the write path, which needs them for every
decision, and below the governance commands that change them."""

from __future__ import annotations

from app.graph.governance_queries import GRANTS_OF
from app.graph.reads import rows
from app.services import Services


async def grants_of(services: Services, principal: str) -> list[dict[str, object]]:
    """A principal's grants, reused for a few seconds (policy checks their expiry on every use)."""
    cached: list[dict[str, object]] | None = services.principals.get("grants:" + principal)
    if cached is None:
        cached = await _load_grants(services, principal)
        services.principals.put("grants:" + principal, cached)
    return cached


async def _load_grants(services: Services, principal: str) -> list[dict[str, object]]:
    found = await rows(services.driver, services.settings.neo4j_database, GRANTS_OF, principal=principal)
    return [
        {
            "action": r["action"],
            "resource_id": r["resource_id"],
            "expires_at": r["expires_at"].to_native().isoformat().replace("+00:00", "Z") if r["expires_at"] else None,
        }
        for r in found
    ]
