// The Clock panel, and the namespace's "now" every other panel counts down against.

import { latest, post, put } from "./api.js";
import { $, complain, fromInput, say, shortTime, toInput } from "./dom.js";

const read = latest();
let reading = { now: null, frozen: true, at: 0 };
let editing = false; // the "set to" field follows the clock until someone types in it

// The namespace's now in ms: a running clock moves on between two readings.
export function namespaceNow() {
  if (!reading.now) return Date.now();
  const base = Date.parse(reading.now);
  return reading.frozen ? base : base + (performance.now() - reading.at);
}

export async function refresh() {
  const clock = await read("/clock");
  if (!clock) return;
  reading = { now: clock.now, frozen: clock.frozen, at: performance.now() };
  render();
  if (!editing) $("#clock-set").value = toInput(clock.now);
}

function render() {
  if (!reading.now) return;
  const now = new Date(namespaceNow()).toISOString().replace(/\.\d+Z$/, "Z");
  const time = $("#clock-now");
  time.textContent = `${shortTime(now)} UTC`;
  time.dateTime = now;
  $("#clock-mode").textContent = reading.frozen ? "frozen" : "running";
  $("#clock-mode").className = `badge ${reading.frozen ? "frozen" : "running"}`;
  $("#clock-freeze").textContent = reading.frozen ? "Let it run" : "Freeze";
}

export function tick() {
  if (!reading.frozen) render();
}

export function forget() {
  reading = { now: null, frozen: true, at: 0 };
  editing = false;
}

async function act(run, changed) {
  try {
    const clock = await run();
    say(clock);
    await changed();
  } catch (error) {
    complain(error);
  }
}

export function init(changed) {
  for (const button of document.querySelectorAll("[data-advance]")) {
    const by = button.textContent.slice(1);
    button.addEventListener("click", () =>
      act(async () => {
        const clock = await post("/clock/advance", { seconds: Number(button.dataset.advance) });
        return `Clock advanced by ${by}: now ${shortTime(clock.now)} UTC`;
      }, changed),
    );
  }
  $("#clock-freeze").addEventListener("click", () =>
    act(async () => {
      const clock = await put("/clock", { frozen: !reading.frozen });
      return clock.frozen ? "Clock frozen." : "Clock running.";
    }, changed),
  );
  $("#clock-set").addEventListener("input", () => {
    editing = true;
  });
  $("#clock-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(async () => {
      const clock = await put("/clock", {
        now: fromInput($("#clock-set").value),
        frozen: $("#clock-set-frozen").checked,
      });
      editing = false;
      return `Clock set to ${shortTime(clock.now)} UTC${clock.frozen ? ", frozen" : ""}`;
    }, changed);
  });
}
