"""Pont Central magic request values: a `resellerReference` that answers the vendor's 409 or 500.

The handlers read these constants; `MAGIC` (their rows of `GET /_sandbox/magic`) is built
from the same constants.
"""

from __future__ import annotations

from booking_sandbox.vendors.adapter import magic_entry

CONFLICT_REFERENCE = "SANDBOX-409"
SERVER_ERROR_REFERENCE = "SANDBOX-500"

_409 = '409 CONFLICT "Resource not available for requested slot"'
_500 = '500 INTERNAL_SERVER_ERROR "Server error"'
_CREATE = "; nothing is stored, no stock is taken, no booking number is spent"
_UPDATE = "; the booking and its stock stay as they were"
_FIELD = "resellerReference"

MAGIC = (
    magic_entry(
        "pontcentral", "pontcentral.booking-create", _FIELD, CONFLICT_REFERENCE, _409 + _CREATE
    ),
    magic_entry(
        "pontcentral", "pontcentral.booking-create", _FIELD, SERVER_ERROR_REFERENCE, _500 + _CREATE
    ),
    magic_entry(
        "pontcentral",
        "pontcentral.booking",
        _FIELD,
        CONFLICT_REFERENCE,
        f"PUT (update): {_409}{_UPDATE}",
    ),
    magic_entry(
        "pontcentral",
        "pontcentral.booking",
        _FIELD,
        SERVER_ERROR_REFERENCE,
        f"PUT (update): {_500}{_UPDATE}",
    ),
)
