"""Settings from flags, then environment variables, then defaults (the design's contract)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from booking_sandbox.core.clock import WallClock, system_wall
from booking_sandbox.core.paths import bundled
from booking_sandbox.timefmt import parse_instant

DEFAULT_SEED = 20250129


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    fixtures: Path = field(default_factory=lambda: bundled("fixtures"))
    schemas: Path = field(default_factory=lambda: bundled("schemas"))
    seed: int = DEFAULT_SEED
    start_time: datetime | None = None
    max_namespaces: int = 1000
    log_level: str = "info"
    journal_size: int = 1000  # requests kept per namespace
    # One JSON line per vendor request on the `sandbox.access` logger: off unless asked for,
    # as formatting a line per request costs more than some whole requests.
    access_log: bool = False
    # Tests inject a fake wall clock; the server reads the machine's time through this only.
    wall: WallClock = system_wall


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="booking-sandbox",
        description="Serve the Korus Ticket, Pont Central and Booqable APIs from one stateful "
        "sandbox. Subcommands: `generate` (large catalogs), `validate` (check fixtures).",
    )
    p.add_argument("--host", help="address to bind (env SANDBOX_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (env SANDBOX_PORT, default 8000)")
    p.add_argument("--fixtures", type=Path, help="fixtures directory (env SANDBOX_FIXTURES)")
    p.add_argument(
        "--seed", type=int, help=f"random seed (env SANDBOX_SEED, default {DEFAULT_SEED})"
    )
    p.add_argument(
        "--start-time",
        help="ISO 8601 instant where every namespace clock starts (env SANDBOX_START_TIME)",
    )
    p.add_argument("--log-level", default=None, help="uvicorn log level (env SANDBOX_LOG_LEVEL)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="only 1: the state lives in memory, in one process (env SANDBOX_WORKERS)",
    )
    p.add_argument(
        "--journal-size",
        type=int,
        help="requests kept per namespace, 0 for none (env SANDBOX_JOURNAL_SIZE, default 1000)",
    )
    p.add_argument(
        "--access-log",
        choices=("json", "off"),
        help="one JSON line per vendor request on stderr (env SANDBOX_ACCESS_LOG, default off)",
    )
    return p


def from_sources(argv: Sequence[str], env: Mapping[str, str] = os.environ) -> Settings:
    """Parse flags; a flag wins over its environment variable, which wins over the default."""
    p = parser()
    args = p.parse_args(list(argv))

    def pick(flag: object, name: str) -> str | None:
        if flag is not None:
            return str(flag)
        return env.get(name) or None

    defaults = Settings()
    try:
        port = int(pick(args.port, "SANDBOX_PORT") or defaults.port)
        seed = int(pick(args.seed, "SANDBOX_SEED") or defaults.seed)
        journal_size = int(pick(args.journal_size, "SANDBOX_JOURNAL_SIZE") or defaults.journal_size)
    except ValueError as exc:
        p.error(f"SANDBOX_PORT, SANDBOX_SEED and SANDBOX_JOURNAL_SIZE take integers: {exc}")
    workers = pick(args.workers if args.workers != 1 else None, "SANDBOX_WORKERS") or "1"
    if workers != "1":
        # Each worker would hold its own copy of every namespace and sell the same stock.
        p.error(
            f"--workers {workers}: the sandbox keeps its state in memory, in one process; more "
            "workers would each sell the same stock. Run one sandbox per job, or share one "
            "between jobs with namespaces (X-Sandbox-Namespace)."
        )
    if journal_size < 0:
        p.error(f"--journal-size must be >= 0: {journal_size}")
    access_log = pick(args.access_log, "SANDBOX_ACCESS_LOG") or "off"
    if access_log not in ("json", "off"):
        p.error(f"SANDBOX_ACCESS_LOG takes json or off: {access_log}")
    if not 0 <= port <= 65535:
        p.error(f"port out of range: {port}")
    start = pick(args.start_time, "SANDBOX_START_TIME")
    try:
        start_time = parse_instant(start) if start else None
    except ValueError as exc:
        p.error(f"--start-time / SANDBOX_START_TIME: {exc}")
    fixtures = pick(args.fixtures, "SANDBOX_FIXTURES")
    return Settings(
        host=pick(args.host, "SANDBOX_HOST") or defaults.host,
        port=port,
        fixtures=Path(fixtures) if fixtures else defaults.fixtures,
        seed=seed,
        start_time=start_time,
        log_level=pick(args.log_level, "SANDBOX_LOG_LEVEL") or defaults.log_level,
        journal_size=journal_size,
        access_log=access_log == "json",
    )
