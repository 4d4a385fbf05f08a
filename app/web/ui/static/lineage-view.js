// The lineage picture, shared by the GraphiQL plugin and the web UI's version page.
// Cytoscape.js draws it; the dagre layout puts raw data on the left and what was made from it to
// the right (the API's edges point from the later thing to its source, so they are drawn reversed).
/* global cytoscape, cytoscapeDagre */

if (!globalThis.__modelgraphDagre) {
  cytoscape.use(cytoscapeDagre);
  globalThis.__modelgraphDagre = true;
}

// One colour per kind, dark enough for white label halos and readable on a light background.
export const KIND_COLOURS = {
  Dataset: "#1f6f43",
  DatasetVersion: "#2e8b57",
  Feature: "#6b8e23",
  Project: "#5b5b5b",
  Experiment: "#7a5c99",
  Run: "#8a4f9e",
  Model: "#1c4e80",
  ModelVersion: "#0b6fc2",
  Alias: "#b05c00",
  Artifact: "#6d4c41",
  Evaluation: "#00838f",
  Deployment: "#b71c1c",
  DeploymentEvent: "#c2185b",
  Environment: "#455a64",
};

function shortLabel(node) {
  const label = node.label.length > 40 ? node.label.slice(0, 39) + "…" : node.label;
  return label + "\n" + node.kind;
}

function isHistorical(edge) {
  const props = edge.properties || {};
  return props.until !== undefined && props.until !== null;
}

function style() {
  return [
    {
      selector: "node",
      style: {
        "background-color": (el) => KIND_COLOURS[el.data("kind")] || "#333",
        label: "data(display)",
        "text-wrap": "wrap",
        "text-valign": "bottom",
        "text-margin-y": 4,
        "font-size": 11,
        color: "#111",
        "text-outline-color": "#fff",
        "text-outline-width": 2,
        width: 22,
        height: 22,
      },
    },
    { selector: "node[?start]", style: { "border-width": 4, "border-color": "#111" } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#f9a825" } },
    {
      selector: "edge",
      style: {
        width: 1.5,
        "curve-style": "bezier",
        "target-arrow-shape": "triangle",
        "line-color": "#888",
        "target-arrow-color": "#888",
        label: "data(type)",
        "font-size": 9,
        color: "#444",
        "text-rotation": "autorotate",
        "text-outline-color": "#fff",
        "text-outline-width": 2,
      },
    },
    { selector: "edge[?historical]", style: { "line-style": "dashed", "line-color": "#bbb", "target-arrow-color": "#bbb" } },
  ];
}

// Below this zoom the 11px labels get smaller than 9px.
export const READABLE_ZOOM = 0.8;

/** A lineage graph in `container`; `onExpand(id)` on click, `onOpen(node)` on double-click. */
export class LineageView {
  constructor(container, { onExpand, onOpen } = {}) {
    this.container = container;
    this.cy = cytoscape({ container, style: style(), minZoom: 0.05, maxZoom: 3 });
    this.truncated = false;
    container.lineageView = this; // for tests and debugging from the console
    this.cy.on("tap", "node", (evt) => onExpand && onExpand(evt.target.id(), evt.target.data()));
    this.cy.on("dbltap", "node", (evt) => onOpen && onOpen(evt.target.data()));
  }

  /** Replace the picture with `graph` ({nodes, edges, truncated}); `start` marks the start node. */
  show(graph, start) {
    this.cy.elements().remove();
    this.truncated = false;
    this.merge(graph, start);
  }

  /** Add what `graph` has that the picture lacks, then lay everything out again. */
  merge(graph, start) {
    const added = [];
    for (const node of graph.nodes || []) {
      if (this.cy.getElementById(node.id).nonempty()) continue;
      added.push({
        group: "nodes",
        data: { id: node.id, kind: node.kind, label: node.label, display: shortLabel(node), start: node.id === start, properties: node.properties },
      });
    }
    for (const edge of graph.edges || []) {
      const id = edge.source + ">" + edge.type + ">" + edge.target;
      if (this.cy.getElementById(id).nonempty()) continue;
      // Drawn from the source of the data to what was made from it.
      added.push({ group: "edges", data: { id, source: edge.target, target: edge.source, type: edge.type, historical: isHistorical(edge) } });
    }
    this.cy.add(added.filter((el) => el.group === "nodes"));
    this.cy.add(added.filter((el) => el.group === "edges" && this.cy.getElementById(el.data.source).nonempty() && this.cy.getElementById(el.data.target).nonempty()));
    this.truncated = this.truncated || Boolean(graph.truncated);
    this.layout();
    return added.length;
  }

  layout() {
    this.cy.layout({ name: "dagre", rankDir: "LR", nodeSep: 12, rankSep: 80, edgeSep: 6, nodeDimensionsIncludeLabels: true, animate: false, fit: true, padding: 20 }).run();
    this.keepReadable();
  }

  /** A large graph fitted whole would shrink its labels past reading: keep them readable and
   * centre on the start node (or the most upstream one); the rest is a pan or scroll away. */
  keepReadable() {
    if (this.cy.zoom() >= READABLE_ZOOM) return;
    const start = this.cy.nodes("[?start]");
    const anchor = start.nonempty() ? start : this.cy.nodes().sort((a, b) => a.position("x") - b.position("x")).first();
    this.cy.zoom(READABLE_ZOOM);
    this.cy.center(anchor);
  }

  resize() {
    this.cy.resize();
    this.cy.fit(undefined, 20);
    this.keepReadable();
  }

  /** Node ids and kinds, for lists beside the picture (and for tests). */
  nodes() {
    return this.cy.nodes().map((n) => ({ id: n.id(), kind: n.data("kind"), label: n.data("label") }));
  }

  edgeCount() {
    return this.cy.edges().length;
  }

  destroy() {
    this.cy.destroy();
  }
}

/** Every lineage-shaped object ({nodes:[{id,kind}], edges, truncated}) inside a GraphQL result. */
export function findLineageGraphs(data, path = []) {
  const found = [];
  if (!data || typeof data !== "object") return found;
  if (Array.isArray(data.nodes) && Array.isArray(data.edges) && data.nodes.every((n) => n && n.id && n.kind)) {
    found.push({ path: path.join("."), graph: data });
    return found;
  }
  for (const [key, value] of Object.entries(data)) {
    if (value && typeof value === "object") found.push(...findLineageGraphs(value, path.concat(key)));
  }
  return found;
}

/** A text legend: one entry per kind present, so colour is never the only cue. */
export function legendEntries(view) {
  const kinds = new Set(view.nodes().map((n) => n.kind));
  return [...kinds].sort().map((kind) => ({ kind, colour: KIND_COLOURS[kind] || "#333" }));
}
