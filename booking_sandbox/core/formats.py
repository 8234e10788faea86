"""JSON Schema format checks used everywhere: strict RFC 3339 `date-time` and `date`.

jsonschema only checks these when optional packages are installed; without them a format is
silently accepted, so the sandbox registers its own (no extra dependency).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from jsonschema import FormatChecker

_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats only constrain strings
    if not _DATE_TIME.match(value):
        return False
    # fromisoformat takes at most 6 fraction digits; RFC 3339 allows more.
    text = re.sub(r"(\.\d{6})\d+", r"\1", value.upper().replace("Z", "+00:00"))
    datetime.fromisoformat(text)
    return True


@FORMATS.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        return False
    date.fromisoformat(value)
    return True
