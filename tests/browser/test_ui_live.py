"""Live updates: a health change and a deployment event recorded through the API appear on the
version page without a reload, through the graphql-transport-ws subscriptions."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from playwright.async_api import Page, Route, expect

from app.events.broker import DEPLOYMENT_EVENTS, HEALTH_CHANGES, broker
from tests.browser.conftest import MARKS, gql, shot, sign_in

pytestmark = MARKS

DEPLOYMENT = '{ versionStatus(model: "credit-default", version: 2) { deployments { id healthStatus } } }'


async def until_subscribed(deployment_id: str, topic: str = HEALTH_CHANGES, within: float = 20.0) -> None:
    """The page's subscription has reached the server's broker (same process as the test server)."""
    deadline = time.monotonic() + within
    while broker.subscribers(topic, deployment_id) < 1:
        assert time.monotonic() < deadline, f"the page never subscribed to {topic}"
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


EVENT = """mutation ($input: RecordDeploymentEventInput!) {
    recordDeploymentEvent(input: $input) { __typename ... on Error { message } } }"""
TIMELINE = "query ($id: ID!) { deploymentTimeline(id: $id) { seq type reason } }"


async def test_a_deployment_event_joins_the_timeline_without_reload(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    deployment = gql(live_server, demo_keys["vera"], DEPLOYMENT)["versionStatus"]["deployments"][0]
    before = gql(live_server, demo_keys["vera"], TIMELINE, {"id": deployment["id"]})["deploymentTimeline"]
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.goto(f"{live_server}/ui/#/model/credit-default/v/2")
    card = page.get_by_test_id("deployment")
    rows = card.get_by_test_id("timeline").locator("tbody tr")
    await expect(rows).to_have_count(len(before))
    await expect(card.get_by_test_id("live-note")).to_contain_text("Live: listening")
    await page.evaluate("window.__notReloaded = true")
    await until_subscribed(deployment["id"], DEPLOYMENT_EVENTS)

    reason = "p99 latency above the SLO for 5 minutes"
    event = {"deploymentId": deployment["id"], "type": "INCIDENT_OPENED", "reason": reason}
    done = gql(live_server, demo_keys["trainer-bot"], EVENT, {"input": event})
    assert done["recordDeploymentEvent"]["__typename"] == "HistoryWriteSuccess", done
    await expect(rows).to_have_count(len(before) + 1)
    newest = rows.last
    await expect(newest).to_contain_text("INCIDENT_OPENED")
    await expect(newest).to_contain_text(reason)
    await expect(newest).to_contain_text("trainer-bot")
    await expect(newest.locator("td").first).to_have_text(str(before[-1]["seq"] + 1))
    assert await page.evaluate("window.__notReloaded") is True
    await shot(page, "version-live-event")


async def test_an_event_recorded_while_the_page_loads_its_timeline_appears_once(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    deployment = gql(live_server, demo_keys["vera"], DEPLOYMENT)["versionStatus"]["deployments"][0]
    before = gql(live_server, demo_keys["vera"], TIMELINE, {"id": deployment["id"]})["deploymentTimeline"]
    reason = "recorded between reading the timeline and listening"

    async def late_timeline(route: Route) -> None:
        """The page gets the timeline as it was read, after one more event has been recorded."""
        if "deploymentTimeline" not in (route.request.post_data or ""):
            await route.continue_()
            return
        stale = await route.fetch()
        event = {"deploymentId": deployment["id"], "type": "INCIDENT_RESOLVED", "reason": reason}
        done = gql(live_server, demo_keys["trainer-bot"], EVENT, {"input": event})
        assert done["recordDeploymentEvent"]["__typename"] == "HistoryWriteSuccess", done
        await route.fulfill(response=stale)

    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.route("**/graphql", late_timeline)
    await page.goto(f"{live_server}/ui/#/model/credit-default/v/2")
    rows = page.get_by_test_id("deployment").get_by_test_id("timeline").locator("tbody tr")
    await expect(rows.last).to_contain_text(reason)
    await expect(rows).to_have_count(len(before) + 1)
    seqs = [int(s) for s in await rows.locator("td:first-child").all_inner_texts()]
    assert seqs == sorted(set(seqs)) and len(seqs) == len(before) + 1
