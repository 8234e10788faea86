"""A client generated from schemas/korus.openapi.json books through a live server.

The README's Korus quickstart with the generated package: token, reservation, order. Every
answer is read through its generated model, so a schema the generator dropped fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from types import ModuleType

import pytest

from booking_sandbox.testing.client import SandboxClient
from booking_sandbox.testing.live import LiveServer
from tests.clients.generated import part
from tests.conftest import START

pytestmark = [pytest.mark.slow, pytest.mark.live]

OFFER = (
    "/v1/ticketing/catalogs/0194d07e-aa37-7171-820c-712e91552451"
    "/offers/0194d07e-ab12-7d4e-9a31-6f2b8c0d4e57"
)


def test_a_generated_client_books_on_korus(
    generated: Callable[[str], ModuleType],
    closing: ExitStack,
    live_server: LiveServer,
    namespace: str,
) -> None:
    korus = generated("korus")
    SandboxClient(live_server.url, namespace).clock.set(START)
    models = part(korus, "models")
    headers = {"X-Sandbox-Namespace": namespace}
    anonymous = closing.enter_context(korus.Client(base_url=live_server.url, headers=headers))
    form = models.TokenRequest(
        grant_type=models.TokenRequestGrantType.CLIENT_CREDENTIALS,
        client_id="demo-client",
        client_secret="demo-secret",
    )
    token = part(korus, "api.authentication.get_token").sync(client=anonymous, body=form)
    assert isinstance(token, models.TokenResponse), token
    client = closing.enter_context(
        korus.AuthenticatedClient(
            base_url=live_server.url, token=token.access_token, headers=headers
        )
    )

    item = models.ReservationItemInput(offer=OFFER, quantity=2)
    reserve = part(korus, "api.reservations.create_reservations")
    made = reserve.sync(client=client, body=models.CreateReservationBulkInput(items=[item]))
    assert isinstance(made, models.CreateReservationBulkOutput), made
    assert made.failed_reservations == []
    reservation = made.reservations[0]
    assert isinstance(reservation, models.BookingReservationCreated)
    assert reservation.expires_at > reservation.created_at  # parsed datetimes
    # JSON-LD keywords are kept beside the typed fields (schemas/korus.openapi.json's
    # info.description says why): the IRI ends with the typed id.
    iri = reservation["@id"]
    assert iri == f"/v1/booking/reservations/{reservation.id}"

    customer = models.OrderCustomerInput(
        firstname="Jane", lastname="Doe", email="jane.doe@example.com"
    )
    body = models.CreateOrderBulkInput(
        reservations=[iri], customer=customer, external_reference="generated-client-1"
    )
    ordered = part(korus, "api.orders.create_orders").sync(client=client, body=body)
    assert isinstance(ordered, models.CreateOrderBulkOutput), ordered
    order = ordered.orders[0]
    assert isinstance(order, models.BookingOrder)
    assert order.status == models.BookingOrderStatus.CONFIRMED
    assert order.reference.startswith("KT-ORD-")
    assert order.reservation == iri
    assert isinstance(order.customer, models.OrderCustomer)
