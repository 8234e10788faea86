"""Vendor adapters: each translates its wire format to engine calls and back."""

from sandbox.vendors.booqable.inventory import BOOQABLE
from sandbox.vendors.catalog import VendorCatalog
from sandbox.vendors.korus.inventory import KORUS
from sandbox.vendors.pontcentral.inventory import PONTCENTRAL

VENDOR_CATALOGS: tuple[VendorCatalog, ...] = (KORUS, PONTCENTRAL, BOOQABLE)

__all__ = ["VENDOR_CATALOGS", "VendorCatalog"]
