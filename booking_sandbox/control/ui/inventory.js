// The Inventory panel: each pool's capacity, held, confirmed and free now; for timed pools a
// chart of use over the window against capacity and shortage limit; live holds counting down.

import { latest, query } from "./api.js";
import { namespaceNow } from "./clock.js";
import { $, complain, duration, el, field, fromInput, replaceKeepingFocus, shortTime, toInput } from "./dom.js";

const PAGE = 50;
let offset = 0;
let total = 0;
let windowChosen = false; // until the user picks one, the window follows the namespace clock
let drawn = ""; // the answer drawn last: an unchanged one is not drawn again
const read = latest();

function filters() {
  const form = $("#inventory-form");
  return {
    vendor: field(form, "vendor"),
    pool: field(form, "pool"),
    busy: field(form, "busy") ? "true" : "",
    from: windowChosen ? fromInput(field(form, "from")) : "",
    to: windowChosen ? fromInput(field(form, "to")) : "",
    limit: String(PAGE),
    offset: String(offset),
  };
}

export async function refresh() {
  let found = await read("/inventory" + query(filters()));
  if (found && offset > 0 && offset >= found.total) {
    // Fewer pools than before (a filter, holds expiring): the last page that has some.
    offset = Math.max(0, Math.floor((found.total - 1) / PAGE) * PAGE);
    found = await read("/inventory" + query(filters()));
  }
  if (!found) return;
  total = found.total;
  const form = $("#inventory-form");
  if (!windowChosen) {
    form.from.value = toInput(found.window.from);
    form.to.value = toInput(found.window.to);
  }
  $("#inventory-prev").disabled = offset === 0;
  $("#inventory-next").disabled = offset + PAGE >= total;
  const signature = JSON.stringify(found);
  if (signature === drawn) return;
  drawn = signature;
  const last = offset + found.pools.length;
  $("#inventory-summary").textContent = total
    ? `Pools ${offset + 1}–${last} of ${total}; window ${shortTime(found.window.from)} to ${shortTime(found.window.to)} UTC`
    : "No pool matches.";
  replaceKeepingFocus($("#inventory-list"), found.pools.map((pool) => poolCard(pool, found.window)));
  tick();
}

function poolCard(pool, window) {
  const used = pool.now.held + pool.now.confirmed;
  return el(
    "article",
    { class: "pool", "data-pool": pool.id, "aria-label": pool.label },
    el("h3", {}, el("span", { class: `vendor vendor-${pool.vendor}`, text: pool.vendor }), " ", pool.label),
    el("p", { class: "pool-id", text: `${pool.id} · ${pool.kind}` }),
    el(
      "dl",
      { class: "numbers" },
      number("Capacity", pool.capacity, "capacity"),
      pool.shortage_limit ? number("Shortage limit", pool.shortage_limit, "limit") : null,
      number("Held", pool.now.held, "held"),
      number("Confirmed", pool.now.confirmed, "confirmed"),
      number("Free", pool.now.free, "free"),
    ),
    el("meter", {
      min: 0,
      max: Math.max(pool.capacity, 1),
      value: used,
      high: Math.max(pool.capacity, 1) * 0.8,
      "aria-label": `${used} of ${pool.capacity} in use now`,
    }),
    pool.timed ? chart(pool, window) : null,
    holds(pool),
  );
}

function number(label, value, name) {
  return el("div", { class: `number ${name}` }, el("dt", { text: label }), el("dd", { text: String(value) }));
}

function holds(pool) {
  if (!pool.allocations.length) return el("p", { class: "hint", text: "Nothing held or confirmed." });
  const rows = pool.allocations.map((a) =>
    el(
      "tr",
      { class: `allocation ${a.status}`, "data-allocation": a.id },
      el("td", { text: a.status }),
      el("td", { text: String(a.quantity) }),
      el("td", { text: a.units.join(", ") }),
      el("td", { text: a.interval ? `${shortTime(a.interval.start)} → ${shortTime(a.interval.end)}` : "" }),
      el(
        "td",
        { class: "expires" },
        a.status === "held" && a.held_until ? el("time", { dateTime: a.held_until, "data-until": a.held_until, text: shortTime(a.held_until) }) : "",
      ),
      el("td", { class: "owner", text: a.owner }),
    ),
  );
  return el(
    "table",
    { class: "allocations" },
    el("caption", { class: "visually-hidden", text: `Allocations of ${pool.label}` }),
    el(
      "thead",
      {},
      el("tr", {}, ...["Status", "Qty", "Units", "Period", "Expires", "Owner"].map((h) => el("th", { scope: "col", text: h }))),
    ),
    el("tbody", {}, ...rows),
  );
}

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

