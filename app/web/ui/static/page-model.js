// Model page: facts, aliases with their history, versions, the metric history chart with drift
// flags and annotations, and the choice of two versions to compare.
import { gql } from "./api.js";
import { historyChart } from "./chart.js";
import { el, fmtNumber, fmtTime, replace, table } from "./dom.js";

const MODEL = `query ($name: String!) {
  model(name: $name) {
    id name description owners ownerTeams domain task tags licence regulatory intendedUse createdAt
    custom { name value classification }
    aliases { alias version since actor }
    aliasHistory { alias version since until actor }
    versions(first: 100) { totalCount edges { node {
      id version status createdAt aliases notes
      run { metrics { name value } }
      liveStatus { flags { kind statistic value reason observedAt } findings { check detail } }
    } } }
  }
}`;
const HISTORY = `query ($input: PerformanceHistoryInput!) {
  performanceHistory(input: $input) {
    evaluationId version at value slice datasetVersionId
    annotations { id text author createdAt }
  }
}`;

const YEAR_MS = 365 * 24 * 3600 * 1000;

// Custom properties as the API returns them: a classified one the reader may not see arrives as the
// server's "[redacted: <classification>]" marker, shown as such, never filled in here.
function customProperties(custom) {
  if (!custom.length) return "—";
  return el(
    "ul",
    { class: "props", "aria-label": "Custom properties", "data-testid": "custom" },
    custom.map((p) =>
      el(
        "li",
        { "data-name": p.name },
        el("span", { class: "prop-name" }, p.name + ": "),
        el("span", { class: typeof p.value === "string" && p.value.startsWith("[redacted:") ? "redacted" : "" }, String(p.value)),
        p.classification !== "public" ? el("span", { class: "pill", title: "classification" }, p.classification) : "",
      ),
    ),
  );
}

export function historyRange() {
  const now = Date.now();
  return { from: new Date(now - YEAR_MS).toISOString(), to: new Date(now + 24 * 3600 * 1000).toISOString() };
}

