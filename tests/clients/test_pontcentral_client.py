"""A client generated from schemas/pontcentral.openapi.json books through a live server.

The README's Pont Central quickstart with the generated package: the clock set as the
quickstart sets it, then token, availability and booking, each answer read through its model.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from contextlib import ExitStack
from types import ModuleType

import pytest

from booking_sandbox.testing.client import SandboxClient
from booking_sandbox.testing.live import LiveServer
from tests.clients.generated import part

pytestmark = [pytest.mark.slow, pytest.mark.live]

PRODUCT = "TOUR-EIFFEL-SKIP-LINE"


def test_a_generated_client_books_on_pont_central(
    generated: Callable[[str], ModuleType],
    closing: ExitStack,
    live_server: LiveServer,
    namespace: str,
) -> None:
    pontcentral = generated("pontcentral")
    SandboxClient(live_server.url, namespace).clock.set("2026-03-20T10:00:00Z")
    models = part(pontcentral, "models")
    headers = {"X-Sandbox-Namespace": namespace}
    anonymous = closing.enter_context(pontcentral.Client(base_url=live_server.url, headers=headers))
    credentials = models.TokenRequest(client_id="demo-partner", client_secret="demo-secret")
    # The operation declares one body type (JSON): the generated module imports and sends it.
    token = part(pontcentral, "api.auth.get_auth_token").sync(client=anonymous, body=credentials)
    assert isinstance(token, models.TokenResponse), token
    client = closing.enter_context(
        pontcentral.AuthenticatedClient(
            base_url=live_server.url, token=token.data.access_token, headers=headers
        )
    )

    # The README's request body, as it is: no quantity.
    wanted = models.AvailabilityRequest(product_code=PRODUCT, start_date_time="2026-03-25")
    found = part(pontcentral, "api.availabilities.get_availabilities").sync(
        client=client, body=wanted
    )
    assert isinstance(found, models.AvailabilityList), found
    day = found.availabilities[0]
    assert day.date == datetime.date(2026, 3, 25)
    assert {(t.time, t.stock_available) for t in day.times} >= {("10:00", 50)}

    item = models.BookingItemInput(
        product_code=PRODUCT,
        reservation_date_time="2026-03-25T10:00:00",
        quantities=[models.QuantityInput(label="adult", quantity=2, price=75)],
    )
    customer = models.CustomerInput(
        first_name="Jane", last_name="Doe", email="jane.doe@example.com"
    )
    body = models.BookingCreateRequest(partner_id=42, items=[item], customer=customer)
    made = part(pontcentral, "api.bookings.create_booking").sync(client=client, body=body)
    assert isinstance(made, models.BookingResponse), made
    number = made.booking.booking_number
    assert number.startswith("PC")
    read = part(pontcentral, "api.bookings.get_booking").sync(number, client=client)
    assert isinstance(read, models.BookingResponse), read
    assert (read.booking.booking_number, str(read.booking.status)) == (number, "created")