// A step chart: confirmed at the bottom, held stacked on it, capacity and the shortage limit as lines.
function chart(pool, window) {
  const width = 600;
  const height = 90;
  const start = Date.parse(window.from);
  const span = Date.parse(window.to) - start;
  const peak = Math.max(...pool.timeline.map((s) => s.held + s.confirmed), 0);
  const top = Math.max(pool.capacity + pool.shortage_limit, peak, 1) * 1.15;
  const x = (iso) => ((Date.parse(iso) - start) / span) * width;
  const y = (value) => height - (value / top) * height;
  const area = (value) =>
    pool.timeline
      .map((s) => `M${x(s.start)},${height}V${y(value(s))}H${x(s.end)}V${height}Z`)
      .join("");
  const root = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "timeline",
    role: "img",
    preserveAspectRatio: "none",
  });
  const label = `Use of ${pool.label} from ${shortTime(window.from)} to ${shortTime(window.to)}: peak ${peak} of ${pool.capacity}`;
  root.setAttribute("aria-label", label);
  const title = svg("title");
  title.textContent = label;
  root.append(title);
  root.append(svg("path", { d: area((s) => s.confirmed + s.held), class: "held" }));
  root.append(svg("path", { d: area((s) => s.confirmed), class: "confirmed" }));
  root.append(svg("line", { x1: 0, x2: width, y1: y(pool.capacity), y2: y(pool.capacity), class: "capacity" }));
  if (pool.shortage_limit) {
    const limit = y(pool.capacity + pool.shortage_limit);
    root.append(svg("line", { x1: 0, x2: width, y1: limit, y2: limit, class: "limit" }));
  }
  const now = namespaceNow();
  if (now >= start && now <= start + span) {
    const at = ((now - start) / span) * width;
    root.append(svg("line", { x1: at, x2: at, y1: 0, y2: height, class: "now-line" }));
  }
  return el(
    "figure",
    { class: "chart" },
    root,
    el(
      "div",
      { class: "axis", "aria-hidden": "true" },
      el("span", { text: shortTime(window.from) }),
      el("span", { text: shortTime(window.to) }),
    ),
    el(
      "figcaption",
      {},
      el("span", { class: "key confirmed", text: "confirmed" }),
      el("span", { class: "key held", text: "held" }),
      el("span", { class: "key capacity", text: `capacity ${pool.capacity}` }),
      pool.shortage_limit ? el("span", { class: "key limit", text: `+ shortage limit ${pool.shortage_limit}` }) : null,
    ),
  );
}

// Countdowns follow the namespace clock, not the browser's.
export function tick() {
  const now = namespaceNow();
  for (const time of document.querySelectorAll("#inventory-list time[data-until]")) {
    const left = Date.parse(time.dataset.until) - now;
    time.textContent = left >= 0 ? `in ${duration(left)}` : "expired";
    time.title = shortTime(time.dataset.until) + " UTC";
    time.closest("tr")?.classList.toggle("lapsed", left < 0);
  }
}

export function init() {
  const form = $("#inventory-form");
  for (const name of ["from", "to"]) {
    form[name].addEventListener("input", () => {
      windowChosen = true;
    });
  }
  // Another filter is another list: from its first page.
  form.addEventListener("change", () => {
    offset = 0;
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    offset = 0;
    refresh().catch(complain);
  });
  $("#inventory-prev").addEventListener("click", () => {
    offset = Math.max(0, offset - PAGE);
    refresh().catch(complain);
  });
  $("#inventory-next").addEventListener("click", () => {
    if (offset + PAGE < total) offset += PAGE;
    refresh().catch(complain);
  });
}

// A new namespace: its own window (its clock may stand elsewhere), from the first page.
export function forget() {
  offset = 0;
  windowChosen = false;
  drawn = "";
  $("#inventory-list").replaceChildren();
  $("#inventory-summary").textContent = "";
}
