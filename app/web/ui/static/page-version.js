// Version page: lineage picture, artifact, evaluations, deployments with a health sparkline and
// their timeline, kept live through the healthChanges and deploymentEvents subscriptions.
import { gql, onConnected, session, subscribe } from "./api.js";
import { sparkline } from "./chart.js";
import { el, fmtNumber, fmtTime, replace, table } from "./dom.js";
import { lineagePanel } from "./lineage-panel.js";
import { historyRange } from "./page-model.js";
import { findingsSection } from "./version-findings.js";

const VERSION = `query ($name: String!, $v: Int!) {
  modelVersion(model: $name, version: $v) {
    id version status aliases notes createdAt signature
    artifact { uri digest size format }
    run { id name metrics { name value } }
    liveStatus { flags { kind statistic value reason observedAt } }
  }
}`;
const HISTORY = `query ($input: PerformanceHistoryInput!) {
  performanceHistory(input: $input) { evaluationId version at value slice datasetVersionId }
}`;
const STATUS = `query ($name: String!, $v: Int!, $since: DateTime!) {
  versionStatus(model: $name, version: $v) {
    deployments { id name environment environmentName endpoint healthStatus healthAt observedState
      health(since: $since) { minute status latencyP95MsMax errorRateMean } }
  }
}`;
const TIMELINE = `query ($id: ID!) {
  deploymentTimeline(id: $id) { seq type reason actor approvedBy occurredAt fromState toState }
}`;
const HEALTH_NOW = `query ($id: ID!) { deployment(id: $id) { healthStatus } }`;
const HEALTH_SUB = `subscription ($id: ID!) { healthChanges(deploymentId: $id) { deploymentId before after minute } }`;
const EVENTS_SUB = `subscription ($id: ID!, $after: Int!) {
  deploymentEvents(deploymentId: $id, afterSeq: $after) { seq type reason actor approvedBy occurredAt fromState toState }
}`;

function timelineRows(events) {
  return events.map((e) => [String(e.seq), e.type, fmtTime(e.occurredAt), e.actor || "—", e.approvedBy || "—", (e.fromState || "") + (e.toState ? " → " + e.toState : ""), e.reason || ""]);
}

