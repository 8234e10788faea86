"""Cancelling an order and releasing a reservation: operations Korus does not document (§6.4,
§5.4, §10.3), so every choice here is the sandbox's.

Korus's model has what these operations leave behind (orders `status: cancelled` with
`cancelledAt`, reservations `status: released` and `releasable`), but no documented operation
produces them. The sandbox picks the most plausible API Platform shapes:

- `POST /v1/booking/orders/{id}/_cancel`: a custom item operation named like Korus's own
  `_bulk`. It reads no body (`deserialize: false`: `{}`, an empty body or any Content-Type are
  all fine) and answers 200, like the documented `POST /v1/booking/orders/_bulk`, with the
  BookingOrder document, now `status: "cancelled"` and `cancelledAt` the namespace clock's now.
  The engine allocations of its tickets (confirmed when ordered) are released, so the capacity
  is back on sale. Any confirmed order can be cancelled, even after its event: the sandbox has
  no refund policy. Cancelling it again is a 422 on `status`, "The order is already
  cancelled." (code below). The tickets then refuse beneficiary changes (order_tickets.py).
- `DELETE /v1/booking/reservations/{id}`: API Platform's Delete operation, 204 and no body. A
  live reservation that is not ordered gets `cancelled` (its GET shows `status: released`,
  `releasable: false`) and its holds are released. An ordered one is a 422 on `order`, "The
  reservation has been ordered and cannot be released." (cancel the order instead). An expired
  or already released one is answered 204 again, idempotently; what is left of its holds is
  released too, so moving the clock back cannot revive it.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.responses import Response

from booking_sandbox.engine import Status
from booking_sandbox.timefmt import rfc3339
from booking_sandbox.vendors.korus import store
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.order_tickets import with_content_location
from booking_sandbox.vendors.korus.order_views import order_document, order_iri
from booking_sandbox.vendors.korus.orders import own_order
from booking_sandbox.vendors.korus.reservations import own_reservation
from booking_sandbox.vendors.korus.wire import KorusError, Violation, headers, respond

ALREADY_CANCELLED = "313fba4f-25f6-46f0-9a6e-e3e91afa387e"
ALREADY_ORDERED = "d4fbba82-0fdc-4ab6-9c9e-21ddfa666fc9"


async def cancel_order(call: Call) -> Response:
    order = own_order(call, call.request.path_params["id"])
    if order["status"] == "cancelled":
        raise KorusError.unprocessable(
            [Violation("status", "The order is already cancelled.", ALREADY_CANCELLED)]
        )
    allocations = store.allocation_ids(order)
    _release(call, allocations)
    order["status"] = "cancelled"
    order["cancelledAt"] = rfc3339(call.now)
    document = {"@context": "/contexts/BookingOrder", **order_document(call, order)}
    return with_content_location(respond(document, base_url=call.base_url), order_iri(order))


async def release_reservation(call: Call) -> Response:
    reservation = own_reservation(call, call.request.path_params["id"])
    if reservation["order"] is not None:
        raise KorusError.unprocessable(
            [
                Violation(
                    "order",
                    "The reservation has been ordered and cannot be released.",
                    ALREADY_ORDERED,
                )
            ]
        )
    allocations = store.allocation_ids(reservation)
    _release(call, allocations)
    reservation["cancelled"] = True
    return Response(status_code=204, headers=headers(call.base_url))


def _release(call: Call, allocation_ids: Iterable[str]) -> None:
    """Release each distinct allocation once; one already released is left as it is."""
    inventory = call.space.inventory
    distinct = list(dict.fromkeys(allocation_ids))
    live = [a for a in distinct if inventory.allocation(a).status is not Status.RELEASED]
    inventory.release(live)
