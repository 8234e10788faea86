"""The vendor registry: the one place that names the vendor packages.

Everything outside `vendors/` reaches a vendor through its `Vendor` object, taken from the
running app (`vendors_of`) or from `VENDORS` where no app exists (the CLI's `generate`).
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from booking_sandbox.vendors import booqable, korus, pontcentral
from booking_sandbox.vendors.adapter import Vendor, owner

VENDORS: tuple[Vendor, ...] = (korus.VENDOR, pontcentral.VENDOR, booqable.VENDOR)


def vendors_of(connection: HTTPConnection) -> tuple[Vendor, ...]:
    """The vendors the running app serves (`create_app(vendors=...)`, VENDORS by default)."""
    vendors: tuple[Vendor, ...] = connection.app.state.vendors
    return vendors


__all__ = ["VENDORS", "Vendor", "owner", "vendors_of"]
