"""A 500 in the envelope of the vendor that owns the path: the answer to a bug, in one place
for the app's error handler and the scenarios' in-process caller."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.vendors.booqable import routes as booqable
from booking_sandbox.vendors.korus import routes as korus
from booking_sandbox.vendors.pontcentral import routes as pontcentral


def server_error(request: Request) -> Response | None:
    """None for a path no vendor owns (the control plane answers in its own envelope)."""
    path = request.url.path
    if pontcentral.owns(path):
        return pontcentral.server_error(request)
    if korus.owns(path):
        return korus.server_error(request)
    if booqable.owns(path):
        return booqable.server_error_response(request)
    return None
