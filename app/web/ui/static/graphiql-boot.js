// GraphiQL for modelgraph: same-origin fetcher, schema fetched again whenever the headers change,
// and the Lineage plugin, which draws any lineage/impact result of the last operation.
/* global React, ReactDOM, GraphiQL, GraphiQLPluginExplorer */
import { LineageView, findLineageGraphs, legendEntries } from "./lineage-view.js";

const h = React.createElement;

const WELCOME = [
  "# Welcome to the modelgraph registry.",
  "#",
  "# 1. Every operation needs an API key: in the Headers tab",
  "#    below, replace <your API key> with yours. The schema",
  "#    (Docs, Explorer, autocompletion) loads again as soon",
  "#    as the headers change. Subscriptions send the same",
  "#    headers when their websocket connects.",
  "# 2. Run a query with Ctrl-Enter or the play button.",
  "# 3. Lineage: run a `lineage` or `impact` query and the",
  "#    Lineage panel (left bar, the branching icon) draws it,",
  "#    upstream on the left. Click a node to expand it,",
  "#    double-click to open it in the web UI (/ui), and move",
  "#    the time slider to see the graph as it was.",
  "#",
  "# Start here: the registry version and its dependencies.",
  "{",
  "  registryInfo {",
  "    version",
  "    dependencies { name ok detail }",
  "  }",
  "}",
  "",
].join("\n");

const LINEAGE_QUERY = `query ($input: LineageInput!) {
  lineage(input: $input) { truncated nodes { id kind label properties } edges { source target type properties } }
}`;

// ---- the last lineage result, shared between the fetcher and the panel ----
const store = {
  listeners: new Set(),
  latest: null, // {graph, request, headers, path}
  publish(entry) {
    this.latest = entry;
    for (const fn of this.listeners) fn(entry);
  },
  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  },
};

function findKey(value, key) {
  if (!value || typeof value !== "object") return undefined;
  if (key in value) return value[key];
  for (const inner of Object.values(value)) {
    const found = findKey(inner, key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Where the lineage of this operation started, and how it walked (from variables or the text). */
function lineageRequestOf(params) {
  const text = String(params.query || "");
  const vars = params.variables || {};
  const impact = /\bimpact\s*\(\s*datasetVersion\s*:\s*"([^"]+)"/.exec(text);
  const start = findKey(vars, "start") || (/\bstart\s*:\s*"([^"]+)"/.exec(text) || [])[1] || (impact && impact[1]) || findKey(vars, "datasetVersion");
  const direction = findKey(vars, "direction") || (/\bdirection\s*:\s*(UPSTREAM|DOWNSTREAM|BOTH)/.exec(text) || [])[1] || (impact ? "DOWNSTREAM" : "UPSTREAM");
  const hops = Number(findKey(vars, "maxHops") || (/\bmaxHops\s*:\s*(\d+)/.exec(text) || [])[1] || 3);
  return start ? { start, direction, maxHops: hops } : null;
}

function isSubscription(params, opts) {
  const doc = opts && opts.documentAST;
  if (doc && doc.definitions) {
    const ops = doc.definitions.filter((d) => d.kind === "OperationDefinition");
    const op = ops.find((d) => d.name && d.name.value === params.operationName) || ops[0];
    return Boolean(op && op.operation === "subscription");
  }
  return /^\s*subscription\b/m.test(String(params.query || "").replace(/#.*$/gm, ""));
}

async function postGraphQL(params, headers) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...(headers || {}) },
    body: JSON.stringify(params),
  });
  return response.json();
}

/** A new fetcher object per header generation: GraphiQL introspects again when it changes. */
function makeFetcher() {
  const wsScheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const subscriptions = GraphiQL.createFetcher({
    url: "/graphql",
    subscriptionUrl: wsScheme + "//" + window.location.host + "/graphql",
  });
  return function fetcher(params, opts) {
    if (isSubscription(params, opts)) return subscriptions(params, opts);
    return postGraphQL(params, opts && opts.headers).then((result) => {
      const graphs = params.operationName === "IntrospectionQuery" ? [] : findLineageGraphs(result && result.data);
      if (graphs.length) {
        store.publish({ ...graphs[0], request: lineageRequestOf(params), headers: (opts && opts.headers) || {} });
      }
      return result;
    });
  };
}

// ---- the Lineage plugin panel ----
const DAY_MS = 24 * 3600 * 1000;

