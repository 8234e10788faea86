"""Korus catalog-side documents (reference §4.3-4.6): products, offers, tickets and sessions.

Choices where the reference is silent (§10.6), listed in docs/vendors/korus.md:
- An offer's `price`, `product` and `tickets[]` are embedded non-resource objects, so blank
  nodes: `@type` then a genid `@id` (§8.6), as the documented `OrderCustomer`/`OrderItem`. The
  `@type`s are PHP class short names chosen here: `OfferPrice`, `OfferProduct`, `OfferTicket`;
  an availability's `sessionsAvailability[]` entries are `SessionAvailability`.
- Nulls are written (`date`, `originalAmountInclTax`, `form`...), as Korus does (§2).
- `availableQuantity` is always a number, read live from the engine (the sandbox has no
  unlimited stock): a session gives its free capacity while it is bookable, else 0; a ticket
  without sessions gives its own pool's free capacity, one with sessions the sum over them;
  an offer gives the minimum over its tickets. An offer's own `date` does not limit it, as
  reservations do not check it either.
- Bookable ("open") session: status `open` and not started yet, what reservations accept
  (what lies in the past is not bookable). Sessions are listed by `startsAt` (fixture order on
  ties), with the fixture's `startsAt`/`endsAt`; sessionsAvailability lists bookable ones only.
- Localized texts (descriptions) follow Accept-Language, then the catalog's defaultLanguage.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Any

from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.korus import negotiation
from booking_sandbox.vendors.korus.catalog import SECTION
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.pools import session_pool, ticket_pool
from booking_sandbox.vendors.korus.wire import genid, not_found

CATALOGS = "/v1/ticketing/catalogs"
Record = dict[str, Any]
Document = dict[str, Any]
_CACHE = "korus.offers:"  # + catalog id, in the namespace's `derived` indexes


@dataclass(frozen=True)
class CatalogIndex:
    """One catalog's records by id; `offers` are those on sale, in fixture order."""

    catalog: Record
    bases: dict[str, Record]
    products: dict[str, Record]
    offers: dict[str, Record]

    @property
    def path(self) -> str:
        return f"{CATALOGS}/{self.catalog['id']}"

    def offer(self, offer_id: str) -> Record:
        """An offer not on sale does not exist for clients, as an unknown one."""
        found = self.offers.get(offer_id)
        if found is None:
            raise not_found()
        return found


def catalog_index(call: Call, catalog_id: str) -> CatalogIndex:
    catalog = call.catalog.own_catalog(call.organization, catalog_id)
    return call.space.derive(
        SECTION,
        _CACHE + catalog_id,
        lambda: CatalogIndex(
            catalog,
            {b["id"]: b for b in catalog.get("productBases", [])},
            {p["id"]: p for p in catalog["products"]},
            {o["id"]: o for o in catalog["offers"] if o["onSale"]},
        ),
    )


def sessions_of(ticket: Record) -> list[Record]:
    return sorted(ticket.get("sessions", []), key=lambda s: parse_instant(s["startsAt"]))


class Stock:
    """Live free capacity from the namespace's engine, at the request's instant."""

    def __init__(self, call: Call) -> None:
        self.inventory = call.space.inventory
        self.now = call.now

    def bookable(self, session: Record) -> bool:
        """What reservations accept: an open session that has not started."""
        return session["status"] == "open" and parse_instant(session["startsAt"]) > self.now

    def session(self, session: Record) -> int:
        if not self.bookable(session):
            return 0
        return self.inventory.availability(session_pool(session["id"])).free

    def ticket(self, offer: Record, ticket: Record) -> int:
        sessions = ticket.get("sessions", [])
        if sessions:
            return sum(self.session(s) for s in sessions)
        return self.inventory.availability(ticket_pool(offer["id"], ticket["id"])).free

    def offer(self, offer: Record) -> int:
        return min(self.ticket(offer, t) for t in offer["tickets"])


class Texts:
    """Localized fields: the first Accept-Language range the text has, then the catalog's
    defaultLanguage, then its first translation (Symfony orders ranges by q, §2). The ranges
    are read as for every Korus answer (`negotiation.preferred_languages`)."""

    def __init__(self, accept_language: str, default: str) -> None:
        self.languages = [*negotiation.preferred_languages(accept_language), default]

    @classmethod
    def of(cls, call: Call, index: CatalogIndex) -> Texts:
        header = negotiation.accept_language(call.request.headers)
        return cls(header, index.catalog.get("defaultLanguage", "fr"))

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        for language in self.languages:
            if language in value:
                return value[language]
        return next(iter(value.values()))


