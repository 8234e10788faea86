"""Who may read what: API Platform reads the item, then its operation's `security` decides.

Korus documents a 403 ("Access Denied.", §7) on exactly these operations: reservation GET,
offer price GET, order-item ticket GET and PATCH. There the sandbox reads the item first (an
unknown id anywhere in the path is 404) and answers 403 when it is another organization's.
Every other operation keeps the 404 it documents or implies for another organization's
resource: catalogs and what hangs under them, order GET, order documents (docs/vendors/korus.md).
"""

from __future__ import annotations

from booking_sandbox.vendors.korus import store
from booking_sandbox.vendors.korus.errors import forbidden
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.records import Order, OrderItem, OrderTicket
from booking_sandbox.vendors.korus.wire import not_found


def check_offer_price(call: Call, catalog_id: str, offer_id: str) -> None:
    """403 for an offer on sale in another organization's catalog; the handler's own lookup
    then answers 404 for what does not exist (or is not on sale, which clients never see)."""
    catalog = call.catalog.catalogs.get(catalog_id)
    if catalog is None or catalog["organization"] == call.organization:
        return
    if any(o["id"] == offer_id and o["onSale"] for o in catalog["offers"]):
        raise forbidden()


def order_ticket(
    call: Call, order_id: str, item_id: str, ticket_id: str
) -> tuple[Order, OrderItem, OrderTicket]:
    """The ticket the path names: 404 when any of the three is unknown, 403 when it exists
    but its order is another organization's."""
    order = store.orders(call.space).get(order_id)
    if order is None:
        raise not_found()
    item = store.by_id(order["items"], item_id)
    ticket = store.by_id(item["tickets"], ticket_id)
    if order["organization"] != call.organization:
        raise forbidden()
    return order, item, ticket
