"""One field, one shape (issue 16, items 1 and 6).

An order's tickets link back to the offer ticket (`ticket`, as seed 001's order shows it) and
to the chosen session (`session`, only when one was chosen), after their own `id`. A
reservation reads the same through GET as in the bulk answer: every key the bulk answer has,
with the same value, in the same order; GET adds only the fields §5.2's schema lists and seed
001's example does not (`@context`, `catalog`, the line amounts and `date`, `seating`, the
state fields).
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import ROOT
from tests.korus.conftest import (
    DAY_TICKET,
    SHOW,
    SHOW_TICKET,
    SMALL,
    Client,
    multi_item,
    seed_item,
)
from tests.korus.test_tickets_documents import book, reserve, tickets_of

TICKET_KEYS = [
    "@type",
    "@id",
    "id",
    "ticket",
    "session",
    "voucher",
    "occursAt",
    "requiredBeneficiaryFields",
    "beneficiary",
    "beneficiaryDesignationDeadline",
    "beneficiaryAmendable",
    "status",
    "seating",
]
SESSIONLESS_TICKET_KEYS = [k for k in TICKET_KEYS if k != "session"]
# What GET may add to the bulk rendering, level by level (§5.2's schema, not in seed 001).
READ_ONLY = {
    "reservation": {"@context", "catalog", "seatsArrangement", "releasable", "status"},
    "item": {"amountInclTax", "amountExclTax", "date"},
    "offerTicket": {"seating"},
}
GENID = "/.well-known/genid/"


def is_genid(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(GENID)


def same_shape(bulk: dict[str, Any], read: dict[str, Any], level: str) -> None:
    """Every bulk key is in GET, in the same order, with the same value (blank node ids
    aside: each rendering draws its own); GET's other keys are the ones it may add."""
    assert [k for k in read if k in bulk] == list(bulk), level
    assert set(read) - set(bulk) == READ_ONLY[level], level
    for key, value in bulk.items():
        if key == "@id" and is_genid(value):
            assert is_genid(read[key])
        elif key == "items":
            assert len(read[key]) == len(value)
            for ours, theirs in zip(value, read[key], strict=True):
                same_shape(ours, theirs, "item")
        elif key == "offerTickets":
            assert len(read[key]) == len(value)
            for ours, theirs in zip(value, read[key], strict=True):
                same_shape(ours, theirs, "offerTicket")
        else:
            assert read[key] == value, (level, key)


# ----- item 1: order tickets link back to what was reserved --------------------------------


def test_order_tickets_carry_the_offer_ticket_and_the_chosen_session(korus: Client) -> None:
    made = book(korus, seed_item())
    day, show = tickets_of(made)
    assert list(day) == SESSIONLESS_TICKET_KEYS  # no session chosen: no `session` key
    assert list(show) == TICKET_KEYS
    assert day["ticket"] == DAY_TICKET
    assert (show["ticket"], show["session"]) == (SHOW_TICKET, SHOW)
    # GET of the order and of each ticket say the same.
    fetched = tickets_of(korus.get(made["@id"]).json())
    assert [(t["@id"], t["ticket"], t.get("session")) for t in fetched] == [
        (day["@id"], DAY_TICKET, None),
        (show["@id"], SHOW_TICKET, SHOW),
    ]
    alone = korus.get(show["@id"]).json()
    assert list(alone) == ["@context", "@id", "@type", *TICKET_KEYS[2:]]
    assert (alone["ticket"], alone["session"]) == (SHOW_TICKET, SHOW)
    assert "session" not in korus.get(day["@id"]).json()


def test_the_ticket_context_defines_the_links(korus: Client) -> None:
    """Every key of a rendered ticket has its term, an IRI one for the two links."""
    made = book(korus, seed_item())
    alone = korus.get(tickets_of(made)[1]["@id"]).json()
    context = korus.get(alone["@context"]).json()["@context"]
    assert {k for k in alone if not k.startswith("@") and k != "id"} <= set(context)
    for link in ("ticket", "session"):
        assert context[link] == {"@id": f"BookingOrderItemTicket/{link}", "@type": "@id"}


