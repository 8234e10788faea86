"""How long a large state import stops vendor traffic (issue 17, item 8).

python -m bench.import_stall [--size 10000] [--python PATH] [--cwd DIR]

Writes a generated catalog of `--size` sessions/slots/products per vendor, starts the server on
it (`--cwd` runs another checkout, for a before/after), exports the default namespace and
imports it back into another while one client asks Booqable for a product every 10 ms. It
prints the body size, how long the import took, and the vendor requests' latencies during
the import: their maximum is how long the import held the event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

from booking_sandbox.testing.health import wait_healthy
from booking_sandbox.testing.live import free_port

PROBE = "/api/boomerang/products?page[size]=1"
AUTH = {"Authorization": "Bearer demo-api-key"}
JSON = {"Content-Type": "application/json", "X-Sandbox-Namespace": "copy"}


async def measure(url: str) -> str:
    async with httpx.AsyncClient(base_url=url, timeout=300) as client:
        state = (await client.get("/_sandbox/state")).content
        latencies: list[float] = []
        importing = asyncio.Event()
        done = asyncio.Event()

        async def probe() -> None:
            while not done.is_set():
                started = time.perf_counter()
                await client.get(PROBE, headers=AUTH)
                if importing.is_set():
                    latencies.append(time.perf_counter() - started)
                await asyncio.sleep(0.01)

        task = asyncio.create_task(probe())
        await asyncio.sleep(0.2)
        importing.set()
        started = time.perf_counter()
        answer = await client.put("/_sandbox/state", content=state, headers=JSON)
        took = time.perf_counter() - started
        done.set()
        await task
    latencies.sort()
    middle, worst = latencies[len(latencies) // 2] * 1e3, latencies[-1] * 1e3
    return (
        f"state {len(state) / 1e6:.1f} MB -> {answer.status_code} in {took:.2f} s; "
        f"{len(latencies)} vendor requests meanwhile: p50 {middle:.1f} ms, max {worst:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    # 10,000: a ~35 MB state, under the default 64 MiB body limit (the old tree has none).
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--cwd", type=Path, default=Path.cwd(), help="the checkout to serve")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as fixtures:
        subprocess.run(
            [
                args.python,
                "-m",
                "booking_sandbox",
                "generate",
                "--out",
                fixtures,
                "--size",
                str(args.size),
                "--start",
                "2030-01-01T00:00:00Z",
            ],
            cwd=args.cwd,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port = free_port()
        server = subprocess.Popen(
            [
                args.python,
                "-m",
                "booking_sandbox",
                "--port",
                str(port),
                "--fixtures",
                fixtures,
                "--log-level",
                "warning",
            ],
            cwd=args.cwd,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, 120)
            print(f"{args.cwd}: {measure_sync(url)}")
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


def measure_sync(url: str) -> str:
    return asyncio.run(measure(url))


if __name__ == "__main__":
    sys.exit(main())
