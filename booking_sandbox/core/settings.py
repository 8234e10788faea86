"""Settings from flags, then environment variables, then defaults (the design's contract)."""

from __future__ import annotations

import argparse
import ipaddress
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from booking_sandbox.core.clock import EARLIEST, LATEST, OutOfRange, WallClock, system_wall
from booking_sandbox.core.paths import bundled
from booking_sandbox.core.signing import SigningKey
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
    # The control plane's lock: every /_sandbox call but health needs this bearer token.
    control_token: str | None = None
    # Browser origins allowed to change state besides the sandbox's own (cross-site writes).
    control_origins: tuple[str, ...] = ()
    control_body_limit: int = 64 * 1024 * 1024  # bytes of a /_sandbox request body; 413 beyond
    # Past the cap, the least recently used namespace idle this long (wall clock) makes room.
    namespace_idle: float = 600.0
    # Connection timeouts, in seconds (booking_sandbox/serving.py): a request's headers must be
    # in this long after the connection opens or its previous exchange ends; an idle kept-alive
    # connection closes after `keep_alive_timeout`; on SIGTERM, requests still running after
    # `shutdown_grace` (parked by a latency fault) are cut: within `docker stop`'s 10 s.
    header_timeout: float = 10.0
    keep_alive_timeout: float = 5.0
    shutdown_grace: float = 5.0
    # A PEM RSA private key for the JWTs the sandbox signs (an identity provider's realm key);
    # None: one is made at each start (core/signing.py).
    signing_key: Path | None = None

    def __post_init__(self) -> None:
        if self.control_token is not None and not TOKEN.fullmatch(self.control_token):
            # An empty one would let `Authorization: Bearer` through: a lock that is not one.
            raise ValueError(
                "the control token is 1 to 256 printable ASCII characters without spaces"
            )
        # Compared with a browser's `Origin` on every control-plane write: normalised once.
        origins = tuple(normal_origin(o) for o in self.control_origins)
        object.__setattr__(self, "control_origins", origins)  # (frozen)


TOKEN = re.compile(r"[\x21-\x7e]{1,256}")


def normal_origin(origin: str) -> str:
    """`HTTP://Host:1/` and `http://host:1` are one origin."""
    return origin.strip().rstrip("/").lower()


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
    p.add_argument(
        "--control-token",
        help="bearer token every /_sandbox call but health must carry (env SANDBOX_CONTROL_TOKEN)",
    )
    p.add_argument(
        "--control-origin",
        action="append",
        help="a browser origin allowed to change state besides the sandbox's own, repeatable "
        "(env SANDBOX_CONTROL_ORIGINS, comma-separated)",
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
    origins = tuple(args.control_origin or ()) or tuple(
        o.strip() for o in env.get("SANDBOX_CONTROL_ORIGINS", "").split(",") if o.strip()
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
    fixtures = pick(args.fixtures, "SANDBOX_FIXTURES")
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
            fixtures=Path(fixtures) if fixtures else defaults.fixtures,
            seed=seed,
            start_time=start_time,
            log_level=pick(args.log_level, "SANDBOX_LOG_LEVEL") or defaults.log_level,
            journal_size=journal_size,
            access_log=access_log == "json",
            control_token=token,
            control_origins=origins,
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


def exposure_warning(settings: Settings) -> str | None:
    """What to say at start-up when anyone on the network could drive the control plane."""
    if settings.control_token is not None or _is_loopback(settings.host):
        return None
    return (
        f"warning: serving on {settings.host} without a control token: anyone who can reach "
        "the port can reset, rewrite or read every namespace through /_sandbox; set "
        "--control-token (env SANDBOX_CONTROL_TOKEN) unless this network is yours alone"
    )


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve to anything
