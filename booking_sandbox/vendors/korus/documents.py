"""Order documents (reference §6.6): GET .../documents[/{id}], PATCH .../documents/{id}, and the
signed download the PATCH hands out.

What Korus documents: the collection and item (`id`, `downloadableAt`), and a PATCH with body
`{}` in `application/merge-patch+json` answering `temporaryUrl` (a GCS V2 signed URL:
`GoogleAccessId`, `Expires` in unix seconds, `Signature`) and `cachedLanguage` (the
Accept-Language if the document exists in it, else the catalog's default language).

The sandbox's own choices:
- Documents exist in "fr" and "en": `cachedLanguage` is the first of those Accept-Language
  prefers (ranked as every Korus answer ranks it, negotiation.py), else the catalog's
  `defaultLanguage`. The language of the last
  PATCH is kept on the document record and is the language the PDF is written in (the cache).
- The signed URL points at the sandbox itself, with no bucket: `{base}/storage/korus-documents/
  {namespace}/{orderId}/{documentId}.pdf`, `GoogleAccessId=sandbox@booking-sandbox.iam.
  gserviceaccount.com`, valid 15 minutes of the namespace clock. `Signature` is the base64 of an
  HMAC-SHA256, keyed from the server's own secret (made at each start: the seed is documented,
  so a key derived from it would let anyone sign a URL), over GCS V2's string to sign
  (`GET\\n\\n\\n{Expires}\\n{path}`): like a real signed URL it is the only credential, so the
  download needs no Authorization header and the namespace travels in the path.
- The download answers like GCS, in XML: a signature that does not match (or another
  GoogleAccessId) is 403 SignatureDoesNotMatch, checked first; then an unknown namespace, order
  or document is 404 NoSuchKey; then a URL past `Expires` on the namespace clock is 400
  ExpiredToken (a URL is valid up to and including its `Expires` second).
- The PDF is written by `pdf.py`: one page per ticket with the order reference, the customer,
  the voucher, the offer, product and ticket names, when it occurs and the seat if any. A
  cancelled order keeps its documents; its PDF says the order is cancelled.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.timefmt import parse_instant, rfc3339
from booking_sandbox.vendors.korus import hydra, negotiation, store
from booking_sandbox.vendors.korus.catalog import catalog_of
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.order_tickets import (
    check_content_type,
    merge_patch_body,
    with_content_location,
)
from booking_sandbox.vendors.korus.order_views import SEAT_FIELDS, order_iri
from booking_sandbox.vendors.korus.orders import own_order
from booking_sandbox.vendors.korus.pdf import Line, render
from booking_sandbox.vendors.korus.records import Order, OrderDocument
from booking_sandbox.vendors.korus.store import Record
from booking_sandbox.vendors.korus.wire import respond

STORAGE = "/storage/korus-documents"
ACCESS_ID = "sandbox@booking-sandbox.iam.gserviceaccount.com"
URL_LIFETIME = timedelta(minutes=15)
LANGUAGES = ("fr", "en")
XML = "application/xml; charset=UTF-8"


def document_iri(order: Order, document: OrderDocument) -> str:
    return f"{order_iri(order)}/documents/{document['id']}"


# ----- the API endpoints -------------------------------------------------------------------


async def list_documents(call: Call) -> Response:
    order = own_order(call, call.request.path_params["orderId"])
    page = hydra.page_of(call.request)
    documents = order["documents"]
    members = [
        {"@id": document_iri(order, d), "@type": "BookingOrderDocument", **_fields(d)}
        for d in page.slice(documents)
    ]
    path = f"{order_iri(order)}/documents"
    document = hydra.collection(
        call.request, "BookingOrderDocument", members, len(documents), page, hydra.search(path)
    )
    return respond(document, base_url=call.base_url)


async def get_document(call: Call) -> Response:
    order, found = _own_document(call)
    body = {
        "@context": "/contexts/BookingOrderDocument",
        "@id": document_iri(order, found),
        "@type": "BookingOrderDocument",
        **_fields(found),
    }
    return respond(body, base_url=call.base_url)


async def patch_document(call: Call) -> Response:
    check_content_type(call)
    order, found = _own_document(call)
    await merge_patch_body(call)  # PatchOrderDocumentInput has nothing to set: `{}`
    language = cached_language(call, order)
    found["cachedLanguage"] = language
    iri = document_iri(order, found)
    body = {
        "@context": "/contexts/BookingOrderDocument",
        "@id": iri,
        "@type": "BookingOrderDocument",
        "id": found["id"],
        "temporaryUrl": temporary_url(call, order, found),
        "cachedLanguage": language,
    }
    return with_content_location(respond(body, base_url=call.base_url), iri)


def _fields(document: OrderDocument) -> dict[str, Any]:
    return {"id": document["id"], "downloadableAt": document["downloadableAt"]}


def _own_document(call: Call) -> tuple[Order, OrderDocument]:
    order = own_order(call, call.request.path_params["orderId"])
    return order, store.by_id(order["documents"], call.request.path_params["id"])


def cached_language(call: Call, order: Order) -> str:
    header = negotiation.accept_language(call.request.headers)
    wanted = negotiation.choose_language(header, LANGUAGES)
    if wanted is not None:
        return wanted
    catalog = call.catalog.catalogs.get(order["catalog"]) or {}
    return str(catalog.get("defaultLanguage") or LANGUAGES[0])


# ----- signing -----------------------------------------------------------------------------


def signing_key(secret: bytes) -> bytes:
    """The server's secret, kept apart from its other uses (Pont Central's tokens)."""
    return hmac.new(secret, b"booking-sandbox:korus:documents", hashlib.sha256).digest()


def object_path(namespace: str, order_id: str, document_id: str) -> str:
    return f"{STORAGE}/{namespace}/{order_id}/{document_id}.pdf"


def string_to_sign(expires: str, path: str) -> str:
    """GCS V2: verb, Content-MD5, Content-Type, Expires, then the canonical resource."""
    return f"GET\n\n\n{expires}\n{path}"


def signature(secret: bytes, expires: str, path: str) -> str:
    mac = hmac.new(signing_key(secret), string_to_sign(expires, path).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def temporary_url(call: Call, order: Order, document: OrderDocument) -> str:
    path = object_path(call.space.name, order["id"], document["id"])
    until = call.now + URL_LIFETIME  # (the clock stops before year 9000)
    expires = str(int(until.timestamp()))
    signed = signature(call.sandbox.secret, expires, path)
    query = (
        f"GoogleAccessId={quote(ACCESS_ID, safe='')}"
        f"&Expires={expires}&Signature={quote(signed, safe='')}"
    )
    return f"{call.base_url}{path}?{query}"


# ----- the download ------------------------------------------------------------------------


def storage_error(status: int) -> Response:
    """What the storage host answers for a path or method it does not serve."""
    if status == 405:
        response = xml_error(405, "MethodNotAllowed", "The specified method is not allowed.")
        response.headers["Allow"] = "GET"
        return response
    return xml_error(404, "NoSuchKey", "The specified key does not exist.")


def xml_error(status: int, code: str, message: str, extra: str = "") -> Response:
    body = (
        "<?xml version='1.0' encoding='UTF-8'?>"
        f"<Error><Code>{code}</Code><Message>{escape(message)}</Message>{extra}</Error>"
    )
    return Response(body.encode(), status, media_type=XML)


async def download(request: Request) -> Response:
    """GET /storage/korus-documents/{namespace}/{orderId}/{documentId}.pdf?<signed query>."""
    sandbox = sandbox_of(request)
    params = request.path_params
    path = object_path(params["namespace"], params["orderId"], params["documentId"])
    query = request.query_params
    expires = query.get("Expires", "")
    expected = signature(sandbox.secret, expires, path)
    given = query.get("Signature", "")
    if query.get("GoogleAccessId") != ACCESS_ID or not hmac.compare_digest(
        given.encode(), expected.encode()
    ):
        return xml_error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your Google secret key and signing method.",
            f"<StringToSign>{escape(string_to_sign(expires, path))}</StringToSign>",
        )
    space = sandbox.namespaces.peek(params["namespace"])
    order = store.orders(space).get(params["orderId"]) if space else None
    found = (
        next((d for d in order["documents"] if d["id"] == params["documentId"]), None)
        if order
        else None
    )
    if space is None or order is None or found is None:
        return xml_error(404, "NoSuchKey", "The specified key does not exist.")
    if int(space.clock.now().timestamp()) > int(expires):
        return xml_error(
            400,
            "ExpiredToken",
            "The provided token has expired.",
            f"<Details>Request signature expired at: {_rfc3339_of(int(expires))}</Details>",
        )
    pdf = render_order(space, order, found.get("cachedLanguage"))
    headers = {
        "Cache-Control": "private, max-age=0",
        "ETag": f'"{hashlib.md5(pdf).hexdigest()}"',  # GCS's ETag is the object's MD5
    }
    return Response(pdf, 200, headers=headers, media_type="application/pdf")


def _rfc3339_of(seconds: int) -> str:
    return rfc3339(datetime.fromtimestamp(seconds, UTC))


# ----- the PDF -----------------------------------------------------------------------------

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "E-billet",
        "reference": "Référence de commande",
        "customer": "Client",
        "cancelled": "COMMANDE ANNULÉE : billets non valables",
        "ticket": "Billet",
        "voucher": "Voucher",
        "offer": "Offre",
        "product": "Produit",
        "access": "Accès",
        "date": "Date",
        "beneficiary": "Bénéficiaire",
        "seatNumber": "Place",
        "level": "Niveau",
        "row": "Rang",
        "stand": "Tribune",
        "stair": "Escalier",
        "gate": "Porte",
        "footer": "Document généré par booking-sandbox : il ne permet pas d'entrer sur le site.",
    },
    "en": {
        "title": "E-ticket",
        "reference": "Order reference",
        "customer": "Customer",
        "cancelled": "ORDER CANCELLED: tickets not valid",
        "ticket": "Ticket",
        "voucher": "Voucher",
        "offer": "Offer",
        "product": "Product",
        "access": "Access",
        "date": "Date",
        "beneficiary": "Beneficiary",
        "seatNumber": "Seat",
        "level": "Level",
        "row": "Row",
        "stand": "Stand",
        "stair": "Stair",
        "gate": "Gate",
        "footer": "Document generated by booking-sandbox: it does not give entry to the site.",
    },
}


def render_order(space: Namespace, order: Order, language: str | None) -> bytes:
    words = LABELS.get(language or "", LABELS["fr"])
    catalog = catalog_of(space).catalogs.get(order["catalog"]) or {}
    offers = {o["id"]: o for o in catalog.get("offers", [])}
    products = {p["id"]: p for p in catalog.get("products", [])}
    customer = order["customer"]
    header = [
        Line("Korus Ticket", 20, bold=True),
        Line(words["title"], 14, bold=True, gap=4),
        Line(f"{words['reference']}: {order['reference']}", gap=14),
        Line(f"{words['customer']}: {customer['firstname']} {customer['lastname']}"),
    ]
    if order["status"] == "cancelled":
        header.append(Line(words["cancelled"], 14, bold=True, gap=10))
    tickets = [(item, ticket) for item in order["items"] for ticket in item["tickets"]]
    pages = []
    for number, (item, ticket) in enumerate(tickets, start=1):
        offer = offers.get(item["offer"], {})
        product = products.get(item["product"], {})
        offer_ticket: Record = next(
            (t for t in offer.get("tickets", []) if t["id"] == ticket["offerTicket"]), {}
        )
        lines = [
            *header,
            Line(f"{words['ticket']} {number}/{len(tickets)}", 13, bold=True, gap=18),
            Line(f"{words['voucher']}: {ticket['voucher']}", 16, bold=True, gap=4),
        ]
        for key, name in (
            ("offer", offer.get("name")),
            ("product", product.get("name")),
            ("access", offer_ticket.get("name")),
            ("date", ticket["occursAt"] or item["date"]),
        ):
            if name:
                lines.append(Line(f"{words[key]}: {name}"))
        seat = ticket["seat"] or {}
        for key in SEAT_FIELDS:
            if seat.get(key):
                lines.append(Line(f"{words[key]}: {seat[key]}"))
        beneficiary = ticket["beneficiary"]
        if beneficiary:
            who = f"{beneficiary.get('firstname') or ''} {beneficiary.get('lastname') or ''}"
            lines.append(Line(f"{words['beneficiary']}: {who.strip()}", gap=6))
        lines.append(Line(words["footer"], 8, gap=30))
        pages.append(lines)
    return render(
        pages or [header],
        title=f"{order['reference']} - Korus Ticket",
        created=parse_instant(order["createdAt"]),
    )
