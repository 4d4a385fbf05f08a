"""Time-bound grants: a grant lets a principal act beyond its role until its expiry instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.errors import PermissionDenied
from app.registry.actor import Actor, RequestMeta
from app.services import Services
from tests.integration.chain import run

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("always_working_hours")]

VIEWER = RequestMeta(actor=Actor(id="gus", name="gus", roles=("viewer",)), request_id="grant-test")


async def test_grant_allows_until_it_expires(clean_graph: Services) -> None:
    await run(clean_graph, "create_principal", {"name": "gus", "roles": ["viewer"]})
    with pytest.raises(PermissionDenied, match="role viewer may not publish"):
        await run(clean_graph, "create_project", {"name": "before-grant"}, VIEWER)
    await run(
        clean_graph,
        "create_grant",
        {"principal": "gus", "action": "publish", "expires_at": datetime.now(UTC) + timedelta(hours=1)},
    )
    created = await run(clean_graph, "create_project", {"name": "with-grant"}, VIEWER)
    assert created["kind"] == "Project"


async def test_expired_grant_no_longer_works(clean_graph: Services) -> None:
    await run(clean_graph, "create_principal", {"name": "gus", "roles": ["viewer"]})
    await run(
        clean_graph,
        "create_grant",
        {"principal": "gus", "action": "publish", "expires_at": datetime.now(UTC) - timedelta(seconds=1)},
    )
    with pytest.raises(PermissionDenied, match="expired"):
        await run(clean_graph, "create_project", {"name": "after-expiry"}, VIEWER)


async def test_only_admins_grant(clean_graph: Services) -> None:
    await run(clean_graph, "create_principal", {"name": "gus", "roles": ["viewer"]})
    approver = RequestMeta(actor=Actor(id="ann", name="ann", roles=("approver",)), request_id="grant-test")
    with pytest.raises(PermissionDenied, match="may not grant"):
        await run(clean_graph, "create_grant", {"principal": "gus", "action": "publish"}, approver)
