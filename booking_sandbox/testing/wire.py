"""What the client modules share: JSON aliases and how values go on the wire."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

Json = dict[str, Any]
JsonList = list[dict[str, Any]]  # module level: `Faults.list` would shadow `list` in the class


def instant(value: datetime | str) -> str:
    """ISO 8601 in UTC with a `Z`; text goes as given."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:  # the server reads a naive instant as UTC; say so explicitly
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def drop_none(**values: Any) -> Json:
    return {k: v for k, v in values.items() if v is not None}
