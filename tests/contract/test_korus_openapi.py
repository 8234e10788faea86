"""schemathesis fuzzes the Korus Ticket API from schemas/korus.openapi.json.

Every generated request, valid or not, must get a documented status and a body matching the
document: no 5xx, no undocumented shapes, no traceback. Generated ids rarely name anything, so
the namespace is seeded with a reservation and orders (the collections then list real members)
and a second test walks the booking flow with real ids through the same checks.
"""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.conftest import ROOT, START

pytestmark = pytest.mark.slow  # schemathesis: hundreds of generated requests per run

app = create_app(Settings(start_time=parse_instant(START)))
schema = schemathesis.openapi.from_path(ROOT / "schemas" / "korus.openapi.json")
schema.app = app
# Like API Platform, the sandbox ignores query parameters it does not know: not a failure.
schema.config.generation.update(allow_extra_parameters=False)
NAMESPACE = "contract-korus"
TOKEN_PATH = "/realms/korusticket/protocol/openid-connect/token"
OFFER = (
    "/v1/ticketing/catalogs/0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
    "/offers/0194ac40-fda7-78c1-8fcb-26fc2df25894"
)
TICKET = f"{OFFER}/tickets/7522b8de-37a2-458d-b099-6d515b0739be"
RESERVE = {
    "items": [
        {
            "offer": OFFER,
            "quantity": 1,
            "ticketSessions": [
                {"ticket": f"{OFFER}/tickets/0194ac40-fda7-78c1-8fcb-26fc2e2612d4"},
                {
                    "ticket": TICKET,
                    "session": f"{TICKET}/sessions/337177bc-e513-444f-bcee-49a3e25b48a3",
                },
            ],
        }
    ]
}
CUSTOMER = {"firstname": "Jeanne", "lastname": "Doe", "email": "jeanne@example.com"}

# Schema-valid requests still meet business rules no schema states (unknown ids are a 404,
# sold-out items go to failedReservations, catalog inconsistencies are a 422).
# API Platform is lenient where the document is strict, and so is the sandbox: itemsPerPage
# above 50 is clamped, page and itemsPerPage are read as PHP's (int) cast ("2abc" is 2),
# unknown order directions and unreadable dates are ignored, unknown body keys are dropped and
# the bulk endpoints read any Content-Type as JSON: schema-invalid requests can rightly succeed.
EXCLUDED = (positive_data_acceptance, negative_data_rejection)


class _Token:
    """A bearer token, renewed well before its 1800 s on the namespace's (running) clock."""

    def __init__(self) -> None:
        self.value = ""
        self.issued = 0.0

    def headers(self) -> dict[str, str]:
        if not self.value or time.monotonic() - self.issued > 600:
            with TestClient(app) as client:
                response = client.post(
                    TOKEN_PATH,
                    data={
                        "grant_type": "client_credentials",
                        "client_id": "demo-client",
                        "client_secret": "demo-secret",
                    },
                    headers={"X-Sandbox-Namespace": NAMESPACE},
                )
            self.value, self.issued = response.json()["access_token"], time.monotonic()
        return {"Authorization": f"Bearer {self.value}", "X-Sandbox-Namespace": NAMESPACE}


TOKEN = _Token()


def _other_token() -> dict[str, str]:
    """The second organization's account, in the same namespace."""
    with TestClient(app) as client:
        response = client.post(
            TOKEN_PATH,
            data={
                "grant_type": "client_credentials",
                "client_id": "other-client",
                "client_secret": "other-secret",
            },
            headers={"X-Sandbox-Namespace": NAMESPACE},
        )
    token = response.json()["access_token"]
    return {"Authorization": f"Bearer {token}", "X-Sandbox-Namespace": NAMESPACE}


def _seed() -> None:
    """A live reservation, a released one, and two orders (one cancelled, one with a
    beneficiary), so the collections have members of every state to validate."""
    headers = TOKEN.headers()
    with TestClient(app, headers=headers) as client:

        def reserve() -> str:
            reply = client.post("/v1/booking/reservations/_bulk", json=RESERVE)
            iri: str = reply.json()["reservations"][0]["@id"]
            return iri

        reserve()
        # Released and cancelled by the ticketing sub-system: control-plane events.
        released = {"reservation": reserve()}
        client.post("/_sandbox/scenarios/korus-reservation-released", json=released)
        for cancel in (False, True):
            body = {"reservations": [reserve()], "customer": CUSTOMER}
            order = client.post("/v1/booking/orders/_bulk", json=body).json()["orders"][0]
            ticket = order["items"][0]["tickets"][-1]["@id"]
            patch = {"beneficiary": {"firstname": "Jo", "lastname": "Doe", "title": "mx"}}
            client.patch(
                ticket, json=patch, headers={"Content-Type": "application/merge-patch+json"}
            )
            if cancel:
                cancelled = {"order": order["@id"]}
                client.post("/_sandbox/scenarios/korus-order-cancelled", json=cancelled)


