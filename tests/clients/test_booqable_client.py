"""A client generated from schemas/booqable.openapi.json books through a live server.

The README's Booqable quickstart with the generated package: a reserved order, then two party
tents booked onto it, the answer (and its included lines) read through the generated models.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from types import ModuleType

import pytest

from booking_sandbox.testing.live import LiveServer
from tests.clients.generated import part

pytestmark = [pytest.mark.slow, pytest.mark.live]

TENT = uuid.UUID("c2452fc4-8a27-45bd-9327-85305778bcbb")
UTC = datetime.UTC


def test_a_generated_client_books_on_booqable(
    generated: Callable[[str], ModuleType],
    closing: ExitStack,
    live_server: LiveServer,
    namespace: str,
) -> None:
    booqable = generated("booqable")
    models = part(booqable, "models")
    client = closing.enter_context(
        booqable.AuthenticatedClient(
            base_url=live_server.url,
            token="demo-api-key",
            headers={"X-Sandbox-Namespace": namespace},
        )
    )
    period = models.OrderCreateAttributes(
        status=models.OrderCreateAttributesStatus.RESERVED,
        starts_at=datetime.datetime(2026, 4, 1, 9, tzinfo=UTC),
        stops_at=datetime.datetime(2026, 4, 3, 17, tzinfo=UTC),
    )
    body = models.OrderCreateRequest(
        data=models.OrderCreateRequestData(type_="orders", attributes=period)
    )
    made = part(booqable, "api.orders.create_order").sync(client=client, body=body)
    assert isinstance(made, models.OrderDocument), made
    order = made.data
    assert isinstance(order.id, uuid.UUID)
    assert order.attributes.status == models.OrderAttributesStatus.RESERVED
    assert order.attributes.starts_at == period.starts_at

    tents = models.OrderBookingItemType0(type_="products", id=TENT, quantity=2)
    attributes = models.OrderBookingWriteAttributes(order_id=order.id, items=[tents])
    booking = models.OrderBookingRequest(
        data=models.OrderBookingRequestData(type_="order_bookings", attributes=attributes)
    )
    booked = part(booqable, "api.order_actions.create_order_booking").sync(
        client=client, body=booking, include="lines"
    )
    assert isinstance(booked, models.OrderBookingDocument), booked
    lines = [x for x in booked.included if isinstance(x, models.Line)]
    assert [(x.attributes.title, x.attributes.quantity) for x in lines] == [("Party tent 3x3", 2)]
