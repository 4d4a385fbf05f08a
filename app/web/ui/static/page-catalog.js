// Catalog: faceted search over model versions (text, facet checkboxes with counts, a metric
// threshold, saved searches with all their OR groups), each hit with its aliases and key metrics.
import { gql, unwrap } from "./api.js";
import { FINDING, anyFindingChoice, anyFindingChosen, findingBadges } from "./catalog-findings.js";
import { el, fmtNumber, replace } from "./dom.js";
import { FACETS, FACET_NAMES, blankState, describe, firstGroup, searchInput, stateFrom } from "./search-state.js";

const SEARCH = `query ($input: SearchInput!) {
  search(input: $input) {
    __typename
    ... on SearchResults { total totalIsExact hits { id modelName version aliases domain task metrics openFindings } facets { field values { value count } } }
    ... on Error { code message field }
  }
}`;
const SAVED = `{ savedSearches(first: 50) { edges { node { id name description input } } } }`;
const SAVE = `mutation ($input: SaveSearchInput!) {
  saveSearch(input: $input) { __typename ... on SaveSearchSuccess { savedSearchId } ... on Error { code message } }
}`;

export async function render(main, _params, { announce }) {
  let state = blankState();
  let timer = null;
  const results = el("div", { id: "results", "aria-live": "polite" });
  const groupsBox = el("div", { class: "groups" });
  const facetBox = el("div", { class: "facets", role: "group", "aria-label": "Facets" });
  const savedBox = el("div", { class: "saved" });
  const text = el("input", { type: "search", id: "q", placeholder: "Search models, tags, descriptions…", "aria-label": "Search text" });
  const metricName = el("input", { id: "metric-name", size: 8, placeholder: "f1", "aria-label": "Metric name" });
  const metricOp = el("select", { id: "metric-op", "aria-label": "Comparison" }, ["GTE", "GT", "LTE", "LT"].map((op) => el("option", { value: op }, { GTE: "≥", GT: ">", LTE: "≤", LT: "<" }[op])));
  const metricValue = el("input", { id: "metric-value", type: "number", step: "any", size: 6, placeholder: "0.8", "aria-label": "Metric threshold" });
  const saveName = el("input", { id: "save-name", placeholder: "name" });
  const saveMsg = el("span", { role: "status" });

  const run = async () => {
    const input = searchInput(state);
    let payload;
    try {
      payload = unwrap((await gql(SEARCH, { input })).search);
    } catch (err) {
      replace(results, el("p", { class: "error", role: "alert" }, err.message));
      return;
    }
    drawFacets(payload.facets);
    drawGroups();
    drawHits(payload);
    announce(payload.total + " results");
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  };

  const drawFacets = (facets) => {
    const sets = facets.filter((f) => f.values.length || (state.selected[f.field] && state.selected[f.field].size) || (f.field === FINDING && anyFindingChosen(state)));
    replace(
      facetBox,
      sets.map((facet) => {
        const chosen = state.selected[facet.field] || new Set();
        const values = new Map(facet.values.map((v) => [v.value, v.count]));
        for (const v of chosen) if (!values.has(v)) values.set(v, 0);
        return el(
          "fieldset",
          { "data-facet": facet.field },
          el("legend", {}, FACET_NAMES[facet.field] || facet.field),
          facet.field === FINDING ? anyFindingChoice(state, run) : null,
          [...values.entries()].map(([value, count]) =>
            el(
              "label",
              {},
              el("input", {
                type: "checkbox",
                value,
                checked: chosen.has(value),
                onchange: (e) => {
                  const set = state.selected[facet.field] || (state.selected[facet.field] = new Set());
                  if (e.target.checked) set.add(value);
                  else set.delete(value);
                  run();
                },
              }),
              el("span", {}, value),
              el("span", { class: "count", "aria-label": count + " results" }, String(count)),
            ),
          ),
        );
      }),
    );
  };

  // Said in words when the checkboxes cannot show it all: further OR groups, or filters that have
  // no control on the page (a number, a flag) kept from a saved search.
  const drawGroups = () => {
    if (!state.groups.length && !state.other.length) return replace(groupsBox);
    const first = firstGroup(state);
    const words = (filters) => filters.map(describe).join(" and ");
    const count = state.groups.length + (first.length ? 1 : 0);
    replace(
      groupsBox,
      el(
        "section",
        { "aria-labelledby": "groups-title", "data-testid": "filter-groups" },
        el("h2", { id: "groups-title" }, count > 1 ? "Matching any of " + count + " groups" : "Filters"),
        el(
          "ol",
          {},
          el("li", { "data-testid": "filter-group" }, first.length ? words(first) : el("span", { class: "muted" }, "(nothing checked: left out)"), Object.values(state.selected).some((v) => v.size) ? el("span", { class: "muted" }, " — the facets") : null),
          state.groups.map((group, i) =>
            el(
              "li",
              { "data-testid": "filter-group" },
              "or ",
              words(group),
              " ",
              el("button", { type: "button", class: "secondary", "aria-label": "Remove group " + (i + 2), onclick: () => (state.groups.splice(i, 1), run()) }, "Remove"),
            ),
          ),
        ),
      ),
    );
  };

  const drawHits = (payload) => {
    replace(
      results,
      el("p", { "data-testid": "total" }, payload.total + (payload.totalIsExact ? "" : "+") + " matching versions"),
      el(
        "ul",
        { class: "hits" },
        payload.hits.map((hit) =>
          el(
            "li",
            { "data-testid": "hit" },
            el("a", { class: "title", href: "#/model/" + encodeURIComponent(hit.modelName) }, hit.modelName),
            " ",
            el("a", { href: "#/model/" + encodeURIComponent(hit.modelName) + "/v/" + hit.version }, "version " + hit.version),
            " ",
            hit.aliases.map((a) => el("span", { class: "pill alias" }, a)),
            findingBadges(hit),
            el(
              "div",
              { class: "muted" },
              [hit.domain, hit.task].filter(Boolean).join(" · "),
              Object.entries(hit.metrics || {})
                .slice(0, 3)
                .map(([k, v]) => el("span", { class: "pill" }, k + " " + fmtNumber(typeof v === "object" && v !== null ? v.value : v))),
            ),
          ),
        ),
      ),
    );
  };

  const loadSaved = async () => {
    let edges = [];
    try {
      edges = (await gql(SAVED)).savedSearches.edges;
    } catch (err) {
      replace(savedBox, el("p", { class: "error" }, err.message));
      return;
    }
    replace(
      savedBox,
      el("h2", { id: "saved-title" }, "Saved searches"),
      edges.length
        ? el(
            "ul",
            { "aria-labelledby": "saved-title" },
            edges.map(({ node }) =>
              el("li", {}, el("button", { type: "button", class: "secondary", onclick: () => apply(node.input) }, node.name), node.description ? " " + node.description : ""),
            ),
          )
        : el("p", { class: "muted" }, "None yet."),
    );
  };

  const apply = (input) => {
    state = stateFrom(input || {});
    text.value = state.text;
    metricName.value = state.metric.name;
    metricOp.value = state.metric.op;
    metricValue.value = state.metric.value;
    run();
  };

  text.addEventListener("input", () => {
    state.text = text.value;
    soon();
  });
  for (const input of [metricName, metricOp, metricValue]) {
    input.addEventListener("change", () => {
      const same = metricName.value === state.metric.name;  // a metric's dataset stays with its name
      state.metric = { ...state.metric, rest: same ? state.metric.rest : {}, name: metricName.value, op: metricOp.value, value: metricValue.value };
      run();
    });
  }

  const save = async (event) => {
    event.preventDefault();
    if (!saveName.value.trim()) return;
    try {
      unwrap((await gql(SAVE, { input: { name: saveName.value.trim(), search: searchInput(state) } })).saveSearch);
      saveMsg.textContent = "Saved.";
      saveName.value = "";
      await loadSaved();
    } catch (err) {
      saveMsg.textContent = "Not saved: " + err.message;
    }
  };

  replace(
    main,
    el("h1", {}, "Catalog"),
    el(
      "div",
      { class: "layout" },
      el("aside", {}, el("h2", { class: "visually-hidden" }, "Filters"), facetBox, savedBox),
      el(
        "section",
        { "aria-label": "Results" },
        el(
          "form",
          { class: "search-row", role: "search", onsubmit: (e) => (e.preventDefault(), run()) },
          text,
          el("span", { class: "muted" }, "metric"),
          metricName,
          metricOp,
          metricValue,
          el("button", { type: "submit" }, "Search"),
        ),
        groupsBox,
        el("form", { class: "search-row", onsubmit: save }, el("label", { for: "save-name" }, "Save this search as"), saveName, el("button", { type: "submit", class: "secondary" }, "Save"), saveMsg),
        results,
      ),
    ),
  );
  await Promise.all([run(), loadSaved()]);
  return () => clearTimeout(timer);
}
