"""Instants on the wire of the control plane: ISO 8601 in UTC, parsed strictly."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta


def format_instant(value: datetime) -> str:
    """`2025-01-29T07:55:53Z`, with microseconds only when there are some."""
    utc = value.astimezone(UTC)
    text = utc.isoformat(timespec="microseconds" if utc.microsecond else "seconds")
    return text.replace("+00:00", "Z")


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant with an offset (or `Z`); a naive one is taken as UTC."""
    if not isinstance(text, str) or not text:
        raise ValueError("expected an ISO 8601 date-time string")
    value = datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", text.upper()))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """ISO 8601 durations without years or months (their length depends on the calendar)."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if match is None or text in {"P", "PT", "-P", "-PT"} or text.endswith("T"):
        raise ValueError(f"not an ISO 8601 duration (PnWnDTnHnMnS): {text!r}")
    parts = {k: float(v) for k, v in match.groupdict().items() if v and k != "sign"}
    delta = timedelta(**parts)
    return -delta if match.group("sign") else delta