def product_doc(index: CatalogIndex, product: Record, text: Texts) -> Document:
    """TicketingProduct. No `optionValues`: no Korus rendering shows the field on a product
    (option values have their own collection, §4.2), so the fixture's stay internal."""
    return {
        "@id": f"{index.path}/products/{product['id']}",
        "@type": "TicketingProduct",
        "id": product["id"],
        "name": product["name"],
        "description": text(product.get("description", "")),
        "disabled": product.get("disabled", False),
    }


def offer_doc(
    index: CatalogIndex, offer: Record, stock: Stock, rng: Random, text: Texts
) -> Document:
    """TicketingOffer, the member fields of §4.3 in their documented order."""
    product = index.products[offer["product"]]
    return {
        "@id": f"{index.path}/offers/{offer['id']}",
        "@type": "TicketingOffer",
        "id": offer["id"],
        "date": offer.get("date"),
        "availabilityCheckRequired": offer.get("availabilityCheckRequired", False),
        "realtimePriceRequired": offer.get("realtimePriceRequired", False),
        "price": {
            "@type": "OfferPrice",
            "@id": genid(rng),
            "amountInclTax": offer["unitAmountInclTax"],
            "originalAmountInclTax": offer.get("originalAmountInclTax"),
            "currency": offer.get("currency", "eur"),
        },
        "product": {
            "@type": "OfferProduct",
            "@id": genid(rng),
            "name": product["name"],
            "description": text(product.get("description", "")),
            "disabled": product.get("disabled", False),
        },
        "tickets": [
            {
                "@type": "OfferTicket",
                "@id": genid(rng),
                "dateAccess": ticket["dateAccess"],
                "form": ticket.get("form"),
            }
            for ticket in offer["tickets"]
        ],
        "availableQuantity": stock.offer(offer),
    }


def price_doc(index: CatalogIndex, offer: Record) -> Document:
    """The real-time price how-to's shape (§4.4): typed TicketingOffer, not TicketingOfferPrice."""
    return {
        "@context": "/contexts/TicketingOffer",
        "@id": f"{index.path}/offers/{offer['id']}/price",
        "@type": "TicketingOffer",
        "amountInclTax": offer["unitAmountInclTax"],
        "amountExclTax": offer["unitAmountExclTax"],
        "currency": offer.get("currency", "eur"),
    }


def availability_doc(index: CatalogIndex, offer: Record, stock: Stock, rng: Random) -> Document:
    """§4.5: the offer's quantity, then every bookable session of its tickets."""
    path = f"{index.path}/offers/{offer['id']}"
    sessions = [
        {
            "@type": "SessionAvailability",
            "@id": genid(rng),
            "session": f"{path}/tickets/{ticket['id']}/sessions/{session['id']}",
            "availableQuantity": stock.session(session),
        }
        for ticket in offer["tickets"]
        for session in sessions_of(ticket)
        if stock.bookable(session)
    ]
    return {
        "@context": "/contexts/TicketingOfferAvailability",
        "@id": f"{path}/availability",
        "@type": "TicketingOfferAvailability",
        "availableQuantity": stock.offer(offer),
        "sessionsAvailability": sessions,
    }


def ticket_doc(index: CatalogIndex, offer: Record, ticket: Record, text: Texts) -> Document:
    """TicketingOfferTicket: the documented fields to `dateAccess` (§4.6), then the fixture's
    beneficiary fields in the order issued order tickets print them (§6.5)."""
    return {
        "@id": f"{index.path}/offers/{offer['id']}/tickets/{ticket['id']}",
        "@type": "TicketingOfferTicket",
        "id": ticket["id"],
        "name": ticket["name"],
        "description": text(ticket.get("description", "")),
        "dateAccess": ticket["dateAccess"],
        "form": ticket.get("form"),
        "requiredBeneficiaryFields": list(ticket.get("requiredBeneficiaryFields", [])),
        "beneficiaryDesignationDeadline": ticket.get("beneficiaryDesignationDeadline"),
        "beneficiaryAmendable": ticket.get("beneficiaryAmendable", True),
    }


def session_doc(
    index: CatalogIndex, offer: Record, ticket: Record, session: Record, stock: Stock
) -> Document:
    """TicketingOfferTicketSession: `startsAt`/`endsAt` as the fixture (and occursAt) name them,
    with the venue's local offset; `status` open|closed; live `availableQuantity`."""
    path = f"{index.path}/offers/{offer['id']}/tickets/{ticket['id']}/sessions"
    return {
        "@id": f"{path}/{session['id']}",
        "@type": "TicketingOfferTicketSession",
        "id": session["id"],
        "startsAt": session["startsAt"],
        "endsAt": session["endsAt"],
        "status": session["status"],
        "availableQuantity": stock.session(session),
    }


def item(context: str, document: Document) -> Document:
    """A resource at the top level: `@context` first (§8.4)."""
    return {"@context": f"/contexts/{context}", **document}
