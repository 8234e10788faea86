"""The command line's flags: `booking-sandbox [serve]`'s argparse parser, its help and epilog.

What the flags mean once parsed (checked, then merged with environment variables and the
defaults) is `from_sources` in core/options.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from booking_sandbox import __version__
from booking_sandbox.core.retention import DEFAULT_KEEP
from booking_sandbox.core.settings import DEFAULT_SEED

SUBCOMMANDS = """subcommands (`booking-sandbox SUBCOMMAND --help` for their options):
  serve     serve the vendor APIs and /_sandbox (the default: the options above are serve's)
  generate  write a large, valid, seeded catalog for load tests (needs the `generate` extra)
  validate  check a fixtures directory as start-up does (default: the one serve would load)"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="booking-sandbox",
        usage="%(prog)s [serve] [options] | %(prog)s generate ... | %(prog)s validate ...",
        description="Serve the Korus Ticket, Pont Central and Booqable APIs from one stateful "
        "sandbox.",
        epilog=SUBCOMMANDS,
        # The epilog's lines are a table: keep them as written.
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--host", help="address to bind (env SANDBOX_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (env SANDBOX_PORT, default 8000)")
    p.add_argument("--fixtures", type=Path, help="fixtures directory (env SANDBOX_FIXTURES)")
    p.add_argument(
        "--catalog-snapshots",
        choices=("on", "off"),
        help="keep a checked snapshot of each big catalog file (over 1 MiB) beside it, or in "
        "the user's cache directory, for fast starts (env SANDBOX_CATALOG_SNAPSHOTS, default on)",
    )
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
        "--retain-finished",
        help="finished records (expired, released, cancelled) kept per namespace, vendor and "
        "kind, the most recent; older ones are pruned; `all` keeps every one (env "
        f"SANDBOX_RETAIN_FINISHED, default {DEFAULT_KEEP})",
    )
    p.add_argument(
        "--access-log",
        choices=("json", "off"),
        help="one JSON line per request on stderr (env SANDBOX_ACCESS_LOG, default off)",
    )
    p.add_argument(
        "--control-token",
        help="bearer token every /_sandbox call but health must carry (env SANDBOX_CONTROL_TOKEN)",
    )
    p.add_argument(
        "--control-origin",
        action="append",
        help="a browser origin (scheme://host:port) allowed to change state besides the "
        "sandbox's own, repeatable or comma-separated (env SANDBOX_CONTROL_ORIGINS)",
    )
    p.add_argument(
        "--cors-origins",
        action="append",
        help="browser origins (scheme://host:port, comma-separated, repeatable) whose pages may "
        "call the sandbox across origins (CORS); * allows any origin on vendor paths only; the "
        "control plane answers origins named, and its writes still need --control-origin "
        "(env SANDBOX_CORS_ORIGINS)",
    )
    p.add_argument(
        "--control-body-limit",
        type=int,
        help="largest /_sandbox request body in bytes (env SANDBOX_CONTROL_BODY_LIMIT, "
        "default 67108864)",
    )
    p.add_argument(
        "--read-cache-mb",
        type=int,
        help="MiB of encoded answers the cached vendor reads keep, server-wide; 0 turns the "
        "cache off (env SANDBOX_READ_CACHE_MB, default 64)",
    )
    p.add_argument(
        "--max-namespaces",
        type=int,
        help="namespaces held at once (env SANDBOX_MAX_NAMESPACES, default 1000)",
    )
    p.add_argument(
        "--namespace-idle",
        type=float,
        help="seconds a namespace must be unused before it may be evicted to make room for a "
        "new one at the cap (env SANDBOX_NAMESPACE_IDLE, default 600)",
    )
    p.add_argument(
        "--header-timeout",
        type=float,
        help="seconds a connection has to send a request's headers, from its opening or the end "
        "of its previous exchange; then it is closed (env SANDBOX_HEADER_TIMEOUT, default 10)",
    )
    p.add_argument(
        "--keep-alive-timeout",
        type=float,
        help="seconds an idle kept-alive connection stays open (env SANDBOX_KEEP_ALIVE_TIMEOUT, "
        "default 5)",
    )
    p.add_argument(
        "--shutdown-grace",
        type=float,
        help="seconds running requests get to finish on SIGTERM before they are cut "
        "(env SANDBOX_SHUTDOWN_GRACE, default 5)",
    )
    p.add_argument(
        "--signing-key",
        type=Path,
        help="PEM RSA private key (2048 bits or more, unencrypted) that signs the tokens and is "
        "published as the realm's JWKS; default: a key made at each start "
        "(env SANDBOX_SIGNING_KEY)",
    )
    return p
