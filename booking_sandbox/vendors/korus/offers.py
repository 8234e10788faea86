"""Korus offers (reference §4.3-4.6): products of a product base, offers with their price and
live availability, offer tickets and their sessions.

Every path is scoped to one of the caller's catalogs (another organization's is a 404, but
for the price, whose 403 Korus documents: access.py); an
unknown id anywhere in the path, or an offer not on sale, is a 404 "Not Found". Offers not on
sale (`onSale: false`) are neither listed nor served: the fixture marks them unbookable.
The documents themselves are built in offer_views.py.

The offer filters are API Platform's (§4.3), read as its Doctrine filters read them:
- `date[after|strictly_after|before|strictly_before]` is a DateFilter: a value `new \\DateTime()`
  rejects is ignored (not a 400), the comparison is on the date part as written (a Doctrine
  `date` column), and an offer without a date never matches a date bound. PHP's parser takes
  more than we do: we read `Y-m-d` (with an optional time and offset, and PHP's day and month
  overflow: 2025-02-30 is 2025-03-02), `now`/`today`/`midnight`, `tomorrow`, `yesterday` and ""
  (`now`); any other text is treated as one PHP would refuse.
- `order[date]` asc|desc, any case (OrderFilter ignores other values); dateless offers sort as
  PostgreSQL's NULLs do, last ascending and first descending. Without it: fixture order.
- `product[]` (a SearchFilter on the relation): product ids or product IRIs; an unknown one
  matches nothing. `productBaseId` and `session` (a session id or IRI): exact, custom filters,
  so their IriTemplate mapping has a null `property`.
- `optionValuesContext[]` (release docs): option value ids or IRIs, read in options.py (values of
  one option are alternatives, options combine); a custom filter too, so `property` is null.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from random import Random

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.routing import Route

from booking_sandbox.core.cached_route import cached, fresh_until
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.korus import access, hydra, options
from booking_sandbox.vendors.korus import offer_views as views
from booking_sandbox.vendors.korus.http import Call, Handler, endpoint
from booking_sandbox.vendors.korus.offer_views import CatalogIndex, Record, Stock, Texts
from booking_sandbox.vendors.korus.store import by_id
from booking_sandbox.vendors.korus.wire import not_found, respond

OFFERS = "/v1/ticketing/catalogs/{catalogId}/offers"
# The search variables in the order the documentation lists the parameters (§4.3).
OFFER_FILTERS: list[tuple[str, str | None]] = [
    ("order[date]", "date"),
    *((f"date[{bound}]", "date") for bound in hydra.DATE_BOUNDS),
    ("product[]", "product"),
    ("productBaseId", None),
    ("session", None),
    (options.FILTER, None),
]
_PRODUCT_KEY = re.compile(r"product\[\d*\]")
_SESSIONS = re.compile(r"/v1/ticketing/catalogs/[^/]+/offers/[^/]+/tickets/[^/]+/sessions")
_RELATIVE_DAYS = {"": 0, "now": 0, "today": 0, "midnight": 0, "tomorrow": 1, "yesterday": -1}
_YMD = re.compile(  # ASCII digits only: `\d` would take other scripts' digits, PHP does not
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:[t ]([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:[.,][0-9]+)?)?"
    r"(?:z|[+-][0-9]{2}:?[0-9]{2})?)?"
)


def php_date(text: str, today: date) -> date | None:
    """The date part of `new \\DateTime($text)`, or None where we take PHP to throw."""
    value = text.strip(" \t\n").lower()
    if value in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[value])
    match = _YMD.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
    if month > 12 or day > 31 or hour > 24 or minute > 59 or second > 60:
        return None
    if month == 0:  # timelib's range limiting: month 0 is December of the year before
        year, month = year - 1, 12
    if not 1 <= year <= 9999:
        return None
    elapsed = timedelta(days=day - 1, hours=hour, minutes=minute, seconds=second)
    try:
        return (datetime(year, month, 1) + elapsed).date()
    except OverflowError:
        return None


def _id_of(value: str, parent: re.Pattern[str]) -> str | None:
    """An id as given, or the last segment of an IRI whose parent path matches (else None)."""
    if "/" not in value:
        return value
    head, _, ident = value.rpartition("/")
    return ident if parent.fullmatch(head) else None


def filtered_offers(
    index: CatalogIndex,
    query: QueryParams,
    now: datetime,
    option_index: options.OptionIndex,
) -> list[Record]:
    offers = list(index.offers.values())
    today = now.astimezone(UTC).date()
    bounds: list[tuple[Callable[[date, date], bool], date]] = [
        (compare, day)
        for name, compare in hydra.DATE_BOUNDS.items()
        if f"date[{name}]" in query and (day := php_date(query[f"date[{name}]"], today)) is not None
    ]
    if bounds:  # SQL's `NULL >= :day` is not true: dateless offers never match a bound
        offers = [o for o in offers if o.get("date") and _within(o["date"], bounds)]
    products = [v for k, v in query.multi_items() if _PRODUCT_KEY.fullmatch(k)]
    if products:
        parent = re.compile(re.escape(f"{index.path}/products"))
        wanted = {_id_of(v, parent) for v in products}
        offers = [o for o in offers if o["product"] in wanted]
    if "productBaseId" in query:
        base = query["productBaseId"]
        offers = [o for o in offers if index.products[o["product"]].get("productBase") == base]
    if "session" in query:
        session = _id_of(query["session"], _SESSIONS)
        offers = [o for o in offers if _has_session(o, session)]
    chosen = options.chosen(query)
    if chosen:
        offers = options.matching(offers, index, option_index, chosen)
    direction = query.get("order[date]", "").lower()
    if direction in ("asc", "desc"):  # a stable sort, reversed or not: ties keep fixture order
        offers.sort(key=_date_key, reverse=direction == "desc")
    return offers


def _date_key(offer: Record) -> tuple[bool, str]:
    return offer.get("date") is None, offer.get("date") or ""


def _within(day: str, bounds: list[tuple[Callable[[date, date], bool], date]]) -> bool:
    value = date.fromisoformat(day)
    return all(compare(value, bound) for compare, bound in bounds)


def _has_session(offer: Record, session_id: str | None) -> bool:
    return any(s["id"] == session_id for t in offer["tickets"] for s in t.get("sessions", []))


# ----- handlers ---------------------------------------------------------------------------


def _index(call: Call) -> CatalogIndex:
    return views.catalog_index(call, call.request.path_params["catalogId"])


def _collection(
    call: Call,
    context: str,
    members: list[views.Document],
    total: int,
    page: hydra.Page,
    filters: Sequence[tuple[str, str | None]] = (),
) -> Response:
    search = hydra.search(call.request.url.path, filters)
    document = hydra.collection(call.request, context, members, total, page, search)
    return respond(document, base_url=call.base_url)


async def list_products(call: Call) -> Response:
    index = _index(call)
    base_id = call.request.path_params["productBaseId"]
    if base_id not in index.bases:
        raise not_found()
    page = hydra.page_of(call.request)
    products = [p for p in index.products.values() if p.get("productBase") == base_id]
    text = Texts.of(call, index)
    members = [views.product_doc(index, p, text) for p in page.slice(products)]
    return _collection(call, "TicketingProduct", members, len(products), page)


async def list_offers(call: Call) -> Response:
    index = _index(call)
    page = hydra.page_of(call.request)
    query = call.request.query_params
    offers = filtered_offers(index, query, call.now, options.index_of(call, index))
    stock, rng, text = Stock(call), call.space.ids.random, Texts.of(call, index)
    members = [views.offer_doc(index, o, stock, rng, text) for o in page.slice(offers)]
    return _collection(call, "TicketingOffer", members, len(offers), page, OFFER_FILTERS)


async def get_offer(call: Call) -> Response:
    index = _index(call)
    offer = index.offer(call.request.path_params["id"])
    stock, text = Stock(call), Texts.of(call, index)
    document = views.offer_doc(index, offer, stock, call.space.ids.random, text)
    return respond(views.item("TicketingOffer", document), base_url=call.base_url)


async def get_price(call: Call) -> Response:
    params = call.request.path_params
    access.check_offer_price(call, params["catalogId"], params["id"])  # 403, documented here
    index = _index(call)
    offer = index.offer(call.request.path_params["id"])
    return respond(views.price_doc(index, offer), base_url=call.base_url)


async def _availability(call: Call) -> Response:
    """Served from ready bytes (core/cached_route.py). Time-dependence: a session counts while
    it is bookable (open and not started), so the answer changes when the first bookable one
    starts; holds expiring are the cache's own concern (the engine's next expiry). Its blank
    node ids are drawn from the offer's own seeded generator, not the namespace's id sequence:
    a read moves no later id, and the same state gives the same bytes."""
    index = _index(call)
    offer = index.offer(call.request.path_params["id"])
    stock = Stock(call)
    starts = [
        parse_instant(session["startsAt"])
        for ticket in offer["tickets"]
        for session in ticket.get("sessions", [])
        if stock.bookable(session)
    ]
    if starts:
        fresh_until(call.request.scope, min(starts))
    path = f"{index.path}/offers/{offer['id']}/availability"
    rng = Random(f"{call.sandbox.namespaces.seed}:{call.space.name}:{path}")
    document = views.availability_doc(index, offer, stock, rng)
    return respond(document, base_url=call.base_url)


get_availability = cached(
    _availability,
    headers=("accept", "accept-language"),
    identity=lambda call: (call.organization, call.base_url),
)


async def list_tickets(call: Call) -> Response:
    index = _index(call)
    offer = index.offer(call.request.path_params["offerId"])
    page = hydra.page_of(call.request)
    text = Texts.of(call, index)
    members = [views.ticket_doc(index, offer, t, text) for t in page.slice(offer["tickets"])]
    return _collection(call, "TicketingOfferTicket", members, len(offer["tickets"]), page)


async def get_ticket(call: Call) -> Response:
    index = _index(call)
    offer = index.offer(call.request.path_params["offerId"])
    ticket = by_id(offer["tickets"], call.request.path_params["id"])
    document = views.ticket_doc(index, offer, ticket, Texts.of(call, index))
    return respond(views.item("TicketingOfferTicket", document), base_url=call.base_url)


async def list_sessions(call: Call) -> Response:
    index = _index(call)
    offer = index.offer(call.request.path_params["offerId"])
    ticket = by_id(offer["tickets"], call.request.path_params["ticketId"])
    page = hydra.page_of(call.request)
    sessions, stock = views.sessions_of(ticket), Stock(call)
    members = [views.session_doc(index, offer, ticket, s, stock) for s in page.slice(sessions)]
    return _collection(call, "TicketingOfferTicketSession", members, len(sessions), page)


async def get_session(call: Call) -> Response:
    index = _index(call)
    params = call.request.path_params
    offer = index.offer(params["offerId"])
    ticket = by_id(offer["tickets"], params["ticketId"])
    session = by_id(ticket.get("sessions", []), params["id"])
    document = views.session_doc(index, offer, ticket, session, Stock(call))
    return respond(views.item("TicketingOfferTicketSession", document), base_url=call.base_url)


def _get(path: str, handler: Handler, name: str) -> Route:
    return Route(path, endpoint(handler), methods=["GET"], name=f"korus.{name}")


def routes() -> list[Route]:
    tickets = f"{OFFERS}/{{offerId}}/tickets"
    sessions = f"{tickets}/{{ticketId}}/sessions"
    base = "/v1/ticketing/catalogs/{catalogId}/product_bases/{productBaseId}"
    return [
        _get(f"{base}/products", list_products, "products"),
        _get(f"{base}/options/{{code}}/values", options.list_values, "product-base-option-values"),
        _get(OFFERS, list_offers, "offers"),
        _get(f"{OFFERS}/{{id}}", get_offer, "offer"),
        _get(f"{OFFERS}/{{id}}/price", get_price, "offer-price"),
        _get(f"{OFFERS}/{{id}}/availability", get_availability, "offer-availability"),
        _get(tickets, list_tickets, "offer-tickets"),
        _get(f"{tickets}/{{id}}", get_ticket, "offer-ticket"),
        _get(sessions, list_sessions, "offer-ticket-sessions"),
        _get(f"{sessions}/{{id}}", get_session, "offer-ticket-session"),
    ]
