// The catalog form's state and the SearchInput it stands for. A search is an OR of AND groups:
// the facet checkboxes edit the first group; any further groups (from a saved search) are kept
// whole, shown as sentences, and can be removed. What the form has no control for (numeric or
// boolean filters, a metric's dataset, the sort) is kept and sent as it was saved.

// FINDING: checks of a version's open validation findings (catalog-findings.js adds "any open finding").
export const FACETS = ["DOMAIN", "TASK", "ALIAS", "FRAMEWORK", "LICENCE", "REGULATORY", "OWNER", "TAG", "FINDING"];
export const FACET_NAMES = { DOMAIN: "Domain", TASK: "Task", ALIAS: "Alias", FRAMEWORK: "Framework", LICENCE: "Licence", REGULATORY: "Regulatory", OWNER: "Owner", TAG: "Tag", FINDING: "Open findings" };
const OPS = { EQ: "=", NEQ: "≠", IN: "in", GT: ">", GTE: "≥", LT: "<", LTE: "≤", PREFIX: "starts with", EXISTS: "present" };
// A filter's own keys are one word, the same in the API's camelCase and the stored snake_case.
const FILTER_KEYS = ["field", "op", "value", "values", "number", "flag", "at", "key"];

export function blankState() {
  return { text: "", selected: {}, metric: { name: "", op: "GTE", value: "" }, other: [], groups: [], kept: {} };
}

function filter(f) {
  return Object.fromEntries(FILTER_KEYS.filter((k) => f[k] !== undefined && f[k] !== null).map((k) => [k, f[k]]));
}

/** The first group's filters: the checked facet values and the kept filters. */
export function firstGroup(state) {
  const allOf = state.other.slice();
  for (const [field, values] of Object.entries(state.selected)) {
    const list = [...values];
    if (list.length === 1) allOf.push({ field, op: "EQ", value: list[0] });
    else if (list.length > 1) allOf.push({ field, op: "IN", values: list });
  }
  return allOf;
}

/** The SearchInput for the current state of the form (an empty group is left out, not sent as
 * "anything"). */
export function searchInput(state) {
  const input = { facets: FACETS, first: 50, ...state.kept };
  if (state.text.trim()) input.text = state.text.trim();
  const groups = [firstGroup(state), ...state.groups].filter((g) => g.length);
  if (groups.length) input.anyOf = groups.map((allOf) => ({ allOf }));
  const metrics = (state.metric.more || []).slice();
  if (state.metric.name.trim() && state.metric.value !== "") {
    metrics.unshift({ ...state.metric.rest, name: state.metric.name.trim(), op: state.metric.op, value: Number(state.metric.value) });
  }
  if (metrics.length) input.metrics = metrics;
  return input;
}

/** The form's state from a saved search (the API's camelCase input, or the stored snake_case,
 * or the seed file's `filters`): every group comes back. */
export function stateFrom(input) {
  const state = blankState();
  state.text = input.text || "";
  const groups = (input.anyOf || input.any_of || input.filters || []).map((g) => (g.allOf || g.all_of || []).map(filter));
  for (const f of groups[0] || []) {
    const values = f.values || (f.value ? [f.value] : null);
    if (values && (f.op === "EQ" || f.op === "IN") && FACETS.includes(f.field) && !state.selected[f.field]) {
      state.selected[f.field] = new Set(values);
    } else state.other.push(f);
  }
  state.groups = groups.slice(1).filter((g) => g.length);
  const [metric, ...more] = input.metrics || [];
  if (metric) {
    const { name, op, value, ...rest } = metric;
    state.metric = { name, op, value: String(value), rest, more };
  }
  if (input.sort) state.kept.sort = input.sort;
  if (input.textMode || input.text_mode) state.kept.textMode = input.textMode || input.text_mode;
  return state;
}

/** One filter as words, e.g. "Alias = staging". */
export function describe(f) {
  const value = f.values ? f.values.join(", ") : [f.value, f.number, f.flag, f.at].find((x) => x !== undefined && x !== null);
  const named = FACET_NAMES[f.field] || f.field.charAt(0) + f.field.slice(1).toLowerCase().replaceAll("_", " ");
  const field = named + (f.key ? " " + f.key : "");
  return field + " " + (OPS[f.op] || f.op) + (value === undefined || value === null ? "" : " " + value);
}
