"""The three vendors as the QA plane sees them: which paths, whose namespace, which envelope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.runtime import Sandbox
from booking_sandbox.vendors.booqable import routes as booqable_routes
from booking_sandbox.vendors.booqable import traffic as booqable
from booking_sandbox.vendors.korus import traffic as korus
from booking_sandbox.vendors.pontcentral import routes as pontcentral_routes
from booking_sandbox.vendors.pontcentral import traffic as pontcentral


@dataclass(frozen=True)
class VendorTraffic:
    name: str
    owns: Callable[[str], bool]
    # The request's namespace by the contract's order, read without side effects.
    namespace_hint: Callable[[Sandbox, Request, bytes], str]
    # A faulted answer (status, optional detail) in the vendor's own error envelope.
    fault_response: Callable[[Request, int, str | None], Response]


VENDORS = (
    VendorTraffic("korus", korus.owns, korus.namespace_hint, korus.fault_response),
    VendorTraffic(
        "pontcentral",
        pontcentral_routes.owns,
        pontcentral.namespace_hint,
        pontcentral.fault_response,
    ),
    VendorTraffic(
        "booqable", booqable_routes.owns, booqable.namespace_hint, booqable.fault_response
    ),
)


def vendor_of(path: str) -> VendorTraffic | None:
    for vendor in VENDORS:  # (a plain loop: this runs for every request, control plane too)
        if vendor.owns(path):
            return vendor
    return None
