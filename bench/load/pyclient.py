"""Drive a hot path with a Python asyncio client, when wrk is not installed.

Raw HTTP/1.1 keep-alive over asyncio streams (uvloop when present), one coroutine per
connection walking its path's chain. It shares the 2 cores with the server and is slower than
wrk, so its rates are a floor for both servers; the ratio between them is the figure to read.
"""

from __future__ import annotations

import asyncio
import importlib.util
import statistics
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from bench.load.paths import HotPath
from bench.load.results import Result


def _request(method: str, target: str, body: str | None, headers: Mapping[str, str]) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
    data = body.encode() if body is not None else b""
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + data


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length) if length else b""


class _Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0


async def _connection(
    host: str, port: int, path: HotPath, headers: dict[str, str], deadline: float, tally: _Tally
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    fixed = {"Host": f"{host}:{port}", **headers}
    value: str | None = None
    k = 0
    try:
        while time.perf_counter() < deadline:
            step = path.steps[k]
            target, body = step.render(value if k else None)
            began = time.perf_counter()
            writer.write(_request(step.method, target, body, fixed))
            status, payload = await _response(reader)
            tally.latencies.append(time.perf_counter() - began)
            value = step.cut(payload.decode()) if k + 1 < len(path.steps) else None
            if not 200 <= status < 300 or (k + 1 < len(path.steps) and value is None):
                tally.errors += 1
                k = 0
            else:
                k = (k + 1) % len(path.steps)
    finally:
        writer.close()


async def _drive(
    url: str, path: HotPath, headers: dict[str, str], n: int, seconds: float
) -> Result:
    parts = urlsplit(url)
    tally = _Tally()
    began = time.perf_counter()
    deadline = began + seconds
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    await asyncio.gather(
        *(_connection(host, port, path, headers, deadline, tally) for _ in range(n))
    )
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(tally.latencies, n=100) if len(tally.latencies) > 1 else [0.0] * 99
    return Result(
        requests=len(tally.latencies),
        seconds=elapsed,
        p50_ms=cuts[49] * 1000,
        p90_ms=cuts[89] * 1000,
        p99_ms=cuts[98] * 1000,
        errors=tally.errors,
    )


def run(
    url: str, path: HotPath, headers: Mapping[str, str], connections: int, seconds: float
) -> Result:
    drive = _drive(url, path, dict(headers), connections, seconds)
    if importlib.util.find_spec("uvloop") is None:
        return asyncio.run(drive)
    import uvloop

    return uvloop.run(drive)
