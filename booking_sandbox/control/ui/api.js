// The control plane's JSON endpoints, in the picked namespace, with the control token if any.
// The page reads and writes nothing else.

export const TOKEN_KEY = "booking-sandbox.control-token"; // apidocs/docs.js reads it too
const tokenRequired =
  document.querySelector('meta[name="sandbox-control-token"]')?.content === "required";
// What an HTTP header can carry (and what the server accepts as a token): printable ASCII.
export const TOKEN_PATTERN = /^[\x21-\x7E]+$/;

export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error ? body.error : {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || "";
    this.details = error.details || [];
  }
}

let namespace = "default";
export const setNamespace = (name) => {
  namespace = name;
};
export const currentNamespace = () => namespace;

let askToken = null; // set by main.js: shows the token dialog, resolves with a token
let asking = null; // one question at a time, however many calls are waiting for the answer

export function onTokenNeeded(ask) {
  askToken = ask;
}

function ask() {
  asking ??= askToken().then((given) => {
    sessionStorage.setItem(TOKEN_KEY, given);
    asking = null;
    return given;
  });
  return asking;
}

async function token() {
  const stored = sessionStorage.getItem(TOKEN_KEY);
  if (stored && TOKEN_PATTERN.test(stored)) return stored;
  if (stored) sessionStorage.removeItem(TOKEN_KEY); // not sendable: ask again
  return tokenRequired && askToken ? ask() : null;
}

export async function call(method, path, body, { raw = false } = {}) {
  const headers = { "X-Sandbox-Namespace": namespace, Accept: "application/json" };
  const given = await token();
  if (given) headers.Authorization = `Bearer ${given}`;
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(`/_sandbox${path}`, init);
  if (response.status === 401 && askToken) {
    // Wrong, or changed since the server restarted: ask until one works. Calls that failed
    // together wait for the same question; one that failed on a token replaced since retries.
    if (sessionStorage.getItem(TOKEN_KEY) === given || !sessionStorage.getItem(TOKEN_KEY)) {
      sessionStorage.removeItem(TOKEN_KEY);
      await ask();
    } else if (asking) {
      await asking;
    }
    return call(method, path, body, { raw });
  }
  if (raw && response.ok) return response;
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

export const get = (path) => call("GET", path);
export const post = (path, body) => call("POST", path, body);
export const put = (path, body) => call("PUT", path, body);
export const del = (path) => call("DELETE", path);

export function query(params) {
  const found = Object.entries(params).filter(([, v]) => v !== "" && v !== null && v !== undefined);
  return found.length ? "?" + new URLSearchParams(found).toString() : "";
}

// A read whose answer is dropped when a newer one was asked for meanwhile, or when the
// namespace changed: a slow answer never draws over a newer one or another namespace's.
export function latest() {
  let asked = 0;
  return async (path) => {
    const mine = ++asked;
    const where = namespace;
    const found = await get(path);
    return mine === asked && where === namespace ? found : null;
  };
}
