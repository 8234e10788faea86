"""Vendor adapters: each translates its wire format to engine calls and back."""

from booking_sandbox.vendors.booqable.inventory import BOOQABLE
from booking_sandbox.vendors.catalog import VendorCatalog
from booking_sandbox.vendors.korus.inventory import KORUS
from booking_sandbox.vendors.pontcentral.inventory import PONTCENTRAL

VENDOR_CATALOGS: tuple[VendorCatalog, ...] = (KORUS, PONTCENTRAL, BOOQABLE)

__all__ = ["VENDOR_CATALOGS", "VendorCatalog"]
