// Charts with uPlot (vendored): a metric's history per version with drift flags marked, and a
// small sparkline. Every chart has a data table beside it for screen readers and for checking.
/* global uPlot */
import { el, fmtNumber, fmtTime, table } from "./dom.js";

const PALETTE = ["#0b6fc2", "#b05c00", "#1b6e35", "#8a4f9e", "#a61b1b", "#00838f", "#5b5b5b"];

function seconds(iso) {
  return Math.floor(new Date(iso).getTime() / 1000);
}

/** Draw `points` ([{version, at, value, annotations?}]) as one line per version; `flags`
 * ([{at, label}]) as red dashed vertical marks; the points' annotations as purple marks, numbered,
 * each with a tooltip, and listed under the chart. Returns the chart's element (with the tables). */
export function historyChart(points, flags, { width = 760, height = 300, metric = "value" } = {}) {
  const noted = annotatedPoints(points);
  const versions = [...new Set(points.map((p) => p.version))].sort((a, b) => a - b);
  const xs = [...new Set(points.map((p) => seconds(p.at)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = versions.map(() => xs.map(() => null));
  for (const p of points) series[versions.indexOf(p.version)][index.get(seconds(p.at))] = p.value;
  const flagXs = flags.map((f) => seconds(f.at));
  const allX = xs.concat(flagXs);
  const span = Math.max(3600, (Math.max(...allX) - Math.min(...allX)) * 0.05);
  const notes = noted.reduce((n, p) => n + p.annotations.length, 0);
  const box = el("div", {
    class: "chart",
    "data-testid": "history-chart",
    "data-points": String(points.length),
    "data-flags": String(flags.length),
    "data-annotations": String(notes),
  });
  const opts = {
    width,
    height,
    title: metric + " over time",
    scales: { x: { time: true, range: () => [Math.min(...allX) - span, Math.max(...allX) + span] } },
    series: [{ label: "time" }].concat(
      versions.map((v, i) => ({ label: "v" + v, stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true, points: { show: true, size: 7 } })),
    ),
    axes: [{}, { label: metric }],
    hooks: {
      draw: [
        (u) => {
          const ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = "#a61b1b";
          ctx.fillStyle = "#a61b1b";
          ctx.setLineDash([6, 4]);
          ctx.lineWidth = 2;
          ctx.font = Math.round(12 * devicePixelRatio) + "px system-ui, sans-serif";
          for (const f of flags) {
            const x = Math.round(u.valToPos(seconds(f.at), "x", true));
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.fillText("⚑ " + f.label, x + 4, u.bbox.top + 14 * devicePixelRatio);
          }
          ctx.restore();
          drawNotes(u, noted);
        },
      ],
    },
  };
  if (points.length && typeof uPlot === "function") {
    const summary = points.length + " evaluations of " + versions.length + " versions, " + flags.length + " drift flags, " + notes + " annotations";
    const holder = el("div", { role: "img", "aria-label": metric + " history chart: " + summary });
    box.append(holder);
    new uPlot(opts, [xs].concat(series), holder);
  } else {
    box.append(el("p", { class: "muted" }, "No evaluations of " + metric + " in this range."));
  }
  box.append(
    noteList(noted),
    el(
      "details",
      {},
      el("summary", {}, "Data table (" + points.length + " points)"),
      table(
        metric + " evaluations",
        ["version", "evaluated at", metric, "slice"],
        points.map((p) => [String(p.version), fmtTime(p.at), fmtNumber(p.value), p.slice || "overall"]),
        { "data-testid": "history-table" },
      ),
    ),
  );
  return box;
}

/** The points that carry annotations, oldest first, each numbered as its mark is. */
function annotatedPoints(points) {
  return points
    .filter((p) => p.annotations && p.annotations.length)
    .sort((a, b) => seconds(a.at) - seconds(b.at))
    .map((p, i) => ({ ...p, mark: i + 1 }));
}

function noteText(p) {
  return p.annotations.map((a) => a.author + ": " + a.text).join("; ");
}

/** Purple solid marks on the canvas, and over each a small numbered marker with a tooltip (the
 * canvas itself has no text for pointers or screen readers; the list under the chart has it all). */
function drawNotes(u, noted) {
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = "#6a3d9a";
  ctx.lineWidth = 2;
  for (const p of noted) {
    const x = Math.round(u.valToPos(seconds(p.at), "x", true));
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
  const markers = noted.map((p) => {
    const label = "Annotation " + p.mark + " on v" + p.version + " at " + fmtTime(p.at) + ": " + noteText(p);
    const marker = el("span", { class: "note-mark", "data-testid": "annotation-mark", title: label, "aria-label": label, role: "img" }, "✎" + p.mark);
    marker.style.left = Math.round(u.valToPos(seconds(p.at), "x")) + "px";
    return marker;
  });
  const layer = u.over.querySelector(".note-marks") || u.over.appendChild(el("div", { class: "note-marks" }));
  layer.replaceChildren(...markers);
}

/** The annotations as a list under the chart: the way to read them by keyboard or screen reader. */
function noteList(noted) {
  if (!noted.length) return el("p", { class: "muted" }, "No annotations in this range.");
  return el(
    "ol",
    { class: "notes", "aria-label": "Annotations", "data-testid": "annotations" },
    noted.flatMap((p) =>
      p.annotations.map((a) =>
        el("li", {}, el("span", { class: "pill note" }, "✎" + p.mark), " v" + p.version + " at " + fmtTime(p.at) + " — ", el("q", {}, a.text), " (" + a.author + ", " + fmtTime(a.createdAt) + ")"),
      ),
    ),
  );
}

/** A sparkline of `values` ([{at, value}]) with a text alternative. */
export function sparkline(values, label, { width = 220, height = 44 } = {}) {
  const box = el("span", { class: "sparkline", role: "img", "aria-label": label + ": " + values.map((v) => fmtNumber(v.value)).join(", ") });
  if (values.length < 2 || typeof uPlot !== "function") {
    box.append(el("span", { class: "muted" }, values.length ? fmtNumber(values[0].value) : "no samples"));
    return box;
  }
  const xs = values.map((v) => seconds(v.at));
  new uPlot(
    {
      width,
      height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: "#0b6fc2", width: 1.5 }],
    },
    [xs, values.map((v) => v.value)],
    box,
  );
  return box;
}