_seed()


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("CONTRACT_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_korus_honours_its_openapi(case: Any) -> None:
    case.call_and_validate(headers=TOKEN.headers(), excluded_checks=[*EXCLUDED])


def _call(
    method: str, path: str, status: int, headers: dict[str, str] | None = None, **parts: Any
) -> Any:
    """One request built from real ids, through the same checks as the fuzzed ones."""
    case = schema[path][method].Case(**parts)
    sent = {**TOKEN.headers(), **(headers or {})}
    response = case.call_and_validate(headers=sent, excluded_checks=[*EXCLUDED])
    assert response.status_code == status, response.text
    return response


def test_booking_flow_honours_its_openapi() -> None:
    """Reserve, order, name a beneficiary, fetch a document, the order cancelled by the
    sub-system: every answer of the flow (the success bodies generated ids cannot reach, and
    the documented 403s) is checked against the document."""
    ld = "application/ld+json"
    merge = "application/merge-patch+json"
    made = _call("POST", "/v1/booking/reservations/_bulk", 200, body=RESERVE, media_type=ld)
    reservation = made.json()["reservations"][0]
    _call("GET", "/v1/booking/reservations/{id}", 200, path_parameters={"id": reservation["id"]})
    _call("GET", "/v1/booking/reservations", 200, query={"itemsPerPage": 1, "page": 2})
    body = {
        "reservations": [
            reservation["@id"],
            "/v1/booking/reservations/0194b10f-3ddd-70a5-a96a-d1026cd42746",  # unknown
        ],
        "customer": {**CUSTOMER, "title": "mrs", "optin": True},
        "externalReference": "CONTRACT-FLOW",
        "notes": "Flow",
    }
    order = _call("POST", "/v1/booking/orders/_bulk", 200, body=body, media_type=ld).json()
    order = order["orders"][0]
    _call("GET", "/v1/booking/orders/{id}", 200, path_parameters={"id": order["id"]})
    _call("GET", "/v1/booking/orders", 200, query={"external_reference": "CONTRACT-FLOW"})
    item = order["items"][0]
    ticket_path = "/v1/booking/orders/{orderId}/items/{orderItemId}/tickets/{id}"
    ticket = {"orderId": order["id"], "orderItemId": item["id"], "id": item["tickets"][-1]["id"]}
    _call("GET", ticket_path, 200, path_parameters=ticket)
    beneficiary = {
        "beneficiary": {"firstname": "Jo", "lastname": "Doe", "dateOfBirth": "2000-01-01"}
    }
    _call("PATCH", ticket_path, 200, path_parameters=ticket, body=beneficiary, media_type=merge)
    wrong = {"beneficiary": {"firstname": "", "lastname": "Doe", "dateOfBirth": "2000-02-30"}}
    _call("PATCH", ticket_path, 422, path_parameters=ticket, body=wrong, media_type=merge)
    documents = {"orderId": order["id"]}
    _call("GET", "/v1/booking/orders/{orderId}/documents", 200, path_parameters=documents)
    document = {**documents, "id": order["documents"][0].rsplit("/", 1)[1]}
    document_path = "/v1/booking/orders/{orderId}/documents/{id}"
    _call("GET", document_path, 200, path_parameters=document)
    signed = _call(
        "PATCH", document_path, 200, path_parameters=document, body={}, media_type=merge
    ).json()["temporaryUrl"]
    url = urlsplit(signed)
    namespace, order_id, file_name = url.path.rsplit("/", 3)[1:]
    storage = "/storage/korus-documents/{namespace}/{orderId}/{documentId}.pdf"
    where = {"namespace": namespace, "orderId": order_id, "documentId": file_name[: -len(".pdf")]}
    query = dict(parse_qsl(url.query))
    pdf = _call("GET", storage, 200, path_parameters=where, query=query)
    assert pdf.content.startswith(b"%PDF-")
    _call("GET", storage, 403, path_parameters=where, query={**query, "Signature": "forged"})
    with TestClient(app, headers={"X-Sandbox-Namespace": NAMESPACE}) as control:
        cancelled = {"order": order["id"]}
        applied = control.post("/_sandbox/scenarios/korus-order-cancelled", json=cancelled)
        assert applied.status_code == 200, applied.text
    _call("GET", "/v1/booking/orders/{id}", 200, path_parameters={"id": order["id"]})
    _call("PATCH", ticket_path, 422, path_parameters=ticket, body=beneficiary, media_type=merge)
    bad_iri = {"items": [{"offer": "1", "quantity": 1}]}
    _call("POST", "/v1/booking/reservations/_bulk", 400, body=bad_iri, media_type=ld)
    other = _other_token()
    reservation_path = "/v1/booking/reservations/{id}"
    _call("GET", reservation_path, 403, other, path_parameters={"id": reservation["id"]})
    _call("GET", ticket_path, 403, other, path_parameters=ticket)
    price_path = "/v1/ticketing/catalogs/{catalogId}/offers/{id}/price"
    price = {"catalogId": OFFER.split("/")[4], "id": OFFER.rsplit("/", 1)[1]}
    _call("GET", price_path, 403, other, path_parameters=price)
    empty: dict[str, Any] = {"reservations": [], "customer": {}}
    _call("POST", "/v1/booking/orders/_bulk", 422, body=empty, media_type=ld)
    _call("GET", "/contexts/{shortName}", 200, path_parameters={"shortName": "BookingOrder"})
    _call("GET", "/docs.jsonld", 200)
