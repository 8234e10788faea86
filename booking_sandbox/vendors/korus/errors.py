"""Domain and namespace errors -> Korus's statuses, in API Platform's Error resource: the one
table for this vendor.

Korus handlers turn the refusals a client can cause into their own answers first (a hold that
does not fit is a `failedReservations` entry, an expired reservation seed 001's 422), so what
reaches this table is a sandbox limit or a bug.
"""

from __future__ import annotations

from booking_sandbox.core.namespace import NamespaceError, TooManyNamespaces
from booking_sandbox.engine.errors import DomainError
from booking_sandbox.vendors.korus.wire import KorusError

ACCESS_DENIED = "Access Denied."


def forbidden() -> KorusError:
    """API Platform's 403 when an operation's `security` refuses the item it read: the item
    exists but belongs to another organization (reference §7: reservation GET, offer price,
    order-item ticket GET and PATCH document it)."""
    return KorusError(403, ACCESS_DENIED)


def from_domain(exc: Exception) -> KorusError | None:
    """The vendor's error for `exc`, or None when it is not a domain or namespace error."""
    if isinstance(exc, TooManyNamespaces):
        # A sandbox limit, not a vendor behaviour: 429 as on /_sandbox, in the vendor's envelope.
        return KorusError(429, str(exc))
    if isinstance(exc, NamespaceError):
        return KorusError(400, str(exc))
    if isinstance(exc, DomainError):
        # The handler checked its inputs: any other engine refusal is a sandbox bug, answered
        # like API Platform's 500 rather than a traceback.
        return KorusError(500, "Internal Server Error")
    return None
