"""Start-up to a healthy /_sandbox/health, and the cost of a new namespace.

python bench/startup_bench.py [--runs 5]

Starts the real console script (as users do) on the bundled fixtures and on a generated
catalog (100,000 Korus sessions, 10,000 Pont Central and 10,000 Booqable products; with
`--all-at 100000`, 100,000 of each: 392 MB), polls /_sandbox/health every 5 ms, and reports
the median wall time from spawn to the first 200. The generated catalog starts three ways:
with snapshots off, on a first start (which checks it and writes its checked snapshots) and on
a second start (which takes them; core/catalog_snapshot.py).
Then times the first request in a fresh namespace (it copies the catalog and builds pools).
Each figure also comes as the server's own CPU time (from /proc/<pid>/stat, Linux): on a
shared machine wall time counts the other processes too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx2 as httpx

from booking_sandbox.testing.live import SCRIPT, free_port

# wall time to healthy, its server CPU, then both for the first request in a new namespace
Figures = tuple[float, float, float, float]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (NaN where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def startup(fixtures: Path | None, *extra: str) -> Figures:
    """Wall time to healthy, its server CPU, then the same for the first request elsewhere."""
    port = free_port()
    args = [str(SCRIPT), "--port", str(port), "--log-level", "warning", *extra]
    if fixtures:
        args += ["--fixtures", str(fixtures)]
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{url}/_sandbox/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise RuntimeError(process.communicate()[1].decode()) from None
                time.sleep(0.005)
        ready = time.perf_counter() - start
        ready_cpu = cpu_seconds(process.pid)
        t = time.perf_counter()
        r = httpx.get(f"{url}/_sandbox/clock", headers={"X-Sandbox-Namespace": "fresh"}, timeout=60)
        assert r.status_code == 200
        fresh = time.perf_counter() - t
        return ready, ready_cpu, fresh, cpu_seconds(process.pid) - ready_cpu
    finally:
        process.terminate()
        process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--all-at", type=int, help="generate every vendor at this size")
    args = parser.parse_args()
    sizes = {"korus": 100_000, "pontcentral": 10_000, "booqable": 10_000}
    if args.all_at:
        sizes = dict.fromkeys(sizes, args.all_at)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp)
        common = ["--out", str(big), "--seed", "1", "--start", "2026-01-01T00:00:00Z"]
        for vendor, size in sizes.items():
            subprocess.run(
                [str(SCRIPT), "generate", *common, "--vendor", vendor, "--size", str(size)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        size_mb = sum(p.stat().st_size for p in big.glob("*.json")) / 1e6
        print(
            "| fixtures | start-up to healthy | server CPU | first request in a new namespace "
            "| server CPU |"
        )
        print("|---|---:|---:|---:|---:|")
        generated = f"generated ({size_mb:.0f} MB)"
        cases: tuple[tuple[str, Callable[[], Figures]], ...] = (
            ("bundled", lambda: startup(None)),
            (f"{generated}, snapshots off", lambda: startup(big, *OFF)),
            (f"{generated}, first start", lambda: first_start(big)),
            (f"{generated}, second start", lambda: startup(big)),
        )
        for label, run in cases:
            runs = [run() for _ in range(args.runs)]
            medians = [statistics.median(r[i] for r in runs) * 1000 for i in range(4)]
            print(f"| {label} | " + " | ".join(f"{m:,.0f} ms" for m in medians) + " |", flush=True)


OFF = ("--catalog-snapshots", "off")


def first_start(fixtures: Path) -> Figures:
    """Without its snapshots: the start checks the catalog and writes them."""
    for snapshot in fixtures.glob(".*.snapshot"):
        snapshot.unlink()
    return startup(fixtures)


if __name__ == "__main__":
    main()
