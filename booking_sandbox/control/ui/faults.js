// The Faults panel (armed rules, a form to arm one, delete) and the Scenarios list.

import { currentNamespace, del, get, latest, post } from "./api.js";
import { $, complain, el, field, replaceKeepingFocus, say } from "./dom.js";

const read = latest();
let operations = []; // [{vendor, name, methods, paths}] from GET /_sandbox/operations
let drawn = "";
let changed = async () => {};

export async function load() {
  operations = (await get("/operations")).operations;
  fillOperations();
  const found = await get("/scenarios");
  $("#scenarios-list").replaceChildren(...found.scenarios.map(scenario));
}

function fillOperations() {
  const vendor = $("#fault-vendor").value;
  const select = $("#fault-operation");
  const kept = select.value;
  const names = operations.filter((o) => !vendor || o.vendor === vendor);
  select.replaceChildren(
    el("option", { value: "", text: "any" }),
    ...names.map((o) => el("option", { value: o.name, text: `${o.name} (${o.methods.join(", ")})` })),
  );
  if (names.some((o) => o.name === kept)) select.value = kept;
}

export async function refresh() {
  const found = await read("/faults");
  if (!found) return;
  const signature = JSON.stringify(found.faults);
  if (signature === drawn) return; // unchanged: the focus stays where it is
  drawn = signature;
  const rows = found.faults.map((rule) =>
    el(
      "tr",
      { "data-fault": rule.id },
      el("td", { text: describeMatch(rule.match) }),
      el("td", { text: JSON.stringify(rule.action) }),
      el("td", { text: rule.times === null ? "∞" : String(rule.times) }),
      el("td", { text: String(rule.fired) }),
      el(
        "td",
        {},
        el("button", {
          type: "button",
          id: `fault-delete-${rule.id}`,
          class: "danger small",
          "aria-label": `Delete fault ${rule.id}`,
          text: "Delete",
          onclick: () => act(() => del(`/faults/${encodeURIComponent(rule.id)}`), "Fault deleted."),
        }),
      ),
    ),
  );
  if (!rows.length) {
    rows.push(el("tr", {}, el("td", { colspan: "5", class: "hint", text: "No fault armed." })));
  }
  replaceKeepingFocus($("#faults-list"), rows);
}

function describeMatch(match) {
  const parts = Object.entries(match).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(" ") : "every vendor request";
}

async function act(run, message) {
  try {
    await run();
    say(message);
    await changed();
  } catch (error) {
    complain(error);
  }
}

function ruleFromForm(form) {
  const match = {};
  for (const key of ["vendor", "operation", "method", "path"]) {
    if (field(form, key)) match[key] = field(form, key);
  }
  const kind = field(form, "action");
  const action =
    kind === "disconnect"
      ? { disconnect: field(form, "disconnect") }
      : { [kind]: Number(field(form, "value")) }; // a bad number is the server's 422 to explain
  const rule = { match, action };
  if (field(form, "times")) rule.times = Number(field(form, "times"));
  return rule;
}

// Parameters are typed by the scenario; the form has text only: digits go as a number.
const INTEGER = /^-?[0-9]+$/;

function scenario(found) {
  const inputs = Object.entries(found.parameters || {}).map(([name, help]) => {
    const id = `scenario-${found.name}-${name}`;
    return el(
      "div",
      { class: "parameter" },
      el("label", { for: id, text: name }),
      el("input", { id, name, placeholder: "default", "aria-describedby": `${id}-help` }),
      el("small", { id: `${id}-help`, text: help }),
    );
  });
  const form = el(
    "form",
    { class: "scenario", "data-scenario": found.name },
    el("h3", {}, el("span", { class: `vendor vendor-${found.vendor}`, text: found.vendor }), " ", found.name),
    el("p", { text: found.description }),
    inputs.length ? el("details", {}, el("summary", { text: "Parameters" }), ...inputs) : null,
    el("button", { type: "submit", text: "Apply" }),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = {};
    for (const input of form.querySelectorAll("input")) {
      const value = input.value.trim();
      if (value) body[input.name] = INTEGER.test(value) ? Number(value) : value;
    }
    act(async () => {
      const result = await post(`/scenarios/${encodeURIComponent(found.name)}`, body);
      const shown = $("#scenario-result");
      shown.hidden = false;
      shown.textContent = `${found.name} in ${currentNamespace()}:\n${JSON.stringify(result, null, 2)}`;
    }, `Scenario ${found.name} applied.`);
  });
  return el("li", {}, form);
}

function showActionField() {
  const disconnect = $("#fault-action").value === "disconnect";
  $("#fault-value-field").hidden = disconnect;
  $("#fault-disconnect-field").hidden = !disconnect;
  if (!disconnect) $("#fault-value").value = $("#fault-action").value === "status" ? "503" : "600";
}

export function init(onChange) {
  changed = onChange;
  $("#fault-vendor").addEventListener("change", fillOperations);
  $("#fault-action").addEventListener("change", showActionField);
  $("#fault-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(() => post("/faults", ruleFromForm(event.target)), "Fault armed.");
  });
  $("#faults-clear").addEventListener("click", () => act(() => del("/faults"), "All faults deleted."));
}

export function forget() {
  drawn = "";
  $("#faults-list").replaceChildren();
  $("#scenario-result").hidden = true;
  $("#scenario-result").textContent = "";
}
