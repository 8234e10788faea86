// The dashboard: the namespace picked (kept in the URL), the panels, and their refresh loop.

import * as api from "./api.js";
import * as clock from "./clock.js";
import { $, complain, el, refreshed, say } from "./dom.js";
import * as faults from "./faults.js";
import * as inventory from "./inventory.js";
import * as requests from "./requests.js";
import * as state from "./state.js";

const REFRESH_MS = 2000;
const NAME = /^[A-Za-z0-9._-]{1,64}$/;

// The token dialog, until a token is given: Escape cannot close it for good (nothing works
// without the token), and what a header cannot carry is refused by the field's pattern.
function askToken() {
  const dialog = $("#token-dialog");
  const input = $("#token-input");
  return new Promise((resolve) => {
    const closed = () => {
      const given = input.value.trim();
      if (api.TOKEN_PATTERN.test(given)) {
        dialog.removeEventListener("close", closed);
        resolve(given);
      } else {
        dialog.showModal(); // closed without a usable token: ask again
        input.focus();
      }
    };
    dialog.addEventListener("close", closed);
    input.value = "";
    dialog.showModal();
    input.focus();
  });
}

function pickedInUrl() {
  const name = new URLSearchParams(location.search).get("namespace");
  return name && NAME.test(name) ? name : "default";
}

let listed = "";

async function fillNamespaces() {
  const { namespaces } = await api.get("/namespaces");
  const current = api.currentNamespace();
  const names = (namespaces.includes(current) ? namespaces : [current, ...namespaces]).sort();
  if (names.join(" ") === listed) return; // rebuilt only when it changed (the focus stays)
  listed = names.join(" ");
  const select = $("#namespace");
  select.replaceChildren(...names.map((n) => el("option", { value: n, text: n })));
  select.value = current;
}

function pick(name) {
  api.setNamespace(name);
  const url = new URL(location.href);
  url.searchParams.set("namespace", name);
  history.replaceState(null, "", url);
  document.title = `${name} · booking-sandbox dashboard`;
  say("");
  listed = "";
  for (const panel of [clock, inventory, requests, faults]) panel.forget();
}

let running = null;
let again = false;

// One refresh at a time; one asked for meanwhile runs right after it (and its caller waits).
function refreshAll() {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        try {
          await clock.refresh();
          await Promise.all([inventory.refresh(), requests.refresh(), faults.refresh(), fillNamespaces()]);
          refreshed();
        } catch (error) {
          complain(error, "refresh");
        }
      } while (again);
    } finally {
      running = null; // before the caller's continuation runs: no request falls in between
    }
  })();
  return running;
}

async function start() {
  api.onTokenNeeded(askToken);
  pick(pickedInUrl());
  const vendors = (await api.get("/health")).vendors;
  for (const select of document.querySelectorAll(".vendor-select")) {
    select.append(...vendors.map((v) => el("option", { value: v, text: v })));
  }
  $("#token-dialog").addEventListener("cancel", (event) => event.preventDefault());
  clock.init(refreshAll);
  inventory.init();
  requests.init();
  faults.init(refreshAll);
  state.init(refreshAll);
  $("#namespace").addEventListener("change", (event) => {
    pick(event.target.value);
    refreshAll();
  });
  $("#namespace-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const name = $("#namespace-new").value.trim();
    if (!NAME.test(name)) return;
    $("#namespace-new").value = "";
    pick(name);
    refreshAll();
  });
  await faults.load().catch(complain);
  await refreshAll();
  document.body.dataset.ready = "true"; // for tests and scripts: the first refresh is in
  setInterval(() => {
    if ($("#live").checked && !document.hidden) refreshAll();
  }, REFRESH_MS);
  setInterval(() => {
    clock.tick();
    inventory.tick();
  }, 1000);
}

start().catch(complain);
