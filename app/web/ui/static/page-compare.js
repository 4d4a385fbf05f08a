// Compare two versions side by side: metrics (overall and per slice) from compareVersions, and
// what each was made from: training data, features, params, environment, feature importance.
import { gql } from "./api.js";
import { el, fmtNumber, replace, table } from "./dom.js";
import { historyRange } from "./page-model.js";

const VERSION = `query ($name: String!, $v: Int!) {
  modelVersion(model: $name, version: $v) {
    id version status aliases notes artifact { digest format size }
    featureImportance { feature score }
    run { name codeVersion params metrics { name value }
      environment { framework frameworkVersion hardware containerImage pythonVersion }
      inputs { __typename ... on DatasetVersion { id dataset version rowCount } ... on Feature { id name } } }
  }
}`;
const COMPARE = `query ($input: CompareVersionsInput!) {
  compareVersions(input: $input) { version evaluatedAt metrics { name value } }
}`;
const SLICES = `query ($input: PerformanceHistoryInput!) { performanceHistory(input: $input) { slice } }`;

function metricTable(caption, rows, a, b, names) {
  const byVersion = new Map(rows.map((r) => [r.version, new Map(r.metrics.map((m) => [m.name, m.value]))]));
  const va = byVersion.get(a) || new Map();
  const vb = byVersion.get(b) || new Map();
  return table(
    caption,
    ["metric", "v" + a, "v" + b, "difference"],
    names.map((n) => {
      const x = va.get(n);
      const y = vb.get(n);
      const diff = x !== undefined && x !== null && y !== undefined && y !== null ? y - x : null;
      return [n, fmtNumber(x), fmtNumber(y), diff === null ? "—" : el("span", { class: diff > 0 ? "better" : diff < 0 ? "worse" : "" }, (diff > 0 ? "+" : "") + diff.toFixed(3))];
    }),
    { "data-testid": "compare-metrics" },
  );
}

function side(v) {
  const run = v.run || { params: {}, metrics: [], inputs: [], environment: {} };
  const data = run.inputs.filter((i) => i.__typename === "DatasetVersion");
  const features = run.inputs.filter((i) => i.__typename === "Feature");
  const env = run.environment || {};
  return el(
    "section",
    { class: "card", "data-testid": "compare-side", "aria-label": "Version " + v.version },
    el("h2", {}, el("a", { href: "#/model/" + encodeURIComponent(v.modelName || "") + "/v/" + v.version }, "Version " + v.version), " ", v.aliases.map((a) => el("span", { class: "pill alias" }, a))),
    el("p", { class: "muted" }, v.notes || ""),
    el("h3", {}, "Training data"),
    el("ul", {}, data.length ? data.map((d) => el("li", {}, el("a", { href: "#/node/" + encodeURIComponent(d.id) }, d.dataset + " v" + d.version), d.rowCount ? " (" + d.rowCount + " rows)" : "")) : el("li", {}, "—")),
    el("h3", {}, "Features"),
    el("ul", {}, features.length ? features.map((f) => el("li", {}, f.name)) : el("li", {}, "—")),
    table("Params", ["param", "value"], Object.entries(run.params || {}).map(([k, val]) => [k, JSON.stringify(val)])),
    table("Feature importance", ["feature", "score"], v.featureImportance.map((f) => [f.feature, fmtNumber(f.score)])),
    table("Environment", ["", ""], Object.entries(env).filter(([, val]) => val).map(([k, val]) => [k, String(val)])),
  );
}

export async function render(main, { name, a, b }) {
  const [da, db] = await Promise.all([gql(VERSION, { name, v: a }), gql(VERSION, { name, v: b })]);
  if (!da.modelVersion || !db.modelVersion) {
    replace(main, el("h1", {}, "Version not found"), el("p", {}, el("a", { href: "#/model/" + encodeURIComponent(name) }, "Back to " + name)));
    return null;
  }
  const va = { ...da.modelVersion, modelName: name };
  const vb = { ...db.modelVersion, modelName: name };
  const names = [...new Set([...(va.run ? va.run.metrics : []), ...(vb.run ? vb.run.metrics : [])].map((m) => m.name))].sort();
  const overall = names.length ? (await gql(COMPARE, { input: { model: name, versions: [a, b], metrics: names } })).compareVersions : [];
  const sliceSets = await Promise.all(names.map((metric) => gql(SLICES, { input: { model: name, metric, ...historyRange() } })));
  const slices = [...new Set(sliceSets.flatMap((d) => d.performanceHistory.map((p) => p.slice)).filter(Boolean))].sort();
  const perSlice = await Promise.all(slices.map((slice) => gql(COMPARE, { input: { model: name, versions: [a, b], metrics: names, slice } })));

  replace(
    main,
    el("h1", {}, "Compare ", el("a", { href: "#/model/" + encodeURIComponent(name) }, name), " v" + a + " with v" + b),
    metricTable("Latest evaluation, overall", overall, a, b, names),
    slices.map((slice, i) => metricTable("Latest evaluation, slice " + slice, perSlice[i].compareVersions, a, b, names)),
    el("div", { class: "compare" }, side(va), side(vb)),
  );
  return null;
}
