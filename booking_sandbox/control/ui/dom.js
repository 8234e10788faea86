// Small DOM and time helpers shared by the panels. Text goes in with textContent only:
// the journal shows what clients sent, and none of it may become markup.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector) => document.querySelector(selector);

const status = () => document.getElementById("status");

export function say(message) {
  status().textContent = message;
  status().className = "status";
}

// `from`: "refresh" for the live refresh's own failures, which the next good refresh clears;
// an action's failure stays until the next message.
export function complain(error, from = "action") {
  const details = (error.details || []).map((d) => `${d.path}: ${d.message}`).join("; ");
  status().textContent = `${error.message}${details ? ` (${details})` : ""}`;
  status().className = `status error from-${from}`;
}

export function refreshed() {
  if (status().classList.contains("from-refresh")) say("");
}

// Re-render a container without losing the keyboard focus: the focused element, found again
// by its id among the new nodes, gets the focus back (the live refresh runs every 2 s).
export function replaceKeepingFocus(container, nodes) {
  const focused = document.activeElement;
  const id = focused && container.contains(focused) ? focused.id : "";
  container.replaceChildren(...nodes);
  if (id) document.getElementById(id)?.focus();
}

// A form field's trimmed value, by name ("action" or "method" would be the form's own).
export function field(form, name) {
  const found = form.elements.namedItem(name);
  if (!found) return "";
  return found.type === "checkbox" ? found.checked : found.value.trim();
}

// "2025-01-29T07:55:53Z" <-> the value of a datetime-local input, read as UTC.
export function toInput(iso) {
  return iso ? iso.replace(/(\.\d+)?Z$/, "").slice(0, 19) : "";
}

export function fromInput(value) {
  if (!value) return "";
  return (value.length === 16 ? `${value}:00` : value) + "Z";
}

export function shortTime(iso) {
  return iso ? iso.replace("T", " ").replace(/(\.\d+)?Z$/, "") : "";
}

export function duration(ms) {
  const sign = ms < 0 ? "-" : "";
  let seconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  const pad = (n) => String(n).padStart(2, "0");
  const clock = `${pad(minutes)}:${pad(seconds)}`;
  if (days) return `${sign}${days}d ${pad(hours)}:${clock}`;
  return hours ? `${sign}${hours}:${clock}` : `${sign}${clock}`;
}

export function pretty(body) {
  if (body === null || body === undefined) return "";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
