"""The reviews inbox: the demo's pending promotion, its reasons and diff, approved by an approver;
then the audit trail shows the approval."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import MARKS, gql, shot, sign_in

pytestmark = MARKS

PRODUCTION = '{ model(name: "credit-default") { id aliases { alias version } } }'


def production_version(base: str, key: str) -> int:
    aliases = gql(base, key, PRODUCTION)["model"]["aliases"]
    return next(a["version"] for a in aliases if a["alias"] == "production")


async def test_an_approver_approves_the_pending_promotion(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    assert production_version(live_server, demo_keys["ann"]) == 2
    await sign_in(page, live_server, demo_keys["ann"], "ann")
    await page.get_by_role("link", name="Reviews").click()
    review = page.get_by_test_id("review")
    await expect(review).to_have_count(1)
    await expect(review.get_by_test_id("review-reasons")).to_contain_text("needs approval")
    diff = review.get_by_test_id("review-diff")
    await expect(diff.locator("tr", has_text="alias production")).to_contain_text("v2")
    await expect(diff.locator("tr", has_text="alias production")).to_contain_text("v3")
    await shot(page, "reviews")
    await review.get_by_label("Comment").fill("canary looks fine now")
    await review.get_by_role("button", name="Approve").click()
    await expect(review.get_by_test_id("review-result")).to_have_text("Approved: APPROVED")
    assert production_version(live_server, demo_keys["ann"]) == 3

    model_id = gql(live_server, demo_keys["ann"], PRODUCTION)["model"]["id"]
    await page.goto(f"{live_server}/ui/#/audit/{model_id}")
    trail = page.get_by_test_id("audit")
    await expect(trail).to_contain_text("review:approved")
    await expect(trail).to_contain_text("pat")  # the promotion she approved, requested by pat
    await page.get_by_label("Actor").fill("ann")
    await page.get_by_role("button", name="Filter").click()
    await expect(trail.locator("tbody tr").first).to_contain_text("ann")
    rows = trail.locator("tbody tr")
    await expect(rows.filter(has_not=page.locator("td:nth-child(3)", has_text="ann"))).to_have_count(0)
    await expect(rows.filter(has_text="review:approved")).not_to_have_count(0)
    await shot(page, "audit")


async def test_a_viewer_sees_no_review_waiting_and_cannot_approve(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.goto(f"{live_server}/ui/#/reviews")
    await expect(page.get_by_test_id("review-count")).to_have_text("0 pending")
