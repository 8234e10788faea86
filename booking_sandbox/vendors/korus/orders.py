"""POST /v1/booking/orders/_bulk, GET /v1/booking/orders[/{id}] (reference §6.1-6.3).

An order turns one live reservation into confirmed tickets: the engine confirms its holds, each
unit of each offer ticket becomes a ticket with a 16-digit voucher, `occursAt` and its seat.
An expired reservation fails the whole request with seed 001's 422; an unknown or already
ordered one goes to `failedOrders` while the others succeed. A magic customer email or
external reference (magic.py) sends every live reservation to `failedOrders` instead.
A string that is not a reservation IRI at all is API Platform's 400 `Invalid IRI` (iris.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from starlette.responses import Response

from booking_sandbox.engine.errors import HoldExpired
from booking_sandbox.timefmt import parse_instant, rfc3339
from booking_sandbox.vendors.korus import hydra, inputs, magic, store
from booking_sandbox.vendors.korus.holds import is_expired
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.inputs import iri_id, money
from booking_sandbox.vendors.korus.iris import RESERVATION, reservation_id
from booking_sandbox.vendors.korus.order_views import bulk_output, order_document
from booking_sandbox.vendors.korus.records import (
    HeldTicket,
    Order,
    OrderItem,
    OrderTicket,
    Reservation,
)
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import KorusError, Violation, respond

ORDERS = "/v1/booking/orders"
CUSTOMER_TEXT = ("firstname", "lastname", "email", "phone", "country", "language", "title")


async def create_bulk(call: Call) -> Response:
    body = await call.json()
    wanted = _validated(body)
    failed: list[Record] = []
    live: list[Reservation] = []
    expired: list[Violation] = []
    seen: set[str] = set()
    rejected = _rejected(wanted)
    for index, iri in enumerate(wanted["reservations"]):
        match = iri_id(iri, RESERVATION)
        reservation = store.reservations(call.space).get(match["id"]) if match else None
        if reservation is None or reservation["organization"] != call.organization:
            failed.append({"message": "Reservation not found", "reservation": iri})
        elif reservation["order"] is not None or reservation["id"] in seen:
            # Named twice in one call: the second one would order it again.
            failed.append({"message": "Reservation already ordered", "reservation": iri})
        elif reservation["cancelled"]:
            failed.append({"message": "Reservation has been released", "reservation": iri})
        elif is_expired(call, reservation):
            violation = Violation(
                f"reservations[{index}].expired", _expired_message(call), inputs.EXPIRED
            )
            expired.append(violation)
        elif rejected:  # magic value: refused downstream, its holds left as they are
            failed.append({"message": magic.ORDER_REJECTED_MESSAGE, "reservation": iri})
        else:
            live.append(reservation)
            seen.add(reservation["id"])
    if expired:  # the synchronous consistency check: nothing is ordered
        raise KorusError.unprocessable(expired)
    holds = [a for reservation in live for a in store.allocation_ids(reservation)]
    try:
        call.space.inventory.confirm(holds)  # every hold becomes a sold ticket, or none does
    except HoldExpired:  # one ran out between the check and now: the same 422, nothing ordered
        raise KorusError.unprocessable(
            [
                Violation(f"reservations[{i}].expired", _expired_message(call), inputs.EXPIRED)
                for i, iri in enumerate(wanted["reservations"])
                if (m := iri_id(iri, RESERVATION)) and m["id"] in {r["id"] for r in live}
            ]
        ) from None
    made = [_order(call, reservation, wanted) for reservation in live]
    return respond(bulk_output(call, made, failed), base_url=call.base_url)


async def get_order(call: Call) -> Response:
    order = own_order(call, call.request.path_params["id"])
    document = {"@context": "/contexts/BookingOrder", **order_document(call, order)}
    return respond(document, base_url=call.base_url)


async def list_orders(call: Call) -> Response:
    page = hydra.page_of(call.request)
    query = call.request.query_params
    mine = [o for o in store.orders(call.space).values() if o["organization"] == call.organization]
    references = query.getlist("external_reference")
    if references:
        # The documented parameter pattern ^.{1,50}$; an array (repeated key) cannot match it.
        if len(references) > 1 or not 1 <= len(references[0]) <= 50:
            raise KorusError.unprocessable(
                [Violation("external_reference", "This value is not valid.", inputs.REGEX)]
            )
        mine = [o for o in mine if o["externalReference"] == references[0]]
    for bound, keep in hydra.DATE_BOUNDS.items():
        text = query.get(f"createdAt[{bound}]")
        if text is None:
            continue
        try:
            edge = parse_instant(text)
        except ValueError:
            continue  # API Platform's DateFilter ignores a value it cannot read
        mine = [o for o in mine if keep(parse_instant(o["createdAt"]), edge)]
    mine.sort(key=lambda o: o["createdAt"], reverse=hydra.descending(call.request, "createdAt"))
    members = [order_document(call, o) for o in page.slice(mine)]
    search = hydra.search(
        ORDERS,
        [
            ("external_reference", "externalReference"),
            ("order[createdAt]", "createdAt"),
            ("createdAt[before]", "createdAt"),
            ("createdAt[strictly_before]", "createdAt"),
            ("createdAt[after]", "createdAt"),
            ("createdAt[strictly_after]", "createdAt"),
        ],
    )
    document = hydra.collection(call.request, "BookingOrder", members, len(mine), page, search)
    return respond(document, base_url=call.base_url)


def own_order(call: Call, ident: str) -> Order:
    return store.owned(store.orders(call.space), ident, call.organization)


def _validated(body: Record) -> Record:
    iris = body.get("reservations")
    if isinstance(iris, dict):  # PHP decodes a JSON object to the same array
        iris = list(iris.values())
    if iris is not None and (
        not isinstance(iris, list) or not all(isinstance(i, str) for i in iris)
    ):
        raise inputs.type_error("reservations", "array", iris)
    customer = body.get("customer")
    if customer == []:  # PHP decodes [] and {} to the same empty array
        customer = {}
    if customer is not None and not isinstance(customer, dict):
        raise inputs.type_error("customer", "array", customer)
    customer = customer or {}
    for name in CUSTOMER_TEXT:
        if customer.get(name) is not None and not isinstance(customer[name], str):
            raise inputs.type_error(name, "string", customer[name])
    if customer.get("optin") is not None and not isinstance(customer["optin"], bool):
        raise inputs.type_error("optin", "bool", customer["optin"])
    for name in ("externalReference", "notes"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise inputs.type_error(name, "string", body[name])
    for iri in iris or []:  # a malformed IRI is a 400; an unknown reservation, failedOrders
        reservation_id(iri)
    violations: list[Violation] = []
    if not iris:
        violations.append(inputs.blank("reservations"))
    for name in ("firstname", "lastname", "email"):
        if not customer.get(name):
            violations.append(inputs.blank(f"customer.{name}"))
    violations += inputs.title("customer.title", customer.get("title"))
    reference = body.get("externalReference")
    if reference is not None and len(reference) > 255:
        violations.append(
            Violation(
                "externalReference",
                "This value is too long. It should have 255 characters or less.",
                inputs.TOO_LONG,
            )
        )
    if violations:
        raise KorusError.unprocessable(violations)
    return {
        "reservations": iris,
        "customer": {
            "firstname": customer["firstname"],
            "lastname": customer["lastname"],
            "email": customer["email"],
            "phone": customer.get("phone"),
            "optin": bool(customer.get("optin", False)),
            "country": customer.get("country"),
            "language": customer.get("language"),
            "title": customer.get("title"),
        },
        "externalReference": reference,
        "notes": body.get("notes"),
    }


def _rejected(wanted: Record) -> bool:
    """The magic values that make the ticketing sub-system reject the whole order."""
    email = str(wanted["customer"]["email"]).casefold()
    return (
        email == magic.ORDER_REJECTED_EMAIL
        or wanted["externalReference"] == magic.ORDER_REJECTED_REFERENCE
    )


def _expired_message(call: Call) -> str:
    # Written once; the error response gives it in the client's language (messages.py).
    return "The reservation has expired"


def _order(call: Call, reservation: Reservation, wanted: Record) -> Order:
    """The order of a reservation whose holds are already confirmed."""
    ids = call.space.ids
    catalog = call.catalog.catalogs[reservation["catalog"]]
    offers = {o["id"]: o for o in catalog["offers"]}
    order_id = ids.uuid7(call.now)
    items: list[OrderItem] = []
    for item in reservation["items"]:
        offer = offers[item["offer"]]
        item_id = ids.uuid7(call.now)
        tickets: list[OrderTicket] = []
        for unit in range(item["quantity"]):
            for held in item["tickets"]:
                tickets.append(_ticket(call, offer, held, unit))
        total_incl = Decimal(item["unitAmountInclTax"]) * item["quantity"]
        total_excl = Decimal(item["unitAmountExclTax"]) * item["quantity"]
        items.append(
            {
                "id": item_id,
                "offer": item["offer"],
                "product": item["product"],
                "quantity": item["quantity"],
                "date": item["date"],
                "unitAmountInclTax": item["unitAmountInclTax"],
                "unitAmountExclTax": item["unitAmountExclTax"],
                "totalAmountInclTax": money(total_incl),
                "totalAmountExclTax": money(total_excl),
                "tickets": tickets,
            }
        )
    order: Order = {
        "id": order_id,
        "organization": call.organization,
        "catalog": reservation["catalog"],
        "reservation": reservation["id"],
        "createdAt": rfc3339(call.now),
        # `KT-ORD-` + 13 upper-case hex characters, as in the book-a-ticket example.
        "reference": f"KT-ORD-{ids.hex(13).upper()}",
        "externalReference": wanted["externalReference"],
        "connectorReference": ids.digits(4),
        "totalAmountInclTax": reservation["totalAmountInclTax"],
        "totalAmountExclTax": reservation["totalAmountExclTax"],
        "customer": wanted["customer"],
        "status": "confirmed",
        "cancelledAt": None,
        "notes": wanted["notes"],
        "items": items,
        "documents": [{"id": ids.uuid7(call.now), "downloadableAt": rfc3339(call.now)}],
    }
    reservation["order"] = order_id
    store.orders(call.space)[order_id] = order
    return order


def _ticket(call: Call, offer: Record, held: HeldTicket, unit: int) -> OrderTicket:
    ticket = next(t for t in offer["tickets"] if t["id"] == held["ticket"])
    session = next((s for s in ticket["sessions"] if s["id"] == held["session"]), None)
    seats = held.get("seats") or []
    seat: Any = None
    if session is not None and unit < len(seats):
        seat = call.catalog.seats[session["id"]][seats[unit]]
    required = list(ticket.get("requiredBeneficiaryFields", []))
    return {
        "id": call.space.ids.uuid7(call.now),
        "offerTicket": ticket["id"],
        "session": held["session"],
        "allocation": held["allocation"],
        "voucher": call.space.ids.digits(16),
        "occursAt": session["startsAt"] if session else None,
        "requiredBeneficiaryFields": required,
        "beneficiary": None,
        "beneficiaryDesignationDeadline": ticket.get("beneficiaryDesignationDeadline"),
        "beneficiaryAmendable": ticket.get("beneficiaryAmendable", True),
        "seat": seat,
    }
