// Catalog parts for validation findings: the "any open finding" choice of the FINDING facet
// (FINDING EXISTS) and the badge a hit carries while its version has open findings.
import { el } from "./dom.js";

export const FINDING = "FINDING";

const isAny = (f) => f.field === FINDING && f.op === "EXISTS";

export function anyFindingChosen(state) {
  return state.other.some(isAny);
}

/** A checkbox that keeps only versions with any open finding; `run` searches again. */
export function anyFindingChoice(state, run) {
  return el(
    "label",
    {},
    el("input", {
      type: "checkbox",
      checked: anyFindingChosen(state),
      onchange: (e) => {
        state.other = state.other.filter((f) => !isAny(f));
        if (e.target.checked) state.other.push({ field: FINDING, op: "EXISTS" });
        run();
      },
    }),
    el("span", {}, "any open finding"),
  );
}

/** One badge per open finding check of a hit. */
export function findingBadges(hit) {
  return (hit.openFindings || []).map((check) =>
    el("span", { class: "pill flag", "data-testid": "finding-badge", title: "Open validation finding" }, "finding: " + check),
  );
}
