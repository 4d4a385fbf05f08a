// The lineage picture in the web UI: the shared LineageView plus a text list of what it shows,
// click to expand a node, double-click (or the list's links) to open one.
import { gql } from "./api.js";
import { el, replace } from "./dom.js";
import { LineageView, legendEntries } from "./lineage-view.js";

const LINEAGE = `query ($input: LineageInput!) {
  lineage(input: $input) { truncated nodes { id kind label properties } edges { source target type properties } }
}`;

export function nodeHref(node) {
  const p = node.properties || {};
  if (node.kind === "ModelVersion" && p.model_name && p.version) return "#/model/" + encodeURIComponent(p.model_name) + "/v/" + p.version;
  if (node.kind === "Model" && p.name) return "#/model/" + encodeURIComponent(p.name);
  return "#/node/" + encodeURIComponent(node.id);
}

/** A section drawing the lineage around `start`: put `element` in the page, then `await start()`
 * (Cytoscape.js needs its container laid out); `destroy()` when leaving. */
export function lineagePanel(startId, { direction = "BOTH", maxHops = 2 } = {}) {
  const canvas = el("div", { class: "mg-lineage-canvas", "data-testid": "lineage-canvas", role: "img", "aria-label": "Lineage graph; the list below has the same nodes" });
  const status = el("p", { class: "mg-lineage-status", role: "status" }, "Loading lineage…");
  const counts = el("p", { class: "mg-lineage-counts", "data-testid": "lineage-counts" });
  const legend = el("ul", { class: "mg-lineage-legend", "aria-label": "Node kinds" });
  const list = el("ul", { class: "lineage-nodes", "data-testid": "lineage-nodes" });
  const element = el(
    "section",
    { "aria-labelledby": "lineage-title" },
    el("h2", { id: "lineage-title" }, "Lineage"),
    el("p", { class: "muted" }, "Raw data on the left, what was made from it to the right; dashed edges are alias moves of the past. Click a node to expand it, double-click to open it."),
    status,
    counts,
    canvas,
    legend,
    el("details", {}, el("summary", {}, "Nodes as a list"), list),
  );
  let view = null;
  const byId = new Map();

  const refresh = () => {
    const nodes = view.nodes();
    replace(counts, nodes.length + " nodes, " + view.edgeCount() + " edges" + (view.truncated ? " — truncated: expand nodes to see more" : ""));
    replace(legend, legendEntries(view).map((e) => el("li", {}, el("span", { class: "mg-swatch mg-kind-" + e.kind }), e.kind)));
    replace(
      list,
      nodes
        .sort((x, y) => x.kind.localeCompare(y.kind) || x.label.localeCompare(y.label))
        .map((n) => el("li", { "data-kind": n.kind }, n.kind + ": ", el("a", { href: nodeHref(byId.get(n.id) || n) }, n.label), " ", el("button", { type: "button", class: "secondary", "aria-label": "Expand " + n.label, onclick: () => expand(n.id) }, "expand"))),
    );
  };
  const load = async (input) => {
    const graph = (await gql(LINEAGE, { input })).lineage;
    for (const n of graph.nodes) byId.set(n.id, n);
    return graph;
  };
  const expand = async (id) => {
    replace(status, "Expanding…");
    try {
      const added = view.merge(await load({ start: id, direction: "BOTH", maxHops: 1 }));
      replace(status, added ? "Expanded " + (byId.get(id) || { label: id }).label + "." : "Nothing more around it.");
      refresh();
    } catch (err) {
      replace(status, el("span", { class: "error" }, "Could not expand: " + err.message));
    }
  };
  const draw = async () => {
    view = new LineageView(canvas, {
      onExpand: expand,
      onOpen: (node) => (window.location.hash = nodeHref(byId.get(node.id) || node)),
    });
    try {
      view.show(await load({ start: startId, direction, maxHops }), startId);
      replace(status, "");
      refresh();
    } catch (err) {
      replace(status, el("span", { class: "error" }, "Could not load lineage: " + err.message));
    }
  };
  return { element, start: draw, destroy: () => view && view.destroy() };
}
