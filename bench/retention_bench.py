"""Memory after many write requests, with the retention policy and without (issue 20, 7).

python -m bench.retention_bench [--writes 100000] [--retain 10000|all] [--vendor pontcentral]
python -m bench.retention_bench --compare [--writes 100000]   # both policies, one process each

In-process, through the ASGI app as `booking-sandbox` builds it (bench/profile_hotpaths.py's
Client, no sockets): Pont Central create + cancel cycles (2 writes each), or Korus reservation
+ release cycles (1 vendor write + 1 control-plane event each), in one namespace, the clock
frozen at the seed's moment. Prints the process's resident set (VmRSS) before and after, the
records and allocations the namespace holds, and what the export says was pruned. `--compare`
runs each policy in its own process, so one's heap does not inflate the other's RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.profile_hotpaths import (
    Client,
    build_app,
    korus_login,
    korus_reserve,
    pont_create_cancel,
    pont_login,
)

NAMESPACE = "retention-bench"
Cycle = Callable[[Client, int], Awaitable[None]]
VENDORS: dict[str, tuple[Callable[[Client], Awaitable[None]], Cycle, int]] = {
    # login, one cycle, vendor write requests per cycle
    "pontcentral": (pont_login, pont_create_cancel, 2),
    "korus": (korus_login, korus_reserve, 1),
}


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def measure(writes: int, retain: str, vendor: str) -> dict[str, Any]:
    app = build_app(["--retain-finished", retain])
    login, cycle, per_cycle = VENDORS[vendor]
    client = Client(app, NAMESPACE)
    await login(client)
    gc.collect()
    before = rss_mib()
    began = time.process_time()
    for n in range(writes // per_cycle):
        await cycle(client, n)
        if n % 1000 == 0:  # the Client keeps each request's CPU time: not the server's memory
            client.timings.clear()
    cpu = time.process_time() - began
    client.headers.pop("Authorization", None)
    state = (await client.request("GET", "/_sandbox/state")).json()
    records = state["vendors"][vendor]
    gc.collect()
    return {
        "vendor": vendor,
        "retain_finished": retain,
        "writes": writes,
        "rss_before_mib": round(before, 1),
        "rss_after_mib": round(rss_mib(), 1),
        "records": {k: len(v) for k, v in records.items() if isinstance(v, dict)},
        "allocations": len(state["inventory"]["allocations"]),
        "pruned": state.get("pruned"),
        "cpu_us_per_write": round(cpu / writes * 1e6, 1),
    }


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--writes", type=int, default=100_000)
    p.add_argument("--retain", default="10000", help="--retain-finished's value")
    p.add_argument("--vendor", choices=sorted(VENDORS), default="pontcentral")
    p.add_argument("--compare", action="store_true", help="the default policy, then `all`")
    args = p.parse_args()
    if not args.compare:
        print(json.dumps(asyncio.run(measure(args.writes, args.retain, args.vendor))))
        return
    for retain in ("10000", "all"):
        command = [sys.executable, "-m", "bench.retention_bench", "--writes", str(args.writes)]
        command += ["--retain", retain, "--vendor", args.vendor]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
