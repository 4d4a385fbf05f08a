"""The lineage component on its own: 500 nodes laid out in layers, upstream left, none overlapping
another (labels included), shown at a zoom where labels can be read, so a large answer stays
readable."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.conftest import MARKS, shot

pytestmark = MARKS

# 20 raw datasets, each cleaned into 4 versions, each feeding 6 runs: 20 + 80 + 480 = 580 nodes.
DRAW = """async () => {
  const { LineageView } = await import("/static/ui/lineage-view.js");
  const box = document.createElement("div");
  box.className = "mg-lineage-canvas";
  box.dataset.testid = "big-lineage";
  document.body.prepend(box);
  box.style.height = "760px";
  const nodes = [], edges = [];
  for (let d = 0; d < 20; d++) {
    nodes.push({ id: "raw" + d, kind: "DatasetVersion", label: "raw-" + d + " v1", properties: {} });
    for (let c = 0; c < 4; c++) {
      const clean = "clean" + d + "_" + c;
      nodes.push({ id: clean, kind: "DatasetVersion", label: "clean-" + d + "-" + c + " v1", properties: {} });
      edges.push({ source: clean, target: "raw" + d, type: "DERIVED_FROM", properties: {} });
      for (let r = 0; r < 6; r++) {
        const run = "run" + d + "_" + c + "_" + r;
        nodes.push({ id: run, kind: "Run", label: "run " + run, properties: {} });
        edges.push({ source: run, target: clean, type: "USED", properties: {} });
      }
    }
  }
  const started = performance.now();
  const view = new LineageView(box, {});
  view.show({ nodes, edges, truncated: false });
  const ms = performance.now() - started;
  const boxes = view.cy.nodes().map((n) => n.boundingBox({ includeLabels: true }));
  let overlaps = 0;
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps++;
    }
  const x = (id) => view.cy.getElementById(id).position("x");
  const order = x("raw0") < x("clean0_0") && x("clean0_0") < x("run0_0_0");
  const zoom = view.cy.zoom();
  return { count: view.nodes().length, edges: view.edgeCount(), overlaps, ms, order, zoom };
}"""


async def test_five_hundred_nodes_lay_out_in_readable_layers(page: Page, live_server: str) -> None:
    await page.goto(f"{live_server}/ui/")
    await expect(page.get_by_label("API key or bearer token")).to_be_visible()
    result = await page.evaluate(DRAW)
    assert result["count"] == 580 and result["edges"] == 560
    assert result["order"], "upstream must be left of downstream"
    assert result["overlaps"] == 0
    assert result["ms"] < 20_000, result["ms"]
    assert result["zoom"] >= 0.8  # labels stay readable; the rest is a pan away
    await shot(page, "lineage-580-nodes")
