"""The server's settings and their checks. core/options.py reads them from flags, then
environment variables, then these defaults (the design's contract)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from booking_sandbox.core.clock import WallClock, system_wall
from booking_sandbox.core.origins import browser_origin, cors_origin
from booking_sandbox.core.paths import bundled
from booking_sandbox.core.retention import DEFAULT_KEEP

DEFAULT_SEED = 20250129


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    fixtures: Path = field(default_factory=lambda: bundled("fixtures"))
    schemas: Path = field(default_factory=lambda: bundled("schemas"))
    # Big catalog files that passed every check keep a checked snapshot, beside them or in
    # `snapshot_cache` (None: the user's cache directory), for fast starts
    # (core/catalog_snapshot.py).
    catalog_snapshots: bool = True
    snapshot_cache: Path | None = None
    seed: int = DEFAULT_SEED
    start_time: datetime | None = None
    max_namespaces: int = 1000
    log_level: str = "info"
    journal_size: int = 1000  # requests kept per namespace
    # Finished records (expired, released, cancelled) kept per namespace, vendor and kind, the
    # most recent first; older ones are pruned (core/retention.py). None: every one is kept.
    retain_finished: int | None = DEFAULT_KEEP
    # One JSON line per request (vendor or control plane) on `sandbox.access`: off unless asked for,
    # as formatting a line per request costs more than some whole requests.
    access_log: bool = False
    # Tests inject a fake wall clock; the server reads the machine's time through this only.
    wall: WallClock = system_wall
    # The control plane's lock: every /_sandbox call but health needs this bearer token.
    control_token: str | None = None
    # Browser origins allowed to change state besides the sandbox's own (cross-site writes,
    # control/guard.py); written as a browser sends them (core/origins.py), `*` refused.
    control_origins: tuple[str, ...] = ()
    # Browser origins that may call across origins (CORS, core/cors.py); `*`: any origin, on
    # vendor paths only. Empty: no CORS header at all. They grant no control-plane write.
    cors_origins: tuple[str, ...] = ()
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
    # Bytes of encoded answers the cached read routes keep, server-wide (core/readcache.py);
    # 0 turns the cache off.
    read_cache_bytes: int = 64 * 1024 * 1024
    # A PEM RSA private key for the JWTs the sandbox signs (an identity provider's realm key);
    # None: one is made at each start (core/signing.py).
    signing_key: Path | None = None

    def __post_init__(self) -> None:
        if self.control_token is not None and not TOKEN.fullmatch(self.control_token):
            # An empty one would let `Authorization: Bearer` through: a lock that is not one.
            raise ValueError(
                "the control token is 1 to 256 printable ASCII characters without spaces"
            )
        # Compared with a browser's `Origin`: normalised once, here (ValueError if no origin).
        origins = tuple(dict.fromkeys(browser_origin(o) for o in self.control_origins))
        object.__setattr__(self, "control_origins", origins)  # (frozen)
        cors = tuple(dict.fromkeys(cors_origin(o) for o in self.cors_origins))  # (ValueError)
        object.__setattr__(self, "cors_origins", cors)


TOKEN = re.compile(r"[\x21-\x7e]{1,256}")


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
