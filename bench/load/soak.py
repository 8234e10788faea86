"""Long runs for memory: N requests, the server's RSS as they go.

`--soak N` sends them over the read paths: the RSS must level off (journals and metrics are
bounded). `--soak-writes N` sends them over write paths whose records finish: Korus
reservations left to expire (the sandbox clock moves past their hold after each run) and Pont
Central bookings created then cancelled. What finished records cost over time is what a
retention policy decides; the server's flags (`--server-arg`) choose it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import httpx2 as httpx

from bench.load.paths import PATHS, HotPath, korus_login
from bench.load.results import Result
from bench.load.servers import peak_rss_mib, reset_peak_rss, rss_mib

Runner = Callable[[str, HotPath, Mapping[str, str], int, float], Result]
Session = Callable[[str, HotPath, str], dict[str, str]]
# Paths that create nothing: a write keeps its record (2-3 KB each) until a reset, as it should.
READS = ("korus-availability", "pont-availabilities", "booqable-orders")
# Writes whose records finish: a hold expires (see _expire), a booking is cancelled.
WRITES = ("korus-reserve", "pont-create-cancel")
HOLD_PASSED = 901  # seconds: the catalog's reservationHoldSeconds (900), and one more
ROUND = 10.0  # seconds per run


def reads(run: Runner, session: Session, url: str, total: int, pid: int) -> None:
    """N requests over the read paths: what a long run costs beyond the state clients create."""
    paths = [p for p in PATHS if p.key in READS]
    sent = 0
    reset_peak_rss(pid)
    print(f"\nsoak over {', '.join(READS)} at c16, 10 s per run, one namespace per path:")
    while sent < total:
        for path in paths:
            result = run(url, path, session(url, path, f"soak-{path.key}"), 16, ROUND)
            sent += result.requests
            if result.errors:
                raise RuntimeError(f"soak: {result.errors} errors on {path.key}")
        print(f"  {sent:>9,} requests: RSS {rss_mib(pid):.0f} MiB", flush=True)
    print(f"sandbox peak RSS after {sent:,} requests: {peak_rss_mib(pid):.0f} MiB")


def _expire(url: str, headers: Mapping[str, str]) -> dict[str, str]:
    """Move the namespace's clock past every hold made so far; log in again (the token's
    lifetime runs on that clock too). The headers for the next run."""
    namespace = headers["X-Sandbox-Namespace"]
    with httpx.Client(base_url=url, headers={"X-Sandbox-Namespace": namespace}) as client:
        moved = client.post("/_sandbox/clock/advance", json={"seconds": HOLD_PASSED})
        moved.raise_for_status()
        korus_login(client)
        return {k: client.headers[k] for k in ("X-Sandbox-Namespace", "Authorization")}


def writes(run: Runner, session: Session, url: str, total: int, pid: int) -> None:
    """N write requests whose records finish; RSS after each pair of runs, then the peak."""
    paths = [p for p in PATHS if p.key in WRITES]
    headers = {p.key: session(url, p, f"soak-{p.key}") for p in paths}
    sent = 0
    reset_peak_rss(pid)
    print(f"\nwrite soak over {', '.join(WRITES)} at c16, {ROUND:g} s per run:")
    print("(Korus holds expire: the clock moves 901 s after each run; Pont bookings are cancelled)")
    while sent < total:
        for path in paths:
            result = run(url, path, headers[path.key], 16, ROUND)
            sent += result.requests
            if result.errors:
                raise RuntimeError(f"write soak: {result.errors} errors on {path.key}")
            if path.key == "korus-reserve":
                headers[path.key] = _expire(url, headers[path.key])
        print(f"  {sent:>9,} requests: RSS {rss_mib(pid):.0f} MiB", flush=True)
    print(f"sandbox RSS after {sent:,} write requests: {rss_mib(pid):.0f} MiB")
    print(f"sandbox peak RSS during them: {peak_rss_mib(pid):.0f} MiB")
