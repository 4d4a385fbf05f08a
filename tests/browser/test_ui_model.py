"""The model page's chart and flags, comparing two versions, and the version page's lineage."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.async_api import FloatRect, Page, expect

from app.config import Settings
from tests.browser.conftest import MARKS, admin_key, gql, shot, sign_in

pytestmark = MARKS

HISTORY = """query ($input: PerformanceHistoryInput!) { performanceHistory(input: $input) { version slice } }"""


def overall_points(base: str, key: str, metric: str) -> int:
    now = datetime.now(UTC)
    window = {"from": (now - timedelta(days=365)).isoformat(), "to": (now + timedelta(days=1)).isoformat()}
    points = gql(base, key, HISTORY, {"input": {"model": "credit-default", "metric": metric, **window}})
    return sum(1 for p in points["performanceHistory"] if p["slice"] is None)


async def test_the_model_chart_has_one_point_per_evaluation_and_marks_the_drift_flag(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    expected = overall_points(live_server, demo_keys["vera"], "auc")
    assert expected == 9
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.get_by_role("link", name="credit-default").first.click()
    await expect(page.get_by_role("heading", name="credit-default", exact=True)).to_be_visible()
    chart = page.get_by_test_id("history-chart")
    await expect(chart).to_have_attribute("data-flags", "1")
    await page.get_by_label("Metric").select_option("auc")
    await expect(chart).to_have_attribute("data-points", str(expected))
    await expect(chart.locator("canvas")).to_have_count(1)
    await expect(chart.get_by_test_id("history-table").locator("tbody tr")).to_have_count(expected)
    await expect(page.get_by_test_id("flags")).to_contain_text("drift")
    await expect(page.get_by_test_id("alias").filter(has_text="production")).to_have_text("production → v2")
    await shot(page, "model")

    await page.get_by_label("Metric").select_option("f1")
    await page.get_by_label("Slice").select_option("region=EU")
    await expect(chart).to_have_attribute("data-points", "1")


NOTED = """query ($input: PerformanceHistoryInput!) { performanceHistory(input: $input) {
    evaluationId version slice annotations { text author } } }"""
ANNOTATE = """mutation ($input: AnnotateInput!) {
    annotate(input: $input) { __typename ... on HistoryWriteSuccess { id } } }"""


async def test_the_chart_marks_the_annotations_the_api_returns_and_lists_them(
    page: Page, live_server: str, demo_keys: dict[str, str], settings: Settings
) -> None:
    now = datetime.now(UTC)
    window = {"from": (now - timedelta(days=365)).isoformat(), "to": (now + timedelta(days=1)).isoformat()}
    history = {"model": "credit-default", "metric": "auc", **window}
    points = gql(live_server, demo_keys["vera"], NOTED, {"input": history})["performanceHistory"]
    oldest = next(p for p in points if p["slice"] is None and p["version"] == 1)
    written = gql(
        live_server,
        admin_key(settings),
        ANNOTATE,
        {"input": {"targetId": oldest["evaluationId"], "text": "first holdout after the <b>label</b> fix"}},
    )
    assert written["annotate"]["__typename"] == "HistoryWriteSuccess", written
    points = gql(live_server, demo_keys["vera"], NOTED, {"input": history})["performanceHistory"]
    overall = [p for p in points if p["slice"] is None]
    noted = [p for p in overall if p["annotations"]]
    notes = [a for p in noted for a in p["annotations"]]
    assert len(noted) == 2 and len(notes) == 2  # the demo's note on v3 and this one on v1

    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.goto(f"{live_server}/ui/#/model/credit-default")
    chart = page.get_by_test_id("history-chart")
    await page.get_by_label("Metric").select_option("auc")
    await expect(chart).to_have_attribute("data-points", str(len(overall)))
    await expect(chart).to_have_attribute("data-annotations", str(len(notes)))
    marks = chart.get_by_test_id("annotation-mark")
    await expect(marks).to_have_count(len(noted))
    await expect(marks.first).to_have_attribute("title", re.compile("on v1 at .*first holdout after the <b>label</b>"))
    await expect(marks.nth(1)).to_have_attribute("title", re.compile("on v3 at .*bureau feed changed its score"))
    for mark in (marks.first, marks.nth(1)):
        await expect(mark).to_be_visible()
    # Each mark sits over the chart's plotting area, the older one further left. The chart may draw
    # again (a resize, a live update) between two reads, so the three boxes are read until all are laid out.
    boxes: list[FloatRect | None] = [None]
    for _ in range(50):
        boxes = [await marks.first.bounding_box(), await marks.nth(1).bounding_box()]
        boxes.append(await chart.locator("canvas").bounding_box())
        if all(boxes):
            break
        await page.wait_for_timeout(100)
    first, second, canvas = boxes
    assert first and second and canvas, boxes
    assert canvas["x"] < first["x"] < second["x"] < canvas["x"] + canvas["width"]
    listed = page.get_by_test_id("annotations").locator("li")
    await expect(listed).to_have_count(len(notes))
    await expect(listed.first).to_contain_text("first holdout after the <b>label</b> fix")  # shown as text
    await expect(listed.nth(1)).to_contain_text("bureau feed changed its score scale upstream")
    for i, note in enumerate(notes):  # oldest first, as the API answers the points
        await expect(listed.nth(i)).to_contain_text(f"({note['author']}, ")
    await shot(page, "model-annotations")

    # Another slice has no notes: no marks, and the list says so.
    await page.get_by_label("Metric").select_option("f1")
    await page.get_by_label("Slice").select_option("region=EU")
    await expect(chart).to_have_attribute("data-annotations", "0")
    await expect(chart.get_by_test_id("annotation-mark")).to_have_count(0)
    await expect(chart).to_contain_text("No annotations in this range.")


async def test_compare_shows_the_two_versions_side_by_side(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.goto(f"{live_server}/ui/#/model/credit-default")
    await page.get_by_label("First version").select_option("2")
    await page.get_by_label("Second version").select_option("3")
    await page.get_by_role("button", name="Compare").click()
    await expect(page).to_have_url(f"{live_server}/ui/#/model/credit-default/compare/2/3")
    sides = page.get_by_test_id("compare-side")
    await expect(sides).to_have_count(2)
    await expect(sides.nth(0)).to_contain_text("Version 2")
    await expect(sides.nth(1)).to_contain_text("Version 3")
    await expect(sides.nth(0)).to_contain_text("max_depth")
    await expect(sides.nth(1)).to_contain_text("loan-applications-clean")
    overall = page.get_by_test_id("compare-metrics").first
    # Latest overall evaluations in the demo: f1 0.84 (v2) and 0.82 (v3).
    await expect(overall.locator("tr", has_text="f1")).to_contain_text("0.840")
    await expect(overall.locator("tr", has_text="f1")).to_contain_text("0.820")
    await expect(page.get_by_test_id("compare-metrics")).to_have_count(2)  # overall and region=EU
    await shot(page, "compare")


async def test_the_version_lineage_walks_to_the_raw_data(
    page: Page, live_server: str, demo_keys: dict[str, str]
) -> None:
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.goto(f"{live_server}/ui/#/model/credit-default/v/2")
    nodes = page.get_by_test_id("lineage-nodes")
    await expect(nodes.locator("li[data-kind=Run]")).to_have_count(1)
    await expect(nodes.locator("li[data-kind=DatasetVersion]")).to_contain_text("loan-applications-clean")
    assert await nodes.locator("li[data-kind=DatasetVersion]", has_text="loan-applications v").count() == 0
    before = await nodes.locator("li").count()
    await page.get_by_text("Nodes as a list").click()
    await nodes.locator("li[data-kind=DatasetVersion]").get_by_role("button").first.click()
    await expect(nodes.locator("li")).not_to_have_count(before)
    await expect(nodes.locator("li[data-kind=DatasetVersion]", has_text="loan-applications v")).to_have_count(1)
    await expect(page.get_by_test_id("lineage-canvas").locator("canvas").first).to_be_visible()
    await expect(page.get_by_test_id("evaluations").locator("tbody tr")).not_to_have_count(0)
    await expect(page.get_by_test_id("deployment")).to_contain_text("credit-default-prod")
    await expect(page.get_by_test_id("timeline")).to_contain_text("ROLLED_BACK")
    await shot(page, "version")

    # The raw export's own page (where the pictures' links and double-clicks lead).
    await nodes.locator("li[data-kind=DatasetVersion]", has_text="loan-applications v").get_by_role("link").click()
    await expect(page.locator("main h1")).to_have_text("loan-applications v1")
    await expect(page.get_by_test_id("lineage-nodes").locator("li[data-kind=DatasetVersion]")).to_have_count(2)


async def test_pages_fit_a_narrow_screen_and_every_control_is_labelled(
    browser: object, live_server: str, demo_keys: dict[str, str]
) -> None:
    from playwright.async_api import Browser

    assert isinstance(browser, Browser)
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    try:
        await sign_in(page, live_server, demo_keys["vera"], "vera")
        for route, name in (
            ("#/", "catalog"),
            ("#/model/credit-default", "model"),
            ("#/model/credit-default/v/2", "version"),
        ):
            await page.goto(f"{live_server}/ui/{route}")
            await expect(page.locator("main h1")).to_be_visible()
            await expect(page.locator("main")).not_to_contain_text("Loading")
            overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (route, overflow)
            unlabelled = await page.evaluate(
                """[...document.querySelectorAll('input, select, button')].filter(e =>
                    !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()
                ).map(e => e.outerHTML)"""
            )
            assert unlabelled == [], (route, unlabelled)
            await shot(page, f"narrow-{name}")
        # Keyboard only: a facet toggles with Space.
        await page.goto(f"{live_server}/ui/#/")
        await expect(page.get_by_test_id("hit")).to_have_count(3)
        await page.locator("fieldset[data-facet=ALIAS] input[value=production]").focus()
        await page.keyboard.press("Space")
        await expect(page.get_by_test_id("hit")).to_have_count(1)
    finally:
        await context.close()


NEW_PRINCIPAL = """mutation ($input: CreatePrincipalInput!) { createPrincipal(input: $input) { __typename } }"""
NEW_KEY = """mutation ($input: IssueApiKeyInput!) { issueApiKey(input: $input) {
    __typename ... on ApiKeyIssued { secret } } }"""
CUSTOM = """query { model(name: "credit-default") { custom { name value classification } } }"""


async def test_a_viewer_outside_the_owning_team_sees_the_marker_where_an_owner_sees_the_value(
    page: Page, live_server: str, demo_keys: dict[str, str], settings: Settings
) -> None:
    admin = admin_key(settings)
    created = gql(live_server, admin, NEW_PRINCIPAL, {"input": {"name": "rita", "roles": ["viewer"]}})
    assert created["createPrincipal"]["__typename"] == "PrincipalCreated", created
    rita = gql(live_server, admin, NEW_KEY, {"input": {"principal": "rita"}})["issueApiKey"]["secret"]
    # The API decides: vera is in the owning team (risk), rita is not.
    seen = {c["name"]: c["value"] for c in gql(live_server, rita, CUSTOM)["model"]["custom"]}
    assert seen == {"review_cycle": "annual", "validation_contact": "[redacted: confidential]"}
    owner = {c["name"]: c["value"] for c in gql(live_server, demo_keys["vera"], CUSTOM)["model"]["custom"]}
    assert owner["validation_contact"] == "Ana Ruiz, model risk"

    await sign_in(page, live_server, rita, "rita")
    await page.goto(f"{live_server}/ui/#/model/credit-default")
    props = page.get_by_test_id("custom")
    contact = props.locator("li[data-name='validation_contact']")
    await expect(contact).to_contain_text("[redacted: confidential]")
    await expect(contact).not_to_contain_text("Ana Ruiz")
    await expect(props.locator("li[data-name='review_cycle']")).to_contain_text("annual")
    await shot(page, "model-redacted")

    await page.get_by_role("button", name="Sign out").click()
    await sign_in(page, live_server, demo_keys["vera"], "vera")
    await page.goto(f"{live_server}/ui/#/model/credit-default")
    await expect(page.get_by_test_id("custom").locator("li[data-name='validation_contact']")).to_contain_text(
        "Ana Ruiz, model risk"
    )
