// Reviews inbox: pending reviews (those waiting for me by default) with the policy's reasons and
// the change asked for against what is there now; approve or reject with a comment.
import { gql, unwrap } from "./api.js";
import { el, fmtTime, replace } from "./dom.js";

const REVIEWS = `query ($input: ReviewsInput!) {
  reviews(input: $input) { totalCount edges { node { id command action targetId requestedBy reasons status createdAt expiresAt payload } } }
}`;
const ALIASES = `query ($name: String!) { model(name: $name) { aliases { alias version } } }`;
const DECIDE = {
  approve: `mutation ($input: DecideReviewInput!) { approveReview(input: $input) { __typename ... on ReviewDecided { review { id status resultId } } ... on Error { code message } } }`,
  reject: `mutation ($input: DecideReviewInput!) { rejectReview(input: $input) { __typename ... on ReviewDecided { review { id status } } ... on Error { code message } } }`,
};

/** What the review would change, as rows of [field, now, requested]. */
async function diffRows(review) {
  const payload = review.payload || {};
  const rows = [];
  if (payload.model && payload.alias && payload.version !== undefined) {
    const model = (await gql(ALIASES, { name: payload.model })).model;
    const current = model && model.aliases.find((a) => a.alias === payload.alias);
    rows.push([payload.model + " alias " + payload.alias, current ? "v" + current.version : "(not set)", "v" + payload.version]);
  }
  for (const [key, value] of Object.entries(payload)) {
    if (["model", "alias", "version"].includes(key) && rows.length) continue;
    rows.push([key, "", typeof value === "string" ? value : JSON.stringify(value)]);
  }
  return rows;
}

function diffTable(rows) {
  return el(
    "table",
    { "data-testid": "review-diff" },
    el("caption", {}, "Requested change"),
    el("thead", {}, el("tr", {}, ["", "now", "requested"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map(([k, now, req]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, now || "—"), el("td", {}, req)))),
  );
}

export async function render(main, _params, { me, announce }) {
  const mine = el("input", { type: "checkbox", id: "only-mine", checked: true });
  const list = el("div", { "aria-live": "polite" });
  const load = async () => {
    const input = { status: "PENDING", waitingForMe: mine.checked, first: 50 };
    const data = (await gql(REVIEWS, { input })).reviews;
    const reviews = data.edges.map((e) => e.node);
    const cards = await Promise.all(reviews.map(async (r) => card(r, await diffRows(r))));
    replace(list, el("p", { "data-testid": "review-count" }, reviews.length + " pending"), cards);
  };
  const card = (review, rows) => {
    const comment = el("input", { id: "comment-" + review.id, placeholder: "optional", size: 30 });
    const result = el("p", { role: "status" });
    const decide = async (how) => {
      try {
        const payload = unwrap((await gql(DECIDE[how], { input: { id: review.id, comment: comment.value || null } }))[how + "Review"]);
        const status = payload.review.status;
        replace(result, el("span", { class: "ok", "data-testid": "review-result" }, how === "approve" ? "Approved: " + status : "Rejected: " + status));
        announce("Review " + (how === "approve" ? "approved" : "rejected"));
        for (const b of section.querySelectorAll("button")) b.disabled = true;
      } catch (err) {
        replace(result, el("span", { class: "error", role: "alert" }, err.message));
      }
    };
    const section = el(
      "section",
      { class: "card", "data-testid": "review", "aria-label": "Review of " + review.action },
      el("h2", {}, review.action, " ", el("span", { class: "muted" }, "requested by " + review.requestedBy + ", " + fmtTime(review.createdAt))),
      el("p", {}, "Why it needs a review:"),
      el("ul", { "data-testid": "review-reasons" }, review.reasons.map((r) => el("li", {}, r))),
      diffTable(rows),
      el(
        "div",
        { class: "review-actions" },
        el("label", { for: "comment-" + review.id }, "Comment", comment),
        el("button", { type: "button", onclick: () => decide("approve") }, "Approve"),
        el("button", { type: "button", class: "danger", onclick: () => decide("reject") }, "Reject"),
      ),
      el("p", { class: "muted" }, "Expires " + fmtTime(review.expiresAt)),
      result,
    );
    return section;
  };
  mine.addEventListener("change", load);
  replace(
    main,
    el("h1", {}, "Reviews"),
    el("p", {}, "Signed in as " + me.name + " (" + me.roles.join(", ") + "). Approving applies the change as requested; both are recorded in the audit trail."),
    el("label", { for: "only-mine" }, mine, "Only reviews waiting for me"),
    list,
  );
  await load();
  return null;
}