async function downloadArtifact(digest, status) {
  const response = await fetch("/api/v1/artifacts/" + encodeURIComponent(digest), { headers: { Authorization: "Bearer " + session.key } });
  if (!response.ok) {
    let message = "HTTP " + response.status;
    try {
      message = (await response.json()).message || message;
    } catch (_) {
      /* not JSON */
    }
    replace(status, el("span", { class: "error" }, "Download refused: " + message));
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const a = el("a", { href: url, download: digest.replace(":", "-") });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  replace(status, "Downloaded.");
}

function deploymentCard(dep, announce, stops) {
  const statusText = el("span", { class: "status-" + dep.healthStatus, "data-testid": "health-status" }, dep.healthStatus);
  const timelineBox = el("div", {});
  const liveNote = el("p", { class: "muted", "data-testid": "live-note" }, "Live: connecting…");
  const events = new Map(); // by seq: a retried subscription may send an event again
  const drawTimeline = () => {
    const ordered = [...events.values()].sort((a, b) => a.seq - b.seq);
    replace(timelineBox, table("Timeline of " + dep.name, ["#", "event", "when", "by", "approved by", "state", "reason"], timelineRows(ordered), { "data-testid": "timeline" }));
  };
  // The subscription starts after the timeline is read and asks for what came after it: an event
  // recorded in between is sent by the server, not lost.
  gql(TIMELINE, { id: dep.id }).then((d) => {
    for (const e of d.deploymentTimeline) events.set(e.seq, e);
    drawTimeline();
    if (stops.closed) return; // the page was left while the timeline loaded
    const after = Math.max(0, ...events.keys());
    stops.push(
      subscribe(EVENTS_SUB, { id: dep.id, after }, (data) => {
        const event = data.deploymentEvents;
        if (events.has(event.seq)) return;
        events.set(event.seq, event);
        drawTimeline();
        announce(dep.name + ": " + event.type);
      }),
    );
  });
  stops.push(
    subscribe(HEALTH_SUB, { id: dep.id }, (data) => {
      const change = data.healthChanges;
      statusText.className = "status-" + change.after;
      statusText.textContent = change.after;
      replace(liveNote, "Live: health changed from " + change.before + " to " + change.after + " at " + fmtTime(change.minute) + ".");
      announce(dep.name + " is now " + change.after);
    }, () => replace(liveNote, "Live updates unavailable.")),
  );
  // Once the socket is acknowledged, read the status again: a change made while it connected
  // is not lost, and later ones arrive as events.
  stops.push(
    onConnected(async () => {
      replace(liveNote, "Live: listening for health changes and events.");
      const fresh = (await gql(HEALTH_NOW, { id: dep.id })).deployment;
      if (fresh && statusText.textContent !== fresh.healthStatus) {
        statusText.className = "status-" + fresh.healthStatus;
        statusText.textContent = fresh.healthStatus;
      }
    }),
  );
  const p95 = dep.health.filter((w) => w.latencyP95MsMax !== null).map((w) => ({ at: w.minute, value: w.latencyP95MsMax }));
  return el(
    "section",
    { class: "card", "data-testid": "deployment", "aria-label": "Deployment " + dep.name },
    el("h3", {}, dep.name, " ", statusText),
    el("p", { class: "muted" }, dep.environmentName + " · " + dep.observedState + (dep.endpoint ? " · " + dep.endpoint : "")),
    el("p", {}, "p95 latency, last hour: ", sparkline(p95, "p95 latency per minute in ms")),
    liveNote,
    timelineBox,
  );
}

export async function render(main, { name, version }, { announce }) {
  const v = (await gql(VERSION, { name, v: version })).modelVersion;
  if (!v) {
    replace(main, el("h1", {}, name + " has no version " + version), el("p", {}, el("a", { href: "#/model/" + encodeURIComponent(name) }, "Back to " + name)));
    return null;
  }
  const metricNames = v.run ? v.run.metrics.map((m) => m.name) : [];
  const evaluations = (
    await Promise.all(metricNames.map((metric) => gql(HISTORY, { input: { model: name, metric, version, ...historyRange() } }).then((d) => d.performanceHistory.map((p) => ({ ...p, metric })))))
  ).flat().sort((x, y) => y.at.localeCompare(x.at));
  const since = new Date(Date.now() - 3600 * 1000).toISOString();
  const status = (await gql(STATUS, { name, v: version, since })).versionStatus || { deployments: [] };
  const stops = [];
  const panel = lineagePanel(v.id, { direction: "BOTH", maxHops: 2 });
  const findings = findingsSection(name, version);
  const downloadStatus = el("span", { role: "status" });
  replace(
    main,
    el("h1", {}, el("a", { href: "#/model/" + encodeURIComponent(name) }, name), " version " + v.version, " ", v.aliases.map((a) => el("span", { class: "pill alias" }, a))),
    el("p", {}, v.notes || "", " ", v.liveStatus.flags.map((f) => el("span", { class: "pill flag" }, f.reason))),
    el(
      "dl",
      { class: "facts" },
      el("dt", {}, "Status"), el("dd", {}, v.status),
      el("dt", {}, "Created"), el("dd", {}, fmtTime(v.createdAt)),
      el("dt", {}, "Run"), el("dd", {}, v.run ? el("a", { href: "#/node/" + encodeURIComponent(v.run.id) }, v.run.name || v.run.id) : "—"),
      el("dt", {}, "Artifact"),
      el(
        "dd",
        {},
        el("code", {}, v.artifact.uri || v.artifact.digest),
        " " + (v.artifact.format || "") + (v.artifact.size ? ", " + v.artifact.size + " bytes " : " "),
        el("button", { type: "button", class: "secondary", onclick: () => downloadArtifact(v.artifact.digest, downloadStatus) }, "Download"),
        " ",
        downloadStatus,
      ),
    ),
    findings.element,
    panel.element,
    el("h2", {}, "Evaluations"),
    table("Evaluations", ["evaluated at", "metric", "value", "slice"], evaluations.map((e) => [fmtTime(e.at), e.metric, fmtNumber(e.value), e.slice || "overall"]), { "data-testid": "evaluations" }),
    el("h2", {}, "Deployments"),
    status.deployments.length ? el("div", { class: "cards" }, status.deployments.map((d) => deploymentCard(d, announce, stops))) : el("p", { class: "muted" }, "Not serving anywhere."),
  );
  await Promise.all([findings.load(), panel.start()]);
  return () => {
    stops.closed = true;
    for (const stop of stops) stop();
    panel.destroy();
  };
}
