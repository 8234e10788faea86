"""`booking-sandbox` (and `python -m booking_sandbox`): serve, `generate` or `validate`."""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from booking_sandbox.core.fixtures import FixtureError
from booking_sandbox.core.settings import DEFAULT_SEED, Settings, exposure_warning, from_sources
from booking_sandbox.timefmt import parse_instant

# A full collection waits for this many middle-generation passes (Python's default is 10).
FULL_COLLECTION_EVERY = 1000


def collect_rarely() -> None:
    """Full collections walk every live object, and each kept record is about ten of them: under
    a write-heavy load the defaults paused the loop for 100-300 ms every few seconds (p99 at c16
    went from ~15 ms to ~200 ms). Request garbage still dies in the young generations, which keep
    their defaults; the fixtures loaded at start-up never die, so they leave the collector's
    view. Only for the server process: a library must not retune its host's collector."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)


def stopped(signum: int, frame: FrameType | None) -> None:
    """SIGTERM after uvicorn's graceful shutdown (or before it began listening): exit 0."""
    raise SystemExit(0)


def serve(argv: Sequence[str]) -> int:
    import uvicorn

    from booking_sandbox.app import create_app
    from booking_sandbox.serving import quiet_shutdown_cancellations

    settings = from_sources(argv)
    try:
        app = create_app(settings)
    except FixtureError as exc:
        print(f"booking-sandbox: {exc}", file=sys.stderr)
        return 2
    print(
        f"booking-sandbox: fixtures {settings.fixtures}, seed {settings.seed}, "
        f"serving on http://{settings.host}:{settings.port}",
        file=sys.stderr,
    )
    warning = exposure_warning(settings)
    if warning is not None:
        print(f"booking-sandbox: {warning}", file=sys.stderr)
    # Our JSON line replaces uvicorn's text access line, and like it is an info message: a
    # `--log-level warning` run (the test servers) writes none.
    if settings.access_log and settings.log_level.lower() in ("trace", "debug", "info"):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access = logging.getLogger("sandbox.access")
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    collect_rarely()
    quiet_shutdown_cancellations()
    # uvicorn, once shut down, raises the signal it caught again for the handler it found:
    # Python's default would then kill a process that stopped cleanly (exit -15, 143 in Docker).
    signal.signal(signal.SIGTERM, stopped)
    # One process: the state is in memory, so more workers would each sell the same stock.
    uvicorn.run(app, **uvicorn_options(settings))
    return 0


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    from booking_sandbox.serving import http_protocol

    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "access_log": False,
        # uvicorn times out none of these by itself: a silent or trickling client would hold its
        # connection forever, and a shutdown would wait out a ten-minute latency fault. (uvicorn
        # types the two timeouts as int, but uses them as asyncio's seconds: floats work.)
        "http": http_protocol(settings.header_timeout, settings.shutdown_grace),
        "timeout_keep_alive": settings.keep_alive_timeout,
        "timeout_graceful_shutdown": settings.shutdown_grace,
    }


def generate(argv: Sequence[str]) -> int:
    from booking_sandbox.generate import VENDORS, write_catalog

    p = argparse.ArgumentParser(
        prog="booking-sandbox generate",
        description="Write a large, valid, seeded catalog for load tests into a directory.",
    )
    p.add_argument("--out", type=Path, required=True, help="directory to write into")
    p.add_argument("--size", type=int, default=1000, help="sessions/slots/products per vendor")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--start", default=None, help="ISO 8601 instant of the first session/slot")
    p.add_argument("--vendor", action="append", choices=VENDORS, help="only these vendors")
    args = p.parse_args(list(argv))
    if args.size < 1:
        p.error("--size must be >= 1")
    try:
        start = parse_instant(args.start) if args.start else datetime.now(UTC)
    except ValueError as exc:
        p.error(f"--start: {exc}")
    for path in write_catalog(args.out, args.vendor or list(VENDORS), args.size, args.seed, start):
        print(path)
    return 0


def validate(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="booking-sandbox validate", description="Check fixtures.")
    p.add_argument("directory", type=Path)
    args = p.parse_args(list(argv))
    from booking_sandbox.app import create_app
    from booking_sandbox.core.runtime import Sandbox

    try:
        # Exactly what start-up checks: schemas, cross-references, pools that build.
        sandbox: Sandbox = create_app(Settings(fixtures=args.directory)).state.sandbox
    except FixtureError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{args.directory}: valid ({', '.join(sandbox.fixtures.sections)})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    commands = {"generate": generate, "validate": validate, "serve": serve}
    if args and args[0] in commands:
        return commands[args[0]](args[1:])
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
