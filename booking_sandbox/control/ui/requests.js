// The Requests panel: the journal, newest first, each entry opening to what was sent and
// answered (as the journal keeps it: secrets masked) and the fault that hit it.

import { currentNamespace, del, latest, query } from "./api.js";
import { $, complain, el, field, pretty, replaceKeepingFocus, say, shortTime } from "./dom.js";

const LIMIT = 50;
const read = latest();
// Entry key -> its <li>, kept so that an entry opened stays open across refreshes. Journal ids
// count from 1 in every namespace and again after a reset: the key holds more than the id.
let items = new Map();
let drawn = "";

function filters() {
  const form = $("#requests-form");
  return {
    vendor: field(form, "vendor"),
    status: field(form, "status"),
    path: field(form, "path"),
    limit: String(LIMIT),
  };
}

const keyOf = (entry) =>
  [currentNamespace(), entry.id, entry.at, entry.method, entry.path].join(" ");

export async function refresh() {
  const found = await read("/requests" + query(filters()));
  if (!found) return;
  const entries = found.requests.slice().reverse(); // newest first
  const next = new Map();
  for (const entry of entries) {
    const key = keyOf(entry);
    next.set(key, items.get(key) || item(entry));
  }
  items = next;
  const dropped = found.dropped ? `, ${found.dropped} dropped (the journal is bounded)` : "";
  $("#requests-summary").textContent = `${entries.length} shown of ${found.total} recorded${dropped}.`;
  const signature = [...next.keys()].join("\n");
  if (signature === drawn) return; // the same entries: leave them (and the focus) alone
  drawn = signature;
  replaceKeepingFocus($("#requests-list"), [...next.values()]);
}

let serial = 0; // ids for the summaries, so the focus finds its entry again after a redraw

function item(entry) {
  const answered = entry.status === null ? "no answer" : String(entry.status);
  const code = entry.status === null ? "none" : `s${String(entry.status)[0]}`;
  const summary = el(
    "summary",
    { id: `journal-entry-${++serial}` },
    el(
      "span",
      { class: "line" },
      el("time", { dateTime: entry.at, text: shortTime(entry.at) }),
      el("span", { class: `vendor vendor-${entry.vendor}`, text: entry.vendor || "?" }),
      el("span", { class: "method", text: entry.method }),
      el("span", { class: "path", text: entry.path + (entry.query ? `?${entry.query}` : "") }),
      el("span", { class: `code ${code}`, text: answered }),
      entry.fault ? el("span", { class: "badge fault", text: "fault" }) : null,
    ),
  );
  return el(
    "li",
    { class: "entry", "data-id": String(entry.id) },
    el(
      "details",
      {},
      summary,
      el("p", {
        class: "hint",
        text: `#${entry.id} · ${entry.operation || "no operation"} · ${entry.duration_ms} ms`,
      }),
      entry.fault
        ? el("pre", { class: "fault-detail", text: `Fault: ${JSON.stringify(entry.fault)}` })
        : null,
      exchange("Request", entry.request),
      exchange("Response", entry.response),
    ),
  );
}

function exchange(title, message) {
  if (!message) return el("p", { class: "hint", text: `${title}: none` });
  const headers = Object.entries(message.headers || {})
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  const notes = [
    message.truncated ? `body truncated (${message.body_bytes} bytes)` : "",
    message.omitted_headers ? `${message.omitted_headers} headers omitted` : "",
    message.encoding && message.encoding !== "utf-8" ? `body ${message.encoding}` : "",
  ].filter(Boolean);
  return el(
    "div",
    { class: "exchange" },
    el("h3", { text: title }),
    notes.length ? el("p", { class: "hint", text: notes.join("; ") }) : null,
    el("pre", { class: "headers", tabindex: "0", text: headers }),
    message.body ? el("pre", { class: "body", tabindex: "0", text: pretty(message.body) }) : null,
  );
}

export function init() {
  $("#requests-form").addEventListener("submit", (event) => {
    event.preventDefault();
    refresh().catch(complain);
  });
  $("#requests-clear").addEventListener("click", async () => {
    try {
      const done = await del("/requests");
      say(`Journal cleared: ${done.deleted} entries.`);
      await refresh();
    } catch (error) {
      complain(error);
    }
  });
}

export function forget() {
  items = new Map();
  drawn = "";
  $("#requests-list").replaceChildren();
  $("#requests-summary").textContent = "";
}
