// Audit trail with filters: target (a model's id from its page), actor, action, time range.
import { gql } from "./api.js";
import { el, fmtTime, replace, table } from "./dom.js";

const AUDIT = `query ($input: AuditTrailInput!) {
  auditTrail(input: $input) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { seq at actor action targetId decision reasons approvedBy reviewId } } }
}`;

function field(id, label, attrs = {}) {
  const input = el("input", { id, name: id, ...attrs });
  return [el("label", { for: id }, label, input), input];
}

export async function render(main, { target }) {
  const [targetLabel, targetInput] = field("audit-target", "Target id", { value: target, size: 28 });
  const [actorLabel, actorInput] = field("audit-actor", "Actor", { size: 12 });
  const [actionLabel, actionInput] = field("audit-action", "Action", { size: 14 });
  const [fromLabel, fromInput] = field("audit-from", "From", { type: "date" });
  const [toLabel, toInput] = field("audit-to", "To", { type: "date" });
  const out = el("div", { "aria-live": "polite" });
  let after = null;
  const events = [];

  const load = async (more) => {
    if (!more) {
      after = null;
      events.length = 0;
    }
    const input = { first: 50 };
    if (targetInput.value.trim()) input.target = targetInput.value.trim();
    if (actorInput.value.trim()) input.actor = actorInput.value.trim();
    if (actionInput.value.trim()) input.action = actionInput.value.trim();
    if (fromInput.value) input.from = fromInput.value + "T00:00:00Z";
    if (toInput.value) input.to = toInput.value + "T23:59:59Z";
    if (after) input.after = after;
    let data;
    try {
      data = (await gql(AUDIT, { input })).auditTrail;
    } catch (err) {
      replace(out, el("p", { class: "error", role: "alert" }, err.message));
      return;
    }
    events.push(...data.edges.map((e) => e.node));
    after = data.pageInfo.endCursor;
    replace(
      out,
      table(
        "Audit events" + (data.totalCount !== null ? " (" + data.totalCount + ")" : ""),
        ["#", "when", "actor", "action", "decision", "target", "reasons", "approved by"],
        events.map((e) => [String(e.seq), fmtTime(e.at), e.actor, e.action, e.decision, e.targetId || "—", e.reasons.join("; "), e.approvedBy || "—"]),
        { "data-testid": "audit" },
      ),
      data.pageInfo.hasNextPage ? el("button", { type: "button", class: "secondary", onclick: () => load(true) }, "More") : null,
    );
  };
  replace(
    main,
    el("h1", {}, "Audit trail"),
    el("form", { class: "filters", onsubmit: (e) => (e.preventDefault(), load(false)) }, targetLabel, actorLabel, actionLabel, fromLabel, toLabel, el("button", { type: "submit" }, "Filter")),
    out,
  );
  await load(false);
  return null;
}
