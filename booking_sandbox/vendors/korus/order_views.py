"""BookingOrder documents: the key order of the real order (§6.2) and of seed 000's fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from booking_sandbox.vendors.korus.contexts import anonymous_context
from booking_sandbox.vendors.korus.records import Order, OrderItem, OrderTicket
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import genid

if TYPE_CHECKING:
    from booking_sandbox.vendors.korus.http import Call

CATALOGS = "/v1/ticketing/catalogs"
SEAT_FIELDS = ("seatNumber", "level", "row", "stand", "stair", "gate")


def offer_iri(catalog: str, offer: str) -> str:
    return f"{CATALOGS}/{catalog}/offers/{offer}"


def offer_ticket_links(catalog: str, offer: str, ticket: str, session: str | None) -> Record:
    """`ticket`, then `session` only when one was chosen: seed 001's reservation writes no
    `session` key for a ticket without one, and reservations and orders write it alike."""
    iri = f"{offer_iri(catalog, offer)}/tickets/{ticket}"
    links: Record = {"ticket": iri}
    if session:
        links["session"] = f"{iri}/sessions/{session}"
    return links


def seating(rng: Any, seat: Record | None) -> Record | None:
    """The seat a place holds, a TicketSeating blank node (seed 001's order), or null."""
    if not seat:
        return None
    return {"@type": "TicketSeating", "@id": genid(rng), **{k: seat.get(k) for k in SEAT_FIELDS}}


def bulk_output(call: Call, made: list[Order], failed: list[Record]) -> dict[str, Any]:
    """CreateOrderBulkOutput; like the example, `failedOrders` only when something failed."""
    rng = call.space.ids.random
    terms = ["orders", "failedOrders"] if failed else ["orders"]
    context = anonymous_context("CreateOrderBulkOutput", terms, call.base_url)
    document: dict[str, Any] = {
        "@context": context,
        "@type": "CreateOrderBulkOutput",
        "@id": genid(rng),
        "orders": [order_document(call, order) for order in made],
    }
    if failed:
        document["failedOrders"] = failed  # {message, reservation}, as seed 000 lists them
    return document


def order_iri(order: Order) -> str:
    return f"/v1/booking/orders/{order['id']}"


def ticket_iri(order: Order, item: OrderItem, ticket: OrderTicket) -> str:
    return f"{order_iri(order)}/items/{item['id']}/tickets/{ticket['id']}"


def order_document(call: Call, order: Order) -> dict[str, Any]:
    rng = call.space.ids.random
    catalog = order["catalog"]
    customer = order["customer"]
    return {
        "@id": order_iri(order),
        "@type": "BookingOrder",
        "id": order["id"],
        "createdAt": order["createdAt"],
        "catalog": f"{CATALOGS}/{catalog}",
        "organization": f"/v1/organizations/{order['organization']}",
        "reference": order["reference"],
        "externalReference": order["externalReference"],
        "connectorReference": order["connectorReference"],
        "totalAmountInclTax": order["totalAmountInclTax"],
        "totalAmountExclTax": order["totalAmountExclTax"],
        "reservation": f"/v1/booking/reservations/{order['reservation']}",
        "customer": {"@type": "OrderCustomer", "@id": genid(rng), **customer},
        "status": order["status"],
        "cancelledAt": order["cancelledAt"],
        "notes": order["notes"],
        "items": [
            {
                "@type": "OrderItem",
                "@id": genid(rng),
                "unitAmountInclTax": item["unitAmountInclTax"],
                "unitAmountExclTax": item["unitAmountExclTax"],
                "quantity": item["quantity"],
                "totalAmountInclTax": item["totalAmountInclTax"],
                "totalAmountExclTax": item["totalAmountExclTax"],
                "id": item["id"],
                "amountInclTax": item["totalAmountInclTax"],
                "amountExclTax": item["totalAmountExclTax"],
                "date": item["date"],
                "product": f"{CATALOGS}/{catalog}/products/{item['product']}",
                "tickets": [
                    {
                        "@type": "OrderItemTicketResource",
                        **ticket_document(call, order, item, ticket),
                    }
                    for ticket in item["tickets"]
                ],
            }
            for item in order["items"]
        ],
        "documents": [f"{order_iri(order)}/documents/{d['id']}" for d in order["documents"]],
    }


def ticket_status(ticket: OrderTicket) -> str:
    """Waiting until every required beneficiary field is set."""
    beneficiary = ticket["beneficiary"] or {}
    missing = [f for f in ticket["requiredBeneficiaryFields"] if not beneficiary.get(f)]
    return "waiting_beneficiary_data" if missing else "validated"


def ticket_document(
    call: Call, order: Order, item: OrderItem, ticket: OrderTicket
) -> dict[str, Any]:
    """A ticket's own fields (seed 000's order), from @id on: embedded or top level.

    The links back to the offer ticket and session (seed 001's order shows `ticket` after the
    blank node's `@id`; the real order of §6.2, cut off after `occursAt`, has `id` there) sit
    between `id` and `voucher`, so both examples' keys come in their order."""
    beneficiary = ticket["beneficiary"]
    return {
        "@id": ticket_iri(order, item, ticket),
        "id": ticket["id"],
        **offer_ticket_links(
            order["catalog"], item["offer"], ticket["offerTicket"], ticket["session"]
        ),
        "voucher": ticket["voucher"],
        "occursAt": ticket["occursAt"],
        "requiredBeneficiaryFields": ticket["requiredBeneficiaryFields"],
        # A plain object, as the 1.0.19 example writes it (1.0.4's had @context/@id/@type).
        "beneficiary": dict(beneficiary) if beneficiary else None,
        "beneficiaryDesignationDeadline": ticket["beneficiaryDesignationDeadline"],
        "beneficiaryAmendable": ticket["beneficiaryAmendable"],
        "status": ticket_status(ticket),
        "seating": seating(call.space.ids.random, ticket["seat"]),
    }
