"""The command line: `from_sources` reads the settings (core/settings.py) from
`booking-sandbox [serve]`'s flags (their parser: core/cli_flags.py), then environment
variables, then the defaults, and checks each one."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from booking_sandbox.core.cli_flags import parser
from booking_sandbox.core.clock import EARLIEST, LATEST, OutOfRange
from booking_sandbox.core.origins import browser_origin, cors_origin
from booking_sandbox.core.retention import parse_keep
from booking_sandbox.core.settings import Settings
from booking_sandbox.core.signing import SigningKey
from booking_sandbox.timefmt import parse_instant

MIB = 1024 * 1024


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
    read_cache = pick(args.read_cache_mb, "SANDBOX_READ_CACHE_MB")
    if read_cache is not None and not (read_cache.isdigit() and len(read_cache) < 7):
        p.error(f"--read-cache-mb / SANDBOX_READ_CACHE_MB takes MiB >= 0: {read_cache}")
    read_cache_bytes = int(read_cache) * MIB if read_cache else defaults.read_cache_bytes
    retain = pick(args.retain_finished, "SANDBOX_RETAIN_FINISHED")
    try:
        retain_finished = parse_keep(retain) if retain is not None else defaults.retain_finished
    except ValueError:
        p.error(f"--retain-finished / SANDBOX_RETAIN_FINISHED takes a count >= 0 or all: {retain}")
    snapshots = pick(args.catalog_snapshots, "SANDBOX_CATALOG_SNAPSHOTS") or "on"
    if snapshots not in ("on", "off"):
        p.error(f"SANDBOX_CATALOG_SNAPSHOTS takes on or off: {snapshots}")
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
            catalog_snapshots=snapshots == "on",
            seed=seed,
            start_time=start_time,
            log_level=pick(args.log_level, "SANDBOX_LOG_LEVEL") or defaults.log_level,
            journal_size=journal_size,
            read_cache_bytes=read_cache_bytes,
            retain_finished=retain_finished,
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
