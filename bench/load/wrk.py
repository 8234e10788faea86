"""Drive a hot path with wrk (Debian's `wrk` package): a Lua script generated from its steps.

wrk tells `response()` nothing about which connection or request a response belongs to, so a
chain is kept per wrk thread as queues: a response carrying step k's marker queues its captured
value for step k+1, and `request()` sends the deepest queued step first, else a new chain. Every
value is used once, so each chain's requests act on what the previous one made.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Mapping

from bench.load.paths import HotPath, Step
from bench.load.results import Result

LUA = r"""
local steps = {%(steps)s}
local queues = {}
for k = 1, #steps do queues[k] = {} end
wrk.headers = {%(headers)s}

local function render(step, value)
  local path, body = step.path, step.body
  if value ~= nil then
    local plain = value:gsub("%%%%", "%%%%%%%%")
    path = path:gsub("{}", plain, 1)
    if body ~= nil then body = body:gsub("{}", plain, 1) end
  end
  return wrk.format(step.method, path, nil, body)
end

request = function()
  for k = #steps, 2, -1 do
    local q = queues[k]
    local n = #q
    if n > 0 then
      local value = q[n]
      q[n] = nil
      return render(steps[k], value)
    end
  end
  return render(steps[1], nil)
end

%(response)s

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%%d,"us":%%d,"p50":%%d,"p90":%%d,"p99":%%d,"errors":%%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""

RESPONSE = r"""
response = function(status, headers, body)
  if status < 200 or status > 299 then return end
  for k = 1, #steps - 1 do
    local step = steps[k]
    if step.marker == nil or body:find(step.marker, 1, true) then
      local _, last = body:find(step.capture, 1, true)
      if last then
        local stop = body:find('"', last + 1, true)
        local q = queues[k + 1]
        q[#q + 1] = body:sub(last + 1, stop - 1)
        return
      end
    end
  end
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str | None) -> str:
    if text is None:
        return "nil"
    assert "]==]" not in text
    return f"[==[{text}]==]"


def _lua_step(step: Step) -> str:
    fields = {
        "method": step.method,
        "path": step.path,
        "body": step.body,
        "capture": step.capture,
        "marker": step.marker,
    }
    return "{" + ", ".join(f"{k} = {_lua_string(v)}" for k, v in fields.items()) + "}"


def script(path: HotPath, headers: Mapping[str, str]) -> str:
    content = {"Content-Type": "application/json"} if any(s.body for s in path.steps) else {}
    every = {**content, **headers}
    return LUA % {
        "steps": ", ".join(_lua_step(s) for s in path.steps),
        "headers": ", ".join(f"[ {_lua_string(k)} ] = {_lua_string(v)}" for k, v in every.items()),
        "response": RESPONSE if len(path.steps) > 1 else "",
    }


def command(
    connections: int, seconds: float, lua: str, url: str, threads: int = 2, cpu: int | None = None
) -> list[str]:
    """wrk's command line; `cpu` pins it to that core (taskset)."""
    pinned = ["taskset", "-c", str(cpu)] if cpu is not None else []
    return [
        *pinned,
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",  # wrk counts whole seconds: shorter runs last one
        "--timeout=10s",
        f"-s{lua}",
        url,
    ]


def run(
    url: str,
    path: HotPath,
    headers: Mapping[str, str],
    connections: int,
    seconds: float,
    *,
    threads: int = 2,
    cpu: int | None = None,
) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script(path, headers))
        lua.flush()
        done = subprocess.run(
            command(connections, seconds, lua.name, url, threads, cpu),
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    line = next(x for x in done.stdout.splitlines() if x.startswith('{"requests"'))
    got = json.loads(line)
    return Result(
        requests=got["requests"],
        seconds=got["us"] / 1e6,
        p50_ms=got["p50"] / 1000,
        p90_ms=got["p90"] / 1000,
        p99_ms=got["p99"] / 1000,
        errors=got["errors"],
    )