def test_each_place_of_a_reservation_becomes_the_order_ticket_it_names(korus: Client) -> None:
    """Quantity 2 of seed 001's item: the reservation lists its four places, unit by unit,
    and the order's four tickets follow them one for one (same ticket, session, seat)."""
    reservation = reserve(korus, seed_item(2))
    places = korus.get(reservation["@id"]).json()["items"][0]["offerTickets"]
    order = korus.post(
        "/v1/booking/orders/_bulk",
        json={
            "reservations": [reservation["@id"]],
            "customer": {"firstname": "A", "lastname": "B", "email": "a@example.com"},
        },
    ).json()["orders"][0]
    tickets = tickets_of(order)
    assert [t["ticket"] for t in tickets] == [DAY_TICKET, SHOW_TICKET] * 2
    assert [p["ticket"] for p in places] == [t["ticket"] for t in tickets]
    assert [p.get("session") for p in places] == [t.get("session") for t in tickets]

    def seat(found: dict[str, Any]) -> Any:
        seating = found["seating"]
        return None if seating is None else {k: v for k, v in seating.items() if k != "@id"}

    assert [seat(p) for p in places] == [seat(t) for t in tickets]
    assert [seat(t) and seat(t)["seatNumber"] for t in tickets] == [None, "227", None, "228"]


# ----- item 6: one reservation, one shape --------------------------------------------------


def test_get_reads_a_reservation_as_the_bulk_answer_wrote_it(korus: Client) -> None:
    for item in (seed_item(), seed_item(2), multi_item(SMALL, 2)):
        written = reserve(korus, item)
        read = korus.get(written["@id"]).json()
        same_shape(written, read, "reservation")
        # The collection's members are the same document without @context.
        members = korus.get("/v1/booking/reservations").json()["member"]
        [member] = [m for m in members if m["@id"] == written["@id"]]
        same_shape(written, {"@context": read["@context"], **member}, "reservation")


def test_a_reservation_reads_unit_and_line_amounts_and_one_seat_per_place(korus: Client) -> None:
    read = korus.get(reserve(korus, seed_item(2))["@id"]).json()
    [item] = read["items"]
    assert list(item) == [
        "@type",
        "@id",
        "unitAmountInclTax",
        "unitAmountExclTax",
        "amountInclTax",
        "amountExclTax",
        "date",
        "offer",
        "product",
        "offerTickets",
    ]
    assert (item["unitAmountInclTax"], item["amountInclTax"]) == ("80.00", "160.00")
    assert item["date"] == "2025-06-07"
    day, show, day2, show2 = item["offerTickets"]
    assert list(day) == ["@type", "@id", "ticket", "seating"]  # no session chosen: no key
    assert list(show) == ["@type", "@id", "ticket", "session", "seating"]
    assert (day["seating"], day2["seating"]) == (None, None)
    # A place holds one seat: a TicketSeating object, as an order ticket's `seating` is.
    assert [show["seating"]["seatNumber"], show2["seating"]["seatNumber"]] == ["227", "228"]
    assert show["seating"]["@type"] == "TicketSeating"


# ----- the OpenAPI document describes both shapes -----------------------------------------


def validator(name: str) -> Draft202012Validator:
    """The named component of schemas/korus.openapi.json, its `#/components/...` refs resolved."""
    document = json.loads((ROOT / "schemas" / "korus.openapi.json").read_text("utf-8"))
    registry: Registry[Any] = Registry().with_resource(
        "urn:korus", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    return Draft202012Validator(
        {"$ref": f"urn:korus#/components/schemas/{name}"}, registry=registry
    )


def test_the_openapi_document_describes_the_shapes(korus: Client) -> None:
    made = book(korus, seed_item(2))
    validator("BookingOrder").validate(made)
    validator("BookingOrderItem").validate(korus.get(made["@id"]).json())
    validator("BookingOrderItemTicket").validate(korus.get(tickets_of(made)[1]["@id"]).json())
    validator("BookingReservationItem").validate(korus.get(made["reservation"]).json())
    written = reserve(korus, seed_item(2))
    validator("BookingReservationCreated").validate(written)
    validator("BookingReservationItem").validate(korus.get(written["@id"]).json())
