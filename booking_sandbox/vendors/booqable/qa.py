"""What the QA plane needs from Booqable: whose namespace a request is, and a faulted answer."""

from __future__ import annotations

import re
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.vendors.booqable.errors import BooqableError, entry, error_response
from booking_sandbox.vendors.booqable.state import VENDOR

# The vendor's own words for its statuses (reference §3.8, the docs' error table).
_DETAILS = {
    400: "Your request is invalid.",
    401: "You are not authenticated.",
    403: "The resource requested is hidden for administrators only.",
    404: "The specified resource could not be found.",
    405: "You tried to access a resource with an invalid method.",
    406: "You requested a format that isn't json.",
    410: "The resource requested has been removed from our servers.",
    422: "Something wen't wrong saving your data.",
    429: "You're doing too many requests! Slow down!",
    500: "We had a problem with our server. Try again later.",
    503: "We're temporarily offline for maintenance. Please try again later.",
}


def namespace_hint(sandbox: Sandbox, request: Request, body: bytes) -> str:
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    credential = key.strip() if scheme.lower() == "bearer" and key.strip() else None
    return sandbox.namespaces.resolve(request.headers.get(NAMESPACE_HEADER), VENDOR, credential)


def fault_response(request: Request, status: int, detail: str | None = None) -> Response:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    code = re.sub(r"[^a-z0-9]+", "_", phrase.lower().replace("'", "")).strip("_")
    return error_response(
        BooqableError(status, entry(status, code, phrase, detail or _DETAILS.get(status)))
    )
