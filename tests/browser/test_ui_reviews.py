"""The reviews inbox: the demo's pending promotion, its reasons and diff, approved by an approver
(the audit trail then shows the approval); and a promotion rejected with a comment, which changes
nothing and leaves the inbox."""

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


SET_ALIAS = """mutation ($input: SetAliasInput!) {
    setAlias(input: $input) { __typename ... on ReviewRequired { reviewId } } }"""
REJECTED = """{ reviews(input: {status: REJECTED, model: "credit-default"}) {
    edges { node { id status decidedBy comment } } } }"""


async def test_an_approver_rejects_a_promotion_and_nothing_changes(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    before = production_version(live_server, demo_keys["ann"])
    target = 2 if before != 2 else 3  # a version policy would promote, after a review
    asked = {"model": "credit-default", "alias": "production", "version": target, "reason": "back to the best F1"}
    filed = gql(live_server, demo_keys["pat"], SET_ALIAS, {"input": asked})["setAlias"]
    assert filed["__typename"] == "ReviewRequired", filed

    await sign_in(page, live_server, demo_keys["ann"], "ann")
    await page.goto(f"{live_server}/ui/#/reviews")
    review = page.get_by_test_id("review").filter(has_text="back to the best F1")
    await expect(review).to_have_count(1)
    change = review.get_by_test_id("review-diff").locator("tr", has_text="alias production").locator("td")
    await expect(change).to_have_text([f"v{before}", f"v{target}"])  # now, requested
    await review.get_by_label("Comment").fill("the canary of that version is still open")
    await review.get_by_role("button", name="Reject").click()
    await expect(review.get_by_test_id("review-result")).to_have_text("Rejected: REJECTED")
    await expect(review.get_by_role("button", name="Approve")).to_be_disabled()
    await expect(review.get_by_role("button", name="Reject")).to_be_disabled()
    await shot(page, "reviews-rejected")

    assert production_version(live_server, demo_keys["ann"]) == before
    decided = [e["node"] for e in gql(live_server, demo_keys["ann"], REJECTED)["reviews"]["edges"]]
    assert {
        "id": filed["reviewId"],
        "status": "REJECTED",
        "decidedBy": "ann",
        "comment": "the canary of that version is still open",
    } in decided
    await page.reload()
    await expect(page.get_by_test_id("review-count")).to_be_visible()
    await expect(page.get_by_test_id("review").filter(has_text="back to the best F1")).to_have_count(0)

    model_id = gql(live_server, demo_keys["ann"], PRODUCTION)["model"]["id"]
    await page.goto(f"{live_server}/ui/#/audit/{model_id}")
    await expect(page.get_by_test_id("audit").locator("tbody tr", has_text="review:rejected")).not_to_have_count(0)


async def test_a_viewer_sees_no_review_waiting_and_cannot_approve(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.goto(f"{live_server}/ui/#/reviews")
    await expect(page.get_by_test_id("review-count")).to_have_text("0 pending")
