"""What the QA plane needs from Pont Central: whose namespace a request is, a faulted answer."""

from __future__ import annotations

import re
from http import HTTPStatus

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.request_path import url_path
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.vendors.pontcentral import state
from booking_sandbox.vendors.pontcentral.http import FIRST_ISSUER, decode_body, issuers
from booking_sandbox.vendors.pontcentral.routes import PREFIX
from booking_sandbox.vendors.pontcentral.wire import PontError, error_response

# The codes the reference lists, by status; others (undocumented) follow the same style.
_CODES = {
    400: ("INVALID_REQUEST", "Invalid request"),
    401: ("UNAUTHORIZED", "Unauthorized - Partner not authenticated"),
    403: ("FORBIDDEN", "Forbidden"),
    404: ("NOT_FOUND", "Not found"),
    409: ("CONFLICT", "Conflict"),
    422: ("VALIDATION_ERROR", "Validation failed"),
    500: ("INTERNAL_SERVER_ERROR", "Server error"),
}


def namespace_hint(sandbox: Sandbox, request: Request, body: bytes) -> str:
    header = request.headers.get(NAMESPACE_HEADER)
    if header is not None:
        return header
    spaces = sandbox.namespaces
    if url_path(request) == f"{PREFIX}/auth/token":
        client = _client_id(request, body)
        return spaces.resolve(None, state.VENDOR, client)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        for space, _issued in issuers(sandbox, None, token.strip()):
            request.scope[FIRST_ISSUER] = space.name  # the handler need not search again
            return space.name
    return spaces.resolve(None, state.VENDOR, None)


def _client_id(request: Request, body: bytes) -> str | None:
    """The token request's client, read by the handler's own body rules."""
    try:
        doc = decode_body(body, request.headers.get("content-type", ""))
    except PontError:
        return None
    client = doc.get("client_id")
    return client if isinstance(client, str) and client else None


def fault_response(request: Request, status: int, detail: str | None = None) -> Response:
    code, message = _CODES.get(status, ("", ""))
    if not code:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        code = re.sub(r"[^A-Z0-9]+", "_", phrase.upper()).strip("_")
        message = phrase
    return error_response(PontError(status, code, detail or message))
