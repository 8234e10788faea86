"""The command line: `booking-sandbox [serve]`'s flags, and `from_sources`, which reads the
settings (core/settings.py) from them, then environment variables, then the defaults."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from booking_sandbox import __version__
from booking_sandbox.core.clock import EARLIEST, LATEST, OutOfRange
from booking_sandbox.core.origins import browser_origin, cors_origin
from booking_sandbox.core.settings import DEFAULT_SEED, Settings
from booking_sandbox.core.signing import SigningKey
from booking_sandbox.timefmt import parse_instant

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


def _seconds(
    p: argparse.ArgumentParser, given: str | None, flag: str, default: float, *, zero: bool
) -> float:
    """A finite duration from a flag or env var: above 0, or also 0 where `zero` allows it."""
    if given is None:
        return default
    try:
        value = float(given)
    except ValueError:
        p.error(f"{flag} takes seconds: {given}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
        p.error(f"{flag} must be a finite number of seconds {'>= 0' if zero else '> 0'}: {given}")
    return value


def _origins(
    p: argparse.ArgumentParser,
    flags: list[str] | None,
    env_value: str,
    parse: Callable[[str], str],
    source: str,
) -> tuple[str, ...]:
    """The flags' origins (each comma-separated), else the variable's; checked here, so that a
    mistake (`localhost:3000`, a path) stops the start instead of matching no browser."""
    given = [o.strip() for value in (flags or [env_value]) for o in value.split(",") if o.strip()]
    try:
        return tuple(parse(o) for o in given)
    except ValueError as exc:
        p.error(f"{source}: {exc}")


def fixtures_directory(flag: Path | None = None, env: Mapping[str, str] = os.environ) -> Path:
    """The fixtures the server loads: the flag's, else SANDBOX_FIXTURES, else the bundled ones
    (`validate` checks the same directory without the server's other settings)."""
    chosen = flag if flag is not None else env.get("SANDBOX_FIXTURES")
    return Path(chosen) if chosen else Settings().fixtures


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
        body_limit = int(
            pick(args.control_body_limit, "SANDBOX_CONTROL_BODY_LIMIT")
            or defaults.control_body_limit
        )
        max_namespaces = int(
            pick(args.max_namespaces, "SANDBOX_MAX_NAMESPACES") or defaults.max_namespaces
        )
    except ValueError as exc:
        p.error(
            "SANDBOX_PORT, SANDBOX_SEED, SANDBOX_JOURNAL_SIZE, SANDBOX_CONTROL_BODY_LIMIT and "
            f"SANDBOX_MAX_NAMESPACES take integers: {exc}"
        )
    idle = _seconds(
        p,
        pick(args.namespace_idle, "SANDBOX_NAMESPACE_IDLE"),
        "--namespace-idle / SANDBOX_NAMESPACE_IDLE",
        defaults.namespace_idle,
        zero=True,
    )
    if body_limit < 1024:
        p.error(f"--control-body-limit must be >= 1024: {body_limit}")
    if max_namespaces < 1:
        p.error(f"--max-namespaces must be >= 1: {max_namespaces}")
    origins = _origins(
        p,
        args.control_origin,
        env.get("SANDBOX_CONTROL_ORIGINS", ""),
        browser_origin,
        "--control-origin / SANDBOX_CONTROL_ORIGINS",
    )
    cors = _origins(
        p,
        args.cors_origins,
        env.get("SANDBOX_CORS_ORIGINS", ""),
        cors_origin,
        "--cors-origins / SANDBOX_CORS_ORIGINS",
    )
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
        if start_time is not None and not EARLIEST <= start_time <= LATEST:
            raise OutOfRange(start_time)
    except (ValueError, OverflowError) as exc:
        p.error(f"--start-time / SANDBOX_START_TIME: {exc}")
    header_timeout = _seconds(
        p,
        pick(args.header_timeout, "SANDBOX_HEADER_TIMEOUT"),
        "--header-timeout / SANDBOX_HEADER_TIMEOUT",
        defaults.header_timeout,
        zero=False,
    )
    keep_alive_timeout = _seconds(
        p,
        pick(args.keep_alive_timeout, "SANDBOX_KEEP_ALIVE_TIMEOUT"),
        "--keep-alive-timeout / SANDBOX_KEEP_ALIVE_TIMEOUT",
        defaults.keep_alive_timeout,
        zero=False,
    )
    shutdown_grace = _seconds(
        p,
        pick(args.shutdown_grace, "SANDBOX_SHUTDOWN_GRACE"),
        "--shutdown-grace / SANDBOX_SHUTDOWN_GRACE",
        defaults.shutdown_grace,
        zero=True,
    )
    token = pick(args.control_token, "SANDBOX_CONTROL_TOKEN")
    signing_key = pick(args.signing_key, "SANDBOX_SIGNING_KEY")
    if signing_key is not None:
        try:  # here rather than at the first token request: a bad key stops the start
            SigningKey.from_pem(Path(signing_key).read_bytes())
        except (OSError, ValueError) as exc:
            p.error(f"--signing-key / SANDBOX_SIGNING_KEY: {signing_key}: {exc}")
    try:
        return Settings(
            host=pick(args.host, "SANDBOX_HOST") or defaults.host,
            port=port,
            fixtures=fixtures_directory(args.fixtures, env),
            seed=seed,
            start_time=start_time,
            log_level=pick(args.log_level, "SANDBOX_LOG_LEVEL") or defaults.log_level,
            journal_size=journal_size,
            access_log=access_log == "json",
            control_token=token,
            control_origins=origins,
            cors_origins=cors,
            control_body_limit=body_limit,
            max_namespaces=max_namespaces,
            namespace_idle=idle,
            header_timeout=header_timeout,
            keep_alive_timeout=keep_alive_timeout,
            shutdown_grace=shutdown_grace,
            signing_key=Path(signing_key) if signing_key else None,
        )
    except ValueError as exc:  # (the token: Settings says what a token must be)
        p.error(f"--control-token / SANDBOX_CONTROL_TOKEN: {exc}")
