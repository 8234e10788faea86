"""Order tickets (beneficiaries), order documents and their signed PDF, and what a vendor-side
order cancellation or reservation release (control-plane scenarios) leaves."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2 as httpx
import pytest

from booking_sandbox.vendors.korus import order_tickets
from booking_sandbox.vendors.korus.inputs import CHOICE, NOT_BLANK, NOT_NULL
from tests.conftest import Api
from tests.korus.conftest import (
    CATALOG,
    SEED_OFFER,
    SMALL,
    Client,
    login,
    multi_item,
    seed_item,
)

NOW = "2025-01-29T07:55:53Z"
NOW_UNIX = 1738137353
# Requires firstname and lastname; designation deadline 2025-06-06T18:00:00+02:00.
PASS = f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0"
CUSTOMER = {"firstname": "Jean", "lastname": "Dupont", "email": "jean.dupont@example.com"}
MERGE = {"Content-Type": "application/merge-patch+json"}
JOHN = {"firstname": "John", "lastname": "Doe"}


@pytest.fixture
def other(api: Api) -> Client:
    return Client(api, login(api, "other-client", "other-secret")["access_token"])


def reserve(korus: Client, *items: dict[str, Any]) -> dict[str, Any]:
    response = korus.post("/v1/booking/reservations/_bulk", json={"items": list(items)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["failedReservations"] == [], body
    [reservation] = body["reservations"]
    assert isinstance(reservation, dict)
    return reservation


def book(korus: Client, *items: dict[str, Any]) -> dict[str, Any]:
    """Reserve then order: the order document of the bulk answer."""
    reservation = reserve(korus, *items)
    response = korus.post(
        "/v1/booking/orders/_bulk",
        json={"reservations": [reservation["@id"]], "customer": CUSTOMER, "externalReference": "T"},
    )
    assert response.status_code == 200, response.text
    [made] = response.json()["orders"]
    assert isinstance(made, dict)
    return made


def tickets_of(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [ticket for item in order["items"] for ticket in item["tickets"]]


def patch(korus: Client, path: str, body: Any, **headers: str) -> httpx.Response:
    return korus.request("PATCH", path, json=body, headers={**MERGE, **headers})


def violations(response: httpx.Response) -> list[tuple[str, str, str | None]]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    return [(v["propertyPath"], v["message"], v["code"]) for v in response.json()["violations"]]


def without_genids(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: without_genids(v)
            for k, v in value.items()
            if not (k == "@id" and str(v).startswith("/.well-known/genid/"))
        }
    if isinstance(value, list):
        return [without_genids(v) for v in value]
    return value


# ----- tickets -----------------------------------------------------------------------------


def test_a_ticket_is_its_own_resource(korus: Client) -> None:
    made = book(korus, seed_item())
    day, show = tickets_of(made)
    response = korus.get(show["@id"])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json; charset=utf-8"
    body = response.json()
    assert list(body) == [
        "@context",
        "@id",
        "@type",
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
    assert (body["@context"], body["@type"]) == (
        "/contexts/BookingOrderItemTicket",
        "BookingOrderItemTicket",
    )
    embedded = {k: v for k, v in show.items() if k != "@type"}
    assert without_genids({k: v for k, v in body.items() if k not in ("@context", "@type")}) == (
        without_genids(embedded)
    )
    assert body["seating"]["seatNumber"] == "227"
    assert body["status"] == "validated"  # nothing required
    assert korus.get(day["@id"]).json()["seating"] is None
    assert response.text.startswith('{"@context":"\\/contexts\\/BookingOrderItemTicket","@id":')


def test_unknown_tickets_are_404(korus: Client) -> None:
    made = book(korus, seed_item())
    ticket = tickets_of(made)[0]["@id"]
    item_id, ticket_id = ticket.split("/")[-3], ticket.split("/")[-1]
    unknown = "0194ac41-0000-7000-8000-000000000000"
    for path in (
        ticket.replace(ticket_id, unknown),
        ticket.replace(item_id, unknown),
        ticket.replace(made["id"], unknown),
    ):
        response = korus.get(path)
        assert response.status_code == 404
        assert response.json()["detail"] == "Not Found"
        assert patch(korus, path, {"beneficiary": JOHN}).status_code == 404


def test_a_beneficiary_is_stored_and_validates_the_ticket(korus: Client) -> None:
    made = book(korus, {"offer": PASS, "quantity": 1})
    [ticket] = tickets_of(made)
    assert ticket["requiredBeneficiaryFields"] == ["firstname", "lastname"]
    assert ticket["status"] == "waiting_beneficiary_data"
    assert korus.get(ticket["@id"]).json()["status"] == "waiting_beneficiary_data"
    response = patch(
        korus,
        ticket["@id"],
        {
            "beneficiary": {
                "phone": "+33610203040",
                "firstname": "Jane",
                "lastname": "Doe",
                "title": "mrs",
                "dateOfBirth": "2000-01-01",
                "nationality": "FR",
            },
            "status": "ignored",
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-location"] == f"{ticket['@id']}.jsonld"
    body = response.json()
    assert list(body)[:3] == ["@context", "@id", "@type"]
    assert body["status"] == "validated"
    assert body["beneficiary"] == {  # a plain object, as Korus's 1.0.19 example
        "firstname": "Jane",
        "lastname": "Doe",
        "email": None,
        "phone": "+33610203040",
        "title": "mrs",
        "dateOfBirth": "2000-01-01",
        "placeOfBirth": None,
        "nationality": "FR",
    }
    again = korus.get(ticket["@id"]).json()
    assert without_genids(again) == without_genids(body)
    in_order = korus.get(made["@id"]).json()
    assert tickets_of(in_order)[0]["status"] == "validated"
    # A merge patch without `beneficiary` changes nothing.
    unchanged = patch(korus, ticket["@id"], {})
    assert without_genids(unchanged.json()) == without_genids(body)
    # A beneficiary is replaced as a whole.
    replaced = patch(korus, ticket["@id"], {"beneficiary": JOHN}).json()["beneficiary"]
    assert (replaced["firstname"], replaced["phone"], replaced["title"]) == ("John", None, None)


@pytest.mark.parametrize(
    ("beneficiary", "expected"),
    [
        ({"lastname": "Doe"}, [("beneficiary.firstname", NOT_BLANK)]),
        ({"firstname": "", "lastname": "Doe"}, [("beneficiary.firstname", NOT_BLANK)]),
        ({"firstname": "John", "lastname": None}, [("beneficiary.lastname", NOT_BLANK)]),
        ({}, [("beneficiary.firstname", NOT_BLANK), ("beneficiary.lastname", NOT_BLANK)]),
        ({**JOHN, "title": "dr"}, [("beneficiary.title", CHOICE)]),
        (
            {**JOHN, "dateOfBirth": "01/01/2000"},
            [("beneficiary.dateOfBirth", order_tickets.DATE_FORMAT)],
        ),
        (
            {**JOHN, "dateOfBirth": "2000-02-30"},
            [("beneficiary.dateOfBirth", order_tickets.DATE_INVALID)],
        ),
        (None, [("beneficiary", NOT_NULL)]),
    ],
)
def test_beneficiary_constraints(
    korus: Client, beneficiary: Any, expected: list[tuple[str, str]]
) -> None:
    [ticket] = tickets_of(book(korus, {"offer": PASS, "quantity": 1}))
    response = patch(korus, ticket["@id"], {"beneficiary": beneficiary})
    assert [(path, code) for path, _, code in violations(response)] == expected
    if expected[0][1] == order_tickets.DATE_FORMAT:
        # French by default: Symfony's own translation (validators.fr.xlf).
        assert violations(response)[0][1] == "Cette valeur n'est pas une date valide."
    if expected[0][1] == CHOICE:
        assert violations(response)[0][1] == "Cette valeur doit être l'un des choix proposés."
    assert korus.get(ticket["@id"]).json()["beneficiary"] is None


def type_message(attribute: str, expected: str, given: str) -> str:
    return f'The type of the "{attribute}" attribute must be "{expected}", "{given}" given.'


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"beneficiary": "John"}, type_message("beneficiary", "array", "string")),
        ({"beneficiary": {**JOHN, "firstname": 1}}, type_message("firstname", "string", "int")),
        ({"beneficiary": {**JOHN, "title": ["mr"]}}, type_message("title", "string", "array")),
    ],
)
def test_beneficiary_types_are_400(korus: Client, body: dict[str, Any], detail: str) -> None:
    [ticket] = tickets_of(book(korus, {"offer": PASS, "quantity": 1}))
    response = patch(korus, ticket["@id"], body)
    assert response.status_code == 400
    assert response.json()["detail"] == detail


def test_ticket_patch_takes_merge_patch_only(korus: Client) -> None:
    [ticket] = tickets_of(book(korus, {"offer": PASS, "quantity": 1}))
    wrong = korus.request(
        "PATCH",
        ticket["@id"],
        json={"beneficiary": JOHN},
        headers={"Content-Type": "application/json"},
    )
    assert wrong.status_code == 415
    assert wrong.headers["content-type"] == "application/problem+json; charset=utf-8"
    assert wrong.json()["detail"] == (
        'The content-type "application/json" is not supported. '
        'Supported MIME types are "application/merge-patch+json".'
    )
    # The Content-Type is checked before the ticket is read.
    unknown = ticket["@id"][:-36] + "0194ac41-0000-7000-8000-000000000000"
    assert (
        korus.request("PATCH", unknown, json={}, headers={"Content-Type": "text/plain"}).status_code
        == 415
    )
    missing = korus.request("PATCH", ticket["@id"], content=b"{}")
    assert (missing.status_code, missing.json()["detail"]) == (
        415,
        'The "Content-Type" header must exist.',
    )
    with_charset = patch(
        korus,
        ticket["@id"],
        {"beneficiary": JOHN},
        **{"Content-Type": "application/merge-patch+json; charset=utf-8"},
    )
    assert with_charset.status_code == 200
    syntax = korus.request("PATCH", ticket["@id"], content=b"{", headers=MERGE)
    assert (syntax.status_code, syntax.json()["detail"]) == (400, "Syntax error")
    not_allowed = korus.request("PUT", ticket["@id"], json={})
    assert not_allowed.status_code == 405
    # Starlette keeps a route's methods in a set: their order changes from process to process.
    assert set(not_allowed.headers["allow"].split(", ")) == {"GET", "PATCH"}


def test_the_designation_deadline_locks_the_beneficiary(korus: Client, api: Api) -> None:
    [ticket] = tickets_of(book(korus, {"offer": PASS, "quantity": 1}))
    api.put("/_sandbox/clock", json={"now": "2025-06-06T16:00:00Z", "frozen": True})
    korus = Client(api, login(api)["access_token"])  # the first token has expired meanwhile
    assert patch(korus, ticket["@id"], {"beneficiary": JOHN}).status_code == 200  # on time
    api.put("/_sandbox/clock", json={"now": "2025-06-06T16:00:01Z", "frozen": True})
    late = patch(korus, ticket["@id"], {"beneficiary": {"firstname": "Jane", "lastname": "Doe"}})
    assert violations(late) == [
        (
            "beneficiary",
            "La date limite de désignation du bénéficiaire est dépassée.",
            order_tickets.DEADLINE_PASSED,
        )
    ]
    assert korus.get(ticket["@id"]).json()["beneficiary"]["firstname"] == "John"


def test_a_ticket_that_is_not_amendable_takes_one_beneficiary(korus: Client, api: Api) -> None:
    made = book(korus, {"offer": PASS, "quantity": 1})
    [ticket] = tickets_of(made)
    state = api.get("/_sandbox/state").json()
    [stored] = [
        t for i in state["vendors"]["korus"]["orders"][made["id"]]["items"] for t in i["tickets"]
    ]
    stored["beneficiaryAmendable"] = False
    assert api.put("/_sandbox/state", json=state).status_code == 200
    assert korus.get(ticket["@id"]).json()["beneficiaryAmendable"] is False
    assert patch(korus, ticket["@id"], {"beneficiary": JOHN}).status_code == 200
    again = patch(korus, ticket["@id"], {"beneficiary": {"firstname": "Jane", "lastname": "Doe"}})
    assert violations(again) == [
        (
            "beneficiary",
            "Le bénéficiaire de ce billet ne peut pas être modifié.",
            order_tickets.NOT_AMENDABLE,
        )
    ]


# ----- documents ---------------------------------------------------------------------------


def test_documents_collection_and_item(korus: Client) -> None:
    made = book(korus, seed_item())
    [iri] = made["documents"]
    listed = korus.get(f"{made['@id']}/documents")
    assert listed.status_code == 200
    body = listed.json()
    assert body == {
        "@context": "/contexts/BookingOrderDocument",
        "@id": f"{made['@id']}/documents",
        "@type": "Collection",
        "totalItems": 1,
        "member": [
            {
                "@id": iri,
                "@type": "BookingOrderDocument",
                "id": iri.rsplit("/", 1)[1],
                "downloadableAt": "2025-01-29T07:55:53+00:00",
            }
        ],
        "search": {
            "@type": "IriTemplate",
            "template": f"{made['@id']}/documents{{?}}",
            "variableRepresentation": "BasicRepresentation",
            "mapping": [],
        },
    }
    item = korus.get(iri).json()
    assert list(item) == ["@context", "@id", "@type", "id", "downloadableAt"]
    assert item["@context"] == "/contexts/BookingOrderDocument"
    assert korus.get(iri[:-36] + "0194ac41-0000-7000-8000-000000000000").status_code == 404


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [("fr", "fr"), ("en-US,en;q=0.9", "en"), ("EN", "en"), ("de-DE", "fr"), (None, "fr")],
)
def test_patch_gives_a_signed_url_in_a_language(
    korus: Client, accept_language: str | None, language: str
) -> None:
    made = book(korus, seed_item())
    [iri] = made["documents"]
    headers = {"Accept-Language": accept_language} if accept_language else {}
    response = korus.request("PATCH", iri, content=b"{}", headers={**MERGE, **headers})
    assert response.status_code == 200, response.text
    assert response.headers["content-location"] == f"{iri}.jsonld"
    body = response.json()
    assert list(body) == ["@context", "@id", "@type", "id", "temporaryUrl", "cachedLanguage"]
    assert body["cachedLanguage"] == language
    url = urlsplit(body["temporaryUrl"])
    namespace = korus.api.namespace
    assert url.path == (
        f"/storage/korus-documents/{namespace}/{made['id']}/{iri.rsplit('/', 1)[1]}.pdf"
    )
    query = parse_qs(url.query)
    assert query["GoogleAccessId"] == ["sandbox@booking-sandbox.iam.gserviceaccount.com"]
    assert query["Expires"] == [str(NOW_UNIX + 900)]
    assert re.fullmatch(r"[A-Za-z0-9+/]{43}=", query["Signature"][0])
    assert "GoogleAccessId=sandbox%40booking-sandbox.iam.gserviceaccount.com&Expires=" in url.query
    assert "\\u0026Expires=" in response.text  # PHP's JSON_HEX_AMP


def test_document_patch_needs_merge_patch(korus: Client) -> None:
    [iri] = book(korus, seed_item())["documents"]
    response = korus.request("PATCH", iri, json={}, headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 415


def download(api: Api, temporary_url: str) -> httpx.Response:
    """The URL as a browser would fetch it: no token, no namespace header."""
    url = urlsplit(temporary_url)
    return api.client.get(f"{url.path}?{url.query}")


def signed_url(korus: Client, order: dict[str, Any], language: str = "en") -> str:
    [iri] = order["documents"]
    response = korus.request("PATCH", iri, json={}, headers={**MERGE, "Accept-Language": language})
    assert response.status_code == 200, response.text
    url: str = response.json()["temporaryUrl"]
    return url


def check_pdf(pdf: bytes) -> None:
    """The header, the trailer and every cross-reference offset of a classic PDF 1.4 file."""
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.rstrip().endswith(b"%%EOF")
    start = int(re.findall(rb"startxref\s+(\d+)\s+%%EOF", pdf)[-1])
    assert pdf[start:].startswith(b"xref\n")
    header = re.match(rb"xref\n0 (\d+)\n", pdf[start:])
    assert header is not None
    count = int(header[1])
    table = pdf[start + header.end() : start + header.end() + 20 * count]
    entries = [table[i : i + 20] for i in range(0, len(table), 20)]
    assert entries[0] == b"0000000000 65535 f \n"
    for number, entry in enumerate(entries[1:], start=1):
        assert re.fullmatch(rb"\d{10} 00000 n \n", entry), entry
        offset = int(entry[:10])
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number), number
    trailer = pdf[start + header.end() + 20 * count :]
    assert trailer.startswith(b"trailer\n<< /Size %d /Root 1 0 R" % count)
    for match in re.finditer(rb"<< /Length (\d+) >>\nstream\n", pdf):
        length = int(match[1])
        assert pdf[match.end() + length :].startswith(b"\nendstream"), "stream /Length"


def test_the_signed_url_downloads_the_tickets_pdf(korus: Client, api: Api) -> None:
    made = book(korus, seed_item(2))
    response = download(api, signed_url(korus, made))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.content
    check_pdf(pdf)
    assert b"/Count 4 " in pdf  # one page per ticket
    for ticket in tickets_of(made):
        assert f"(Voucher: {ticket['voucher']})".encode() in pdf
    assert f"(Order reference: {made['reference']})".encode() in pdf
    assert b"(Customer: Jean Dupont)" in pdf
    assert "(Access: Cinéscénie)".encode("cp1252") in pdf
    assert b"(Date: 2025-06-07T20:00:00+02:00)" in pdf
    assert b"(Seat: 227)" in pdf
    assert b"(Gate: V)" in pdf
    french = download(api, signed_url(korus, made, "fr")).content
    check_pdf(french)
    assert f"(Référence de commande: {made['reference']})".encode("cp1252") in french


def test_a_tampered_url_is_403(korus: Client, api: Api) -> None:
    made = book(korus, seed_item())
    url = signed_url(korus, made)
    signature = parse_qs(urlsplit(url).query)["Signature"][0]
    forged = signature.replace(signature[0], "A" if signature[0] != "A" else "B", 1)
    tampered = [
        url.replace("Signature=", "Signature=x"),
        url.replace(f"Expires={NOW_UNIX + 900}", f"Expires={NOW_UNIX + 9000}"),
        url.replace(f"/{korus.api.namespace}/", "/default/"),
        url.replace("sandbox%40", "other%40"),
        url.split("&Signature=")[0] + "&Signature=" + forged,
        url.split("?")[0],
    ]
    for bad in tampered:
        response = download(api, bad)
        assert response.status_code == 403, bad
        assert response.headers["content-type"].startswith("application/xml")
        assert response.text.startswith(
            "<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code>"
        )


def test_a_signed_url_expires_after_15_minutes(korus: Client, api: Api) -> None:
    made = book(korus, seed_item())
    url = signed_url(korus, made)
    api.put("/_sandbox/clock", json={"now": "2025-01-29T08:10:53Z", "frozen": True})
    assert download(api, url).status_code == 200  # up to and including Expires
    api.post("/_sandbox/clock/advance", json={"seconds": 60})
    late = download(api, url)
    assert late.status_code == 400
    assert late.headers["content-type"].startswith("application/xml")
    assert "<Code>ExpiredToken</Code>" in late.text
    korus = Client(api, login(api)["access_token"])
    assert download(api, signed_url(korus, made)).status_code == 200  # ask again


def test_a_signed_url_of_a_reset_namespace_is_404(korus: Client, api: Api) -> None:
    url = signed_url(korus, book(korus, seed_item()))
    api.post("/_sandbox/reset", json={})
    response = download(api, url)
    assert response.status_code == 404
    assert "<Code>NoSuchKey</Code>" in response.text


# ----- vendor-side cancellation (control-plane scenarios) -----------------------------------


def allocation_statuses(api: Api) -> list[str]:
    state = api.get("/_sandbox/state").json()
    return [
        a["status"] for a in state["inventory"]["allocations"] if a["pool"].startswith("korus:")
    ]


def event(api: Api, name: str, **params: str) -> httpx.Response:
    """A vendor-side event: POST /_sandbox/scenarios/{name} (Korus has no such operation)."""
    return api.post(f"/_sandbox/scenarios/{name}", json=params)


def cancel(api: Api, order: str) -> dict[str, Any]:
    response = event(api, "korus-order-cancelled", order=order)
    assert response.status_code == 200, response.text
    applied: dict[str, Any] = response.json()["applied"]
    return applied


def test_a_cancelled_order_gives_the_capacity_back(korus: Client, api: Api) -> None:
    made = book(korus, multi_item(SMALL, 2))  # both seats of the session
    sold_out = korus.post("/v1/booking/reservations/_bulk", json={"items": [multi_item(SMALL, 1)]})
    assert sold_out.json()["failedReservations"][0]["message"] == "Offer is sold out"
    assert set(allocation_statuses(api)) == {"confirmed"}
    api.put("/_sandbox/clock", json={"now": "2025-01-29T09:00:00Z", "frozen": True})
    korus = Client(api, login(api)["access_token"])
    applied = cancel(api, made["@id"])
    assert applied == {
        "order": made["@id"],
        "reference": made["reference"],
        "status": "cancelled",
        "cancelledAt": "2025-01-29T09:00:00+00:00",
        "tickets": 2,
    }
    assert set(allocation_statuses(api)) == {"released"}
    assert reserve(korus, multi_item(SMALL, 2))["items"]  # both seats are on sale again
    fetched = korus.get(made["@id"]).json()
    assert (fetched["status"], fetched["cancelledAt"]) == ("cancelled", applied["cancelledAt"])
    listed = korus.get("/v1/booking/orders").json()["member"]
    assert [o["status"] for o in listed] == ["cancelled"]
    again = event(api, "korus-order-cancelled", order=made["id"])
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "scenario_unavailable"
    assert "already cancelled" in again.json()["error"]["message"]
    [ticket] = tickets_of(made)[:1]
    locked = patch(korus, ticket["@id"], {"beneficiary": JOHN}, **{"Accept-Language": "en"})
    assert violations(locked) == [
        (
            "beneficiary",
            "The order is cancelled: its tickets can no longer be changed.",
            order_tickets.ORDER_CANCELLED,
        )
    ]
    # Its documents stay available, and say so.
    pdf = download(api, signed_url(korus, made)).content
    check_pdf(pdf)
    assert b"(ORDER CANCELLED: tickets not valid)" in pdf


def test_a_cancelled_order_shows_in_the_offer_availability(korus: Client, api: Api) -> None:
    availability = f"{SEED_OFFER}/availability"
    before = korus.get(availability).json()["availableQuantity"]
    made = book(korus, seed_item(3))
    assert korus.get(availability).json()["availableQuantity"] == before - 3
    cancel(api, made["id"])  # a bare id works as well as the IRI
    after = korus.get(availability).json()
    assert after["availableQuantity"] == before
    assert [s["availableQuantity"] for s in after["sessionsAvailability"]] == [before]


def test_a_released_reservation(korus: Client, api: Api) -> None:
    reservation = reserve(korus, multi_item(SMALL, 2))
    response = event(api, "korus-reservation-released", reservation=reservation["@id"])
    assert response.status_code == 200, response.text
    assert response.json()["applied"] == {
        "reservation": reservation["@id"],
        "status": "released",
        "expiresAt": reservation["expiresAt"],
        "releasedAt": "2025-01-29T07:55:53+00:00",
    }
    fetched = korus.get(reservation["@id"]).json()
    assert (fetched["status"], fetched["releasable"]) == ("released", False)
    assert set(allocation_statuses(api)) == {"released"}
    again = event(api, "korus-reservation-released", reservation=reservation["id"])
    assert (again.status_code, again.json()["error"]["code"]) == (409, "scenario_unavailable")
    second = reserve(korus, multi_item(SMALL, 2))  # the seats are free again
    ordered = korus.post(
        "/v1/booking/orders/_bulk",
        json={"reservations": [reservation["@id"]], "customer": CUSTOMER},
    ).json()
    assert ordered["failedOrders"] == [
        {"message": "Reservation has been released", "reservation": reservation["@id"]}
    ]
    korus.post(
        "/v1/booking/orders/_bulk", json={"reservations": [second["@id"]], "customer": CUSTOMER}
    )
    refused = event(api, "korus-reservation-released", reservation=second["@id"])
    assert refused.status_code == 409
    assert "is ordered" in refused.json()["error"]["message"]
    assert korus.get(second["@id"]).json()["status"] == "reserved"


def test_a_released_reservation_stays_released_when_the_clock_goes_back(
    korus: Client, api: Api
) -> None:
    reservation = reserve(korus, seed_item())
    assert event(api, "korus-reservation-released", reservation=reservation["id"]).is_success
    api.post("/_sandbox/clock/advance", json={"seconds": 60})
    api.put("/_sandbox/clock", json={"now": NOW, "frozen": True})
    assert korus.get(reservation["@id"]).json()["status"] == "released"


def test_an_expired_reservation_cannot_be_released(korus: Client, api: Api) -> None:
    reservation = reserve(korus, seed_item())
    api.post("/_sandbox/clock/advance", json={"seconds": 901})
    response = event(api, "korus-reservation-released", reservation=reservation["@id"])
    assert (response.status_code, response.json()["error"]["code"]) == (
        409,
        "scenario_unavailable",
    )
    assert "has expired" in response.json()["error"]["message"]


def test_the_vendor_paths_have_no_cancel_or_release(korus: Client) -> None:
    made = book(korus, seed_item())
    reservation = made["reservation"]
    cancelled = korus.post(f"{made['@id']}/_cancel", json={})
    assert cancelled.status_code == 404
    assert cancelled.json()["detail"].startswith('No route found for "POST ')
    released = korus.delete(reservation)
    assert (released.status_code, released.headers["allow"]) == (405, "GET")
    assert released.json()["detail"].endswith("Method Not Allowed (Allow: GET)")
    assert korus.get(made["@id"]).json()["status"] == "confirmed"


# ----- isolation ---------------------------------------------------------------------------


def test_another_organization_is_denied_or_sees_nothing(
    korus: Client, other: Client, api: Api
) -> None:
    made = book(korus, seed_item())
    reservation = reserve(korus, seed_item())
    ticket = tickets_of(made)[0]["@id"]
    [document] = made["documents"]
    # Korus documents a 403 on the ticket's GET and PATCH (reference §6.5, §7).
    denied = [other.get(ticket), patch(other, ticket, {"beneficiary": JOHN})]
    assert [r.status_code for r in denied] == [403, 403]
    assert {r.json()["detail"] for r in denied} == {"Access Denied."}
    # It documents no 403 on the documents: another organization's are not found.
    hidden = [
        other.get(f"{made['@id']}/documents"),
        other.get(document),
        other.request("PATCH", document, json={}, headers=MERGE),
    ]
    assert [r.status_code for r in hidden] == [404] * len(hidden)
    assert {r.json()["detail"] for r in hidden} == {"Not Found"}
    assert korus.get(made["@id"]).json()["status"] == "confirmed"
    assert korus.get(reservation["@id"]).json()["status"] == "reserved"
    assert korus.get(ticket).json()["beneficiary"] is None


def test_every_new_endpoint_wants_a_token(korus: Client, api: Api) -> None:
    made = book(korus, seed_item())
    ticket = tickets_of(made)[0]["@id"]
    for method, path in [
        ("GET", ticket),
        ("PATCH", ticket),
        ("GET", f"{made['@id']}/documents"),
    ]:
        assert api.request(method, path).status_code == 401, path
