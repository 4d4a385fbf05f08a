"""Live updates: a health change reported through the API appears on the version page without a
reload, through the graphql-transport-ws subscription."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, expect

from app.events.broker import HEALTH_CHANGES, broker
from tests.browser.conftest import MARKS, gql, shot, sign_in

pytestmark = MARKS

DEPLOYMENT = '{ versionStatus(model: "credit-default", version: 2) { deployments { id healthStatus } } }'


async def until_subscribed(deployment_id: str, within: float = 20.0) -> None:
    """The page's subscription has reached the server's broker (same process as the test server)."""
    deadline = time.monotonic() + within
    while broker.subscribers(HEALTH_CHANGES, deployment_id) < 1:
        assert time.monotonic() < deadline, "the page never subscribed to health changes"
        await asyncio.sleep(0.05)


REPORT = "mutation ($input: ReportHealthInput!) { reportHealth(input: $input) { __typename } }"


async def test_a_health_change_appears_without_reload(page: Page, live_server: str, demo_keys: dict[str, str]) -> None:
    deployment = gql(live_server, demo_keys["vera"], DEPLOYMENT)["versionStatus"]["deployments"][0]
    assert deployment["healthStatus"] == "HEALTHY"
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.goto(f"{live_server}/ui/#/model/credit-default/v/2")
    card = page.get_by_test_id("deployment")
    await expect(card.get_by_test_id("health-status")).to_have_text("HEALTHY")
    await expect(card.get_by_test_id("live-note")).to_have_text("Live: listening for health changes and events.")
    await page.evaluate("window.__notReloaded = true")
    await until_subscribed(deployment["id"])

    sample = {
        "deploymentId": deployment["id"],
        "at": (datetime.now(UTC) - timedelta(seconds=2)).isoformat(),
        "latencyP95Ms": 2500.0,
        "errorRate": 0.2,
    }
    done = gql(live_server, demo_keys["trainer-bot"], REPORT, {"input": {"samples": [sample]}})
    assert done["reportHealth"]["__typename"] == "HistoryWriteSuccess"
    await expect(card.get_by_test_id("health-status")).to_have_text("UNHEALTHY")
    await expect(card.get_by_test_id("live-note")).to_contain_text("to UNHEALTHY")
    assert await page.evaluate("window.__notReloaded") is True
    await shot(page, "version-live")
