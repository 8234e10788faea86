"""Instants on the wire of the control plane: ISO 8601 in UTC, parsed strictly."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache


def format_instant(value: datetime) -> str:
    """`2025-01-29T07:55:53Z`, with microseconds only when there are some."""
    utc = value.astimezone(UTC)
    text = utc.isoformat(timespec="microseconds" if utc.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def rfc3339(moment: datetime) -> str:
    """Symfony's DateTimeNormalizer default (Y-m-d\\TH:i:sP) in UTC: 2025-01-29T07:55:53+00:00."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with an offset (or `Z`); a naive one is taken as UTC."""
    if not isinstance(text, str) or not text:
        raise ValueError("expected an ISO 8601 date-time string")
    return _parse_instant(text)


# Cached: requests parse the same few instants again and again (a token's expiry on every
# authenticated call); datetimes are immutable, and a refused text raises every time.
@lru_cache(maxsize=4096)
def _parse_instant(text: str) -> datetime:
    iso = text.upper()
    if "." in iso:  # fromisoformat takes at most 6 fraction digits; RFC 3339 allows more
        iso = _LONG_FRACTION.sub(r"\1", iso)
    value = datetime.fromisoformat(iso)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{text!r} is outside the years 1 to 9999 in UTC") from None


# The same grammar as ClockAdvance.duration in schemas/control.openapi.json (ASCII digits).
_N = r"[0-9]+(?:\.[0-9]+)?"
_DURATION = re.compile(
    rf"^P(?!$)(?:(?P<weeks>{_N})W)?(?:(?P<days>{_N})D)?"
    rf"(?:T(?=[0-9])(?:(?P<hours>{_N})H)?(?:(?P<minutes>{_N})M)?(?:(?P<seconds>{_N})S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """ISO 8601 durations without years or months (their length depends on the calendar)."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"not an ISO 8601 duration (PnWnDTnHnMnS): {text!r}")
    return timedelta(**{k: float(v) for k, v in match.groupdict().items() if v})