function LineagePanel() {
  const canvas = React.useRef(null);
  const view = React.useRef(null);
  const [info, setInfo] = React.useState({ nodes: 0, edges: 0, truncated: false, legend: [] });
  const [status, setStatus] = React.useState("Run a lineage or impact query to draw it here.");
  const [daysBack, setDaysBack] = React.useState(0);

  const refresh = () => {
    const v = view.current;
    setInfo({ nodes: v.nodes().length, edges: v.edgeCount(), truncated: v.truncated, legend: legendEntries(v) });
  };

  const expand = async (id) => {
    const entry = store.latest;
    if (!entry) return;
    setStatus("Expanding " + id + "…");
    const input = { start: id, direction: "BOTH", maxHops: 1 };
    if (entry.asOf) input.asOf = entry.asOf;
    const result = await postGraphQL({ query: LINEAGE_QUERY, variables: { input } }, entry.headers);
    if (!result.data) {
      setStatus("Could not expand: " + ((result.errors && result.errors[0].message) || "no data"));
      return;
    }
    const added = view.current.merge(result.data.lineage);
    setStatus(added ? "Expanded " + id + "." : "Nothing more around " + id + ".");
    refresh();
  };

  React.useEffect(() => {
    view.current = new LineageView(canvas.current, {
      onExpand: (id) => expand(id),
      onOpen: (node) => window.open("/ui/#/node/" + encodeURIComponent(node.id), "_blank", "noopener"),
    });
    const draw = (entry) => {
      view.current.show(entry.graph, entry.request && entry.request.start);
      setStatus("Drawn from " + (entry.path || "the result") + ". Click a node to expand it, double-click to open it.");
      refresh();
    };
    if (store.latest) draw(store.latest);
    const off = store.subscribe(draw);
    const resize = new ResizeObserver(() => view.current && view.current.resize());
    resize.observe(canvas.current);
    return () => {
      off();
      resize.disconnect();
      view.current.destroy();
    };
  }, []);

  const travel = async (days) => {
    const entry = store.latest;
    if (!entry || !entry.request) {
      setStatus("The time slider needs a lineage query with a start node.");
      return;
    }
    const asOf = days > 0 ? new Date(Date.now() - days * DAY_MS).toISOString() : null;
    const input = { ...entry.request };
    if (asOf) input.asOf = asOf;
    const result = await postGraphQL({ query: LINEAGE_QUERY, variables: { input } }, entry.headers);
    if (!result.data) {
      setStatus("Could not load: " + ((result.errors && result.errors[0].message) || "no data"));
      return;
    }
    entry.asOf = asOf;
    view.current.show(result.data.lineage, entry.request.start);
    setStatus(asOf ? "As of " + asOf.slice(0, 10) + "." : "As of now.");
    refresh();
  };

  return h(
    "div",
    { className: "mg-lineage-panel" },
    h("div", { className: "graphiql-doc-explorer-title" }, "Lineage"),
    h("p", { className: "mg-lineage-status", role: "status", "aria-live": "polite" }, status),
    h(
      "p",
      { className: "mg-lineage-counts", "data-testid": "lineage-counts" },
      info.nodes + " nodes, " + info.edges + " edges" + (info.truncated ? " — truncated (more exist; raise maxNodes or expand)" : ""),
    ),
    h(
      "label",
      { className: "mg-lineage-slider" },
      "As of: " + (daysBack ? daysBack + " days ago" : "now"),
      h("input", {
        type: "range",
        min: 0,
        max: 90,
        step: 1,
        value: daysBack,
        "aria-label": "Days before now to show the graph as of",
        onChange: (e) => setDaysBack(Number(e.target.value)),
        onMouseUp: (e) => travel(Number(e.target.value)),
        onKeyUp: (e) => travel(Number(e.target.value)),
        onTouchEnd: (e) => travel(Number(e.target.value)),
      }),
    ),
    h("div", { ref: canvas, className: "mg-lineage-canvas", "data-testid": "lineage-canvas", role: "img", "aria-label": "Lineage graph" }),
    h(
      "ul",
      { className: "mg-lineage-legend", "aria-label": "Node kinds" },
      info.legend.map((e) => h("li", { key: e.kind }, h("span", { className: "mg-swatch mg-kind-" + e.kind }), e.kind)),
    ),
  );
}

function LineageIcon() {
  return h(
    "svg",
    { viewBox: "0 0 24 24", width: 20, height: 20, fill: "none", stroke: "currentColor", strokeWidth: 1.6, "aria-hidden": "true" },
    h("circle", { cx: 5, cy: 12, r: 2.5 }),
    h("circle", { cx: 19, cy: 5, r: 2.5 }),
    h("circle", { cx: 19, cy: 19, r: 2.5 }),
    h("path", { d: "M7.5 12h4l5-6M11.5 12l5 6" }),
  );
}

const lineagePlugin = { title: "Lineage", icon: LineageIcon, content: LineagePanel };
const explorerPlugin = GraphiQLPluginExplorer.explorerPlugin();

function App() {
  const [generation, setGeneration] = React.useState(0);
  const fetcher = React.useMemo(() => makeFetcher(), [generation]);
  const lastHeaders = React.useRef(null);
  const timer = React.useRef(null);

  // A lineage result opens the panel the way a click on its icon would (GraphiQL keeps the
  // panel's size and visibility in its own state, which only its button drives).
  React.useEffect(
    () =>
      store.subscribe(() => {
        const button = document.querySelector('.graphiql-sidebar button[aria-label="Show Lineage"]');
        if (button) button.click();
      }),
    [],
  );

  const onEditHeaders = (text) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      let parsed;
      try {
        parsed = text.trim() ? JSON.parse(text) : {};
      } catch (_) {
        return; // half-typed JSON: wait for the next edit
      }
      const canonical = JSON.stringify(parsed);
      if (canonical !== lastHeaders.current) {
        lastHeaders.current = canonical;
        setGeneration((g) => g + 1);
      }
    }, 400);
  };

  return h(GraphiQL, {
    fetcher,
    defaultQuery: WELCOME,
    isHeadersEditorEnabled: true,
    defaultHeaders: '{"Authorization": "Bearer <your API key>"}',
    // API keys stay out of localStorage; paste the key again after a reload.
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: "headers",
    onEditHeaders,
    plugins: [lineagePlugin, explorerPlugin],
  });
}

// The lineage picture needs room: unless the user has dragged the divider before, the plugin
// pane opens as wide as the editors (GraphiQL's default is a third of their width).
if (localStorage.getItem("graphiql:docExplorerFlex") === null) localStorage.setItem("graphiql:docExplorerFlex", "1");

ReactDOM.createRoot(document.getElementById("graphiql")).render(h(App));
