// Version page part: what the continuous validator found on this version. Open findings with their
// check, detail and since when; resolved ones as a history list on request.
import { gql } from "./api.js";
import { el, fmtTime, replace, table } from "./dom.js";

const FINDINGS = `query ($name: String!, $v: Int!) {
  modelVersion(model: $name, version: $v) {
    findings(includeResolved: true) { id check detail status openedAt lastSeenAt resolvedAt }
  }
}`;

function openList(findings) {
  if (!findings.length) return el("p", { class: "muted", "data-testid": "no-findings" }, "No open findings: the last validation found nothing wrong.");
  return el(
    "ul",
    { "aria-label": "Open findings", "data-testid": "findings" },
    findings.map((f) =>
      el(
        "li",
        { "data-testid": "finding", "data-check": f.check },
        el("span", { class: "pill flag" }, f.check),
        " " + f.detail + " ",
        el("span", { class: "muted" }, "open since " + fmtTime(f.openedAt) + ", last seen " + fmtTime(f.lastSeenAt)),
      ),
    ),
  );
}

function resolvedHistory(findings) {
  if (!findings.length) return null;
  return el(
    "details",
    { "data-testid": "resolved-findings" },
    el("summary", {}, "Resolved findings (" + findings.length + ")"),
    table("Resolved findings", ["check", "detail", "opened", "resolved"], findings.map((f) => [f.check, f.detail, fmtTime(f.openedAt), fmtTime(f.resolvedAt)])),
  );
}

/** A section that fills itself with the version's findings (an error stays inside it). */
export function findingsSection(name, version) {
  const box = el("section", { "aria-labelledby": "findings-title", "data-testid": "findings-section" });
  const title = el("h2", { id: "findings-title" }, "Validation findings");
  replace(box, title, el("p", { class: "muted" }, "Loading…"));
  const load = async () => {
    try {
      const found = (await gql(FINDINGS, { name, v: version })).modelVersion;
      const all = found ? found.findings : [];
      replace(box, title, openList(all.filter((f) => f.status === "open")), resolvedHistory(all.filter((f) => f.status !== "open")));
    } catch (err) {
      replace(box, title, el("p", { class: "error", role: "alert" }, "Findings not loaded: " + err.message));
    }
  };
  return { element: box, load };
}