export async function render(main, { name }) {
  const data = await gql(MODEL, { name });
  const model = data.model;
  if (!model) {
    replace(main, el("h1", {}, "No model named " + name), el("p", {}, el("a", { href: "#/" }, "Back to the catalog")));
    return null;
  }
  const versions = model.versions.edges.map((e) => e.node);
  const metricNames = [...new Set(versions.flatMap((v) => (v.run ? v.run.metrics.map((m) => m.name) : [])))].sort();
  const flags = versions.flatMap((v) => v.liveStatus.flags.map((f) => ({ ...f, version: v.version })));
  const base = "#/model/" + encodeURIComponent(model.name);

  const chartBox = el("div", { id: "chart-box" });
  const metricSelect = el("select", { id: "chart-metric" }, metricNames.map((m) => el("option", { value: m }, m)));
  const sliceSelect = el("select", { id: "chart-slice" }, el("option", { value: "" }, "overall"));
  const drawChart = async () => {
    const metric = metricSelect.value;
    const input = { model: model.name, metric, ...historyRange() };
    const points = (await gql(HISTORY, { input })).performanceHistory;
    const slices = [...new Set(points.map((p) => p.slice).filter(Boolean))].sort();
    const chosen = sliceSelect.value;
    replace(sliceSelect, el("option", { value: "" }, "overall"), slices.map((s) => el("option", { value: s, selected: s === chosen }, s)));
    const shown = points.filter((p) => (p.slice || "") === chosen);
    const marks = flags.map((f) => ({ at: f.observedAt, label: f.kind + " v" + f.version }));
    const width = Math.min(900, Math.max(300, main.clientWidth - 40));
    replace(chartBox, historyChart(shown, marks, { metric, width }));
  };
  metricSelect.addEventListener("change", drawChart);
  sliceSelect.addEventListener("change", drawChart);

  const pickA = el("select", { id: "compare-a", "aria-label": "First version" }, versions.map((v) => el("option", { value: v.version }, "v" + v.version)));
  const pickB = el("select", { id: "compare-b", "aria-label": "Second version" }, versions.map((v) => el("option", { value: v.version }, "v" + v.version)));
  const numbers = versions.map((v) => v.version).sort((x, y) => x - y);
  if (numbers.length > 1) {
    // The latest version against the one before it.
    pickA.value = String(numbers[numbers.length - 2]);
    pickB.value = String(numbers[numbers.length - 1]);
  }

  replace(
    main,
    el("h1", {}, model.name),
    el("p", {}, model.description || el("span", { class: "muted" }, "No description.")),
    el(
      "dl",
      { class: "facts" },
      el("dt", {}, "Owners"), el("dd", {}, model.owners.concat(model.ownerTeams.map((t) => "team " + t)).join(", ") || "—"),
      el("dt", {}, "Domain / task"), el("dd", {}, [model.domain, model.task].filter(Boolean).join(" / ") || "—"),
      el("dt", {}, "Licence"), el("dd", {}, model.licence || "—"),
      el("dt", {}, "Regulatory"), el("dd", {}, model.regulatory.length ? model.regulatory.map((r) => el("span", { class: "pill" }, r)) : "—"),
      el("dt", {}, "Tags"), el("dd", {}, model.tags.length ? model.tags.map((t) => el("span", { class: "pill" }, t)) : "—"),
      el("dt", {}, "Intended use"), el("dd", {}, model.intendedUse || "—"),
      el("dt", {}, "Properties"), el("dd", {}, customProperties(model.custom)),
      el("dt", {}, "Audit"), el("dd", {}, el("a", { href: "#/audit/" + encodeURIComponent(model.id) }, "Audit trail of this model")),
    ),
    el("h2", {}, "Aliases"),
    el("p", {}, model.aliases.length ? model.aliases.map((a) => el("span", { class: "pill alias", "data-testid": "alias" }, a.alias + " → v" + a.version)) : "No aliases."),
    el(
      "details",
      {},
      el("summary", {}, "Alias history (" + model.aliasHistory.length + " moves)"),
      table("Alias history", ["alias", "version", "since", "until", "by"], model.aliasHistory.map((a) => [a.alias, "v" + a.version, fmtTime(a.since), a.until ? fmtTime(a.until) : "current", a.actor || "—"])),
    ),
    el("h2", {}, "Metric history"),
    el("div", { class: "chart-controls" }, el("label", { for: "chart-metric" }, "Metric", metricSelect), el("label", { for: "chart-slice" }, "Slice", sliceSelect)),
    chartBox,
    flags.length
      ? el(
          "ul",
          { "aria-label": "Flags", "data-testid": "flags" },
          flags.map((f) => el("li", {}, el("span", { class: "pill flag" }, f.kind), " v" + f.version + ": " + f.reason + " (" + fmtTime(f.observedAt) + ")")),
        )
      : el("p", { class: "muted" }, "No drift or feedback flags."),
    el("h2", {}, "Compare versions"),
    el(
      "form",
      {
        class: "chart-controls",
        onsubmit: (e) => {
          e.preventDefault();
          window.location.hash = base + "/compare/" + pickA.value + "/" + pickB.value;
        },
      },
      pickA,
      el("span", {}, "with"),
      pickB,
      el("button", { type: "submit" }, "Compare"),
    ),
    el("h2", {}, "Versions (" + model.versions.totalCount + ")"),
    table(
      "Versions",
      ["version", "status", "aliases", "metrics", "flags", "created"],
      versions.map((v) => [
        el("a", { href: base + "/v/" + v.version }, "v" + v.version),
        v.status,
        v.aliases.map((a) => el("span", { class: "pill alias" }, a)),
        v.run ? v.run.metrics.map((m) => m.name + " " + fmtNumber(m.value)).join(", ") : "—",
        [
          ...v.liveStatus.flags.map((f) => el("span", { class: "pill flag" }, f.kind)),
          ...v.liveStatus.findings.map((f) => el("span", { class: "pill flag", "data-testid": "finding-badge", title: f.detail }, "finding: " + f.check)),
        ],
        fmtTime(v.createdAt),
      ]),
      { "data-testid": "versions" },
    ),
  );
  if (metricNames.length) await drawChart();
  else replace(chartBox, el("p", { class: "muted" }, "No metrics recorded."));
  return null;
}
