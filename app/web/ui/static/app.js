// The web UI shell: sign-in, routing on the URL fragment, and the signed-in principal.
import { ApiError, gql, session } from "./api.js";
import { el, replace } from "./dom.js";
import * as audit from "./page-audit.js";
import * as catalog from "./page-catalog.js";
import * as compare from "./page-compare.js";
import * as model from "./page-model.js";
import * as node from "./page-node.js";
import * as reviews from "./page-reviews.js";
import * as version from "./page-version.js";

const main = document.getElementById("main");
const who = document.getElementById("who");
let cleanup = null;
let me = null;

const ROUTES = [
  [/^#?\/?$/, catalog, () => ({})],
  [/^#\/catalog$/, catalog, () => ({})],
  [/^#\/model\/([^/]+)$/, model, (m) => ({ name: decodeURIComponent(m[1]) })],
  [/^#\/model\/([^/]+)\/compare\/(\d+)\/(\d+)$/, compare, (m) => ({ name: decodeURIComponent(m[1]), a: Number(m[2]), b: Number(m[3]) })],
  [/^#\/model\/([^/]+)\/v\/(\d+)$/, version, (m) => ({ name: decodeURIComponent(m[1]), version: Number(m[2]) })],
  [/^#\/node\/(.+)$/, node, (m) => ({ id: decodeURIComponent(m[1]) })],
  [/^#\/reviews$/, reviews, () => ({})],
  [/^#\/audit(?:\/(.+))?$/, audit, (m) => ({ target: m[1] ? decodeURIComponent(m[1]) : "" })],
];

export function announce(text) {
  const region = document.getElementById("announce");
  region.textContent = "";
  setTimeout(() => (region.textContent = text), 30);
}

function showWho() {
  if (!me) {
    replace(who);
    return;
  }
  replace(
    who,
    el("span", { "data-testid": "who" }, "Signed in as ", el("strong", {}, me.name), " (" + me.roles.join(", ") + ")"),
    el("button", { type: "button", class: "secondary", onclick: signOut }, "Sign out"),
  );
}

function signOut() {
  session.signOut();
  me = null;
  showWho();
  route();
}

function signInForm(message) {
  const input = el("input", { id: "api-key", name: "api-key", type: "password", autocomplete: "off", required: true, spellcheck: "false" });
  const form = el(
    "form",
    {
      onsubmit: async (event) => {
        event.preventDefault();
        session.signIn(input.value);
        await route();
      },
    },
    el("label", { for: "api-key" }, "API key or bearer token", input),
    el("button", { type: "submit" }, "Sign in"),
  );
  replace(
    main,
    el(
      "section",
      { class: "signin", "aria-labelledby": "signin-title" },
      el("h1", { id: "signin-title" }, "Sign in to modelgraph"),
      el("p", {}, "Paste your API key (after ", el("code", {}, "make run"), ", the demo keys are in ", el("code", {}, "~/.local/state/modelgraph/dev/demo-keys"), ") or an OIDC/JWT bearer token if the registry accepts them. It is kept in this tab's session storage only."),
      message ? el("p", { class: "error", role: "alert" }, message) : null,
      form,
    ),
  );
  input.focus();
}

async function whoAmI() {
  const data = await gql("{ me { name kind roles teams } }");
  return data.me;
}

export async function route() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  if (!session.key) {
    signInForm();
    return;
  }
  if (!me) {
    try {
      me = await whoAmI();
    } catch (err) {
      const message = err instanceof ApiError && err.code === "UNAUTHENTICATED" ? "That key was not accepted: " + err.message : "Sign-in failed: " + err.message;
      session.signOut();
      signInForm(message);
      return;
    }
    showWho();
  }
  const hash = window.location.hash || "#/";
  for (const [pattern, page, params] of ROUTES) {
    const match = pattern.exec(hash);
    if (!match) continue;
    replace(main, el("p", { class: "muted" }, "Loading…"));
    try {
      cleanup = (await page.render(main, params(match), { me, announce })) || null;
    } catch (err) {
      console.error(err);
      replace(main, el("h1", {}, "Something went wrong"), el("p", { class: "error", role: "alert" }, err.message));
    }
    main.focus({ preventScroll: true });
    return;
  }
  replace(main, el("h1", {}, "Not found"), el("p", {}, "No page at ", el("code", {}, hash), ". ", el("a", { href: "#/" }, "Back to the catalog")));
}

window.addEventListener("hashchange", route);
route();
