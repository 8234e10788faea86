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

from booking_sandbox.core.fixtures import FixtureError, collector_paused
from booking_sandbox.core.options import fixtures_directory, from_sources
from booking_sandbox.core.settings import DEFAULT_SEED, Settings, exposure_warning
from booking_sandbox.timefmt import parse_instant

# A full collection waits for this many middle-generation passes (Python's default is 10).
FULL_COLLECTION_EVERY = 1000


def collect_rarely() -> None:
    """Full collections walk every live object, and each kept record is about ten of them: under
    a write-heavy load the defaults paused the loop for 100-300 ms every few seconds (p99 at c16
    went from ~15 ms to ~200 ms). Request garbage still dies in the young generations, which keep
    their defaults; the fixtures loaded at start-up never die, so they leave the collector's
    view. Only for the server process: a library must not retune its host's collector.

    Frozen without a collection first: start-up leaves next to no garbage (31 objects on the
    100,000-session catalog), and collecting the millions of start-up objects cost 1.5 s.
    Called while the collector is paused (`serve`): re-enabled before the freeze, it would
    first walk them all as the youngest generation."""
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
    if settings.log_level.lower() in ("trace", "debug", "info"):  # info lines, like uvicorn's
        show_startup_phases()
    with collector_paused():  # until the start-up objects are frozen (collect_rarely)
        try:
            app = create_app(settings)
        except FixtureError as exc:
            print(f"booking-sandbox: {exc}", file=sys.stderr)
            return 2
        collect_rarely()
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
        log_to_stderr("sandbox.access", "%(message)s")
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
        # No WebSocket route: uvicorn needs no WebSocket library (none is installed).
        "ws": "none",
        # uvicorn times out none of these by itself: a silent or trickling client would hold its
        # connection forever, and a shutdown would wait out a ten-minute latency fault. (uvicorn
        # types the two timeouts as int, but uses them as asyncio's seconds: floats work.)
        "http": http_protocol(settings.header_timeout, settings.shutdown_grace),
        "timeout_keep_alive": settings.keep_alive_timeout,
        "timeout_graceful_shutdown": settings.shutdown_grace,
    }


GENERATE_EXTRA = "pip install 'booking-sandbox[generate]'"


def generate(argv: Sequence[str]) -> int:
    # Imports no faker: `--help` and usage errors need no extra.
    from booking_sandbox.generate import VENDORS, terminal_progress, write_catalog

    p = argparse.ArgumentParser(
        prog="booking-sandbox generate",
        description="Write a large, valid, seeded catalog for load tests into a directory "
        "(one JSON file per vendor, written as it is made: memory stays flat in --size). A "
        "progress bar shows on a terminal.",
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
    if not has_faker():
        needs = "booking-sandbox generate needs faker, from the `generate` extra"
        print(f"{needs}: {GENERATE_EXTRA}", file=sys.stderr)
        return 1
    vendors = args.vendor or list(VENDORS)
    try:
        with terminal_progress(args.size * len(vendors)) as progress:
            paths = write_catalog(args.out, vendors, args.size, args.seed, start, progress)
    except OverflowError:  # dates drawn after --start ran past year 9999
        p.error(f"--start {args.start}: the catalog's dates would pass year 9999; start earlier")
    for path in paths:
        print(path)
    return 0


def has_faker() -> bool:
    """faker is an extra: a server (the Docker image) does not carry it."""
    try:
        import faker  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.partition(".")[0] != "faker":
            raise  # faker is there, but broken: say so rather than "install it"
        return False
    return True


def validate(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(
        prog="booking-sandbox validate",
        description="Check a fixtures directory as start-up does: schemas, cross-references, "
        "pools that build.",
    )
    p.add_argument(
        "directory",
        type=Path,
        nargs="?",
        help="default: the one the server would load (env SANDBOX_FIXTURES, else the bundled "
        "fixtures)",
    )
    args = p.parse_args(list(argv))
    from booking_sandbox.app import create_app
    from booking_sandbox.core.runtime import Sandbox

    directory = fixtures_directory(args.directory)  # the one serve would load
    try:
        # Exactly what start-up checks: schemas, cross-references, pools that build.
        sandbox: Sandbox = create_app(Settings(fixtures=directory)).state.sandbox
    except FixtureError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{directory}: valid ({', '.join(sandbox.fixtures.sections)})")
    return 0


def show_startup_phases() -> None:
    """Start-up's phases (core/phases.py) as lines on stderr: a big catalog takes a while."""
    log_to_stderr("sandbox.startup", "booking-sandbox: %(message)s")


STDERR_HANDLER = "booking-sandbox stderr"


def log_to_stderr(logger_name: str, line: str) -> None:
    """The logger's info lines on stderr, formatted as `line`: through one handler however
    often main() runs in a process (a second one would print every line twice)."""
    logger = logging.getLogger(logger_name)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for handler in logger.handlers:
        if handler.get_name() == STDERR_HANDLER and isinstance(handler, logging.StreamHandler):
            handler.setStream(sys.stderr)  # today's stderr (a test may have replaced it)
            return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(STDERR_HANDLER)
    handler.setFormatter(logging.Formatter(line))
    logger.addHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    commands = {"generate": generate, "validate": validate, "serve": serve}
    if args and args[0] in commands:
        return commands[args[0]](args[1:])
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
