"""GraphiQL: the schema loads again when the key is pasted, and the Lineage plugin draws a lineage
result and expands a node on click."""

from __future__ import annotations

import json

from playwright.async_api import Page, expect

from app.config import Settings
from tests.browser.conftest import MARKS, admin_key, gql, shot

pytestmark = MARKS

LINEAGE = (
    '{ lineage(input: {start: "START", direction: UPSTREAM, maxHops: 2}) {'
    " truncated nodes { id kind label properties } edges { source target type properties } } }"
)
CANVAS = "document.querySelector('[data-testid=lineage-canvas]').lineageView"
VERSION_ID = '{ modelVersion(model: "credit-default", version: 2) { id } }'


async def set_editor(page: Page, selector: str, text: str) -> None:
    """Type into a GraphiQL editor through CodeMirror's own API (typing would auto-close brackets)."""
    await page.locator(selector).first.wait_for()
    await page.evaluate("([sel, text]) => document.querySelector(sel).CodeMirror.setValue(text)", [selector, text])


HEADERS_EDITOR = ".graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror"
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"


async def test_graphiql_fetches_the_schema_again_when_the_key_is_pasted(
    page: Page, live_server: str, settings: Settings
) -> None:
    await page.goto(f"{live_server}/graphql")
    await expect(page.locator(QUERY_EDITOR)).to_contain_text("Welcome to the modelgraph registry")
    await expect(page.locator(QUERY_EDITOR)).to_contain_text("Lineage panel")
    await page.get_by_role("button", name="Show Documentation Explorer").click()
    await expect(page.get_by_text("Error fetching schema")).to_be_visible()
    await set_editor(page, HEADERS_EDITOR, json.dumps({"Authorization": f"Bearer {admin_key(settings)}"}))
    await expect(page.locator(".graphiql-doc-explorer")).to_contain_text("Query")
    await expect(page.get_by_text("Error fetching schema")).to_have_count(0)
    await shot(page, "graphiql-docs")


async def test_the_lineage_plugin_draws_the_demo_chain_and_expands_a_node(
    page: Page, live_server: str, settings: Settings, demo_keys: dict[str, str]
) -> None:
    key = demo_keys["vera"]
    start = gql(live_server, key, VERSION_ID)["modelVersion"]["id"]
    query = LINEAGE.replace("START", start)
    expected = gql(live_server, key, query)["lineage"]
    await page.goto(f"{live_server}/graphql")
    await set_editor(page, HEADERS_EDITOR, json.dumps({"Authorization": f"Bearer {key}"}))
    await set_editor(page, QUERY_EDITOR, query)
    await page.locator(".graphiql-execute-button").click()
    counts = page.get_by_test_id("lineage-counts")
    await expect(counts).to_have_text(f"{len(expected['nodes'])} nodes, {len(expected['edges'])} edges")
    await shot(page, "graphiql-lineage")
    # Upstream on the left: the training data is drawn left of the version trained on it.
    xs = await page.evaluate(
        f"() => Object.fromEntries({CANVAS}.cy.nodes().map(n => [n.data('kind'), n.position('x')]))"
    )
    assert xs["DatasetVersion"] < xs["Run"] < xs["ModelVersion"], xs

    # Click the cleaned dataset's node on the canvas: its source (the raw export) joins the picture.
    clean = next(n for n in expected["nodes"] if n["kind"] == "DatasetVersion")
    canvas = page.get_by_test_id("lineage-canvas")
    box = await canvas.bounding_box()
    assert box is not None
    where = await page.evaluate(
        f"id => {CANVAS}.cy.getElementById(id).renderedPosition()",
        clean["id"],
    )
    await page.mouse.click(box["x"] + where["x"], box["y"] + where["y"])
    await expect(counts).not_to_have_text(f"{len(expected['nodes'])} nodes, {len(expected['edges'])} edges")
    labels = await page.evaluate(f"() => {CANVAS}.nodes().map(n => n.label)")
    assert any(label.startswith("loan-applications v") for label in labels), labels
    await shot(page, "graphiql-lineage-expanded")

    # The time slider, by keyboard: 90 days ago nothing of the demo existed but the start node.
    slider = page.get_by_label("Days before now to show the graph as of")
    await slider.focus()
    await page.keyboard.press("End")
    await expect(page.get_by_role("status").filter(has_text="As of 20")).to_be_visible()
    await expect(counts).to_have_text("1 nodes, 0 edges")

    # A capped answer says so.
    await set_editor(page, QUERY_EDITOR, query.replace("maxHops: 2", "maxHops: 2, maxNodes: 3"))
    await page.locator(".graphiql-execute-button").click()
    await expect(counts).to_contain_text("3 nodes")
    await expect(counts).to_contain_text("truncated")
