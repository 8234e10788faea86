"""What the QA plane needs from Korus: whose namespace a request is, and a faulted answer."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.headers import CREDENTIAL_KEY, NAMESPACE_HEADER
from booking_sandbox.core.request_path import url_path
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.vendors.korus import auth, documents, jwt, keycloak
from booking_sandbox.vendors.korus.inputs import base_url
from booking_sandbox.vendors.korus.wire import KorusError, error_response

# Keycloak answers its realm's paths in OAuth 2.0's envelope (RFC 6749 §5.2 error codes).
_OAUTH_ERRORS = {401: "invalid_client", 500: "server_error", 503: "temporarily_unavailable"}


def namespace_hint(sandbox: Sandbox, request: Request, body: bytes) -> str:
    """The contract's order, read without side effects: header, credential binding, default."""
    header = request.headers.get(NAMESPACE_HEADER)
    path = url_path(request)
    if header is not None:
        if not path.startswith(f"{keycloak.REALM_PATH}/"):
            _claims(request, sandbox)  # the handler's check, done once here
        return header
    spaces = sandbox.namespaces
    if path.startswith(f"{documents.STORAGE}/"):  # signed URLs name their namespace
        return path.removeprefix(f"{documents.STORAGE}/").partition("/")[0]
    if path == auth.TOKEN_PATH:
        # The handler's order: the form's client_id, else HTTP Basic's.
        media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        text = (
            body.decode("utf-8", "replace") if media == "application/x-www-form-urlencoded" else ""
        )
        form = dict(parse_qsl(text))
        basic = auth.basic_credentials(request)
        client = form.get("client_id") or (basic[0] if basic else None)
        return spaces.resolve(None, auth.VENDOR, client or None)
    claims = _claims(request, sandbox)
    azp = claims.get("azp") if claims else None
    return spaces.resolve(None, auth.VENDOR, azp if isinstance(azp, str) else None)


def _claims(request: Request, sandbox: Sandbox) -> Mapping[str, Any] | None:
    """The Bearer token's verified claims (None: none, or not ours), left in the scope for the
    handler (`http._authenticate`), which checks them rather than verifying the token again."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    claims = jwt.verify(token.strip(), sandbox.signer) if scheme.lower() == "bearer" else None
    request.scope[CREDENTIAL_KEY] = claims
    return claims


def fault_response(request: Request, status: int, detail: str | None = None) -> Response:
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    path = request.url.path
    if path.startswith(f"{keycloak.REALM_PATH}/"):  # the token endpoint, discovery, JWKS
        error = _OAUTH_ERRORS.get(status, "invalid_request" if status < 500 else "server_error")
        return auth.oauth_error(status, error, detail or phrase)
    if path.startswith(f"{documents.STORAGE}/"):  # the storage host answers in its own XML
        code = "".join(word.capitalize() for word in phrase.split())
        return documents.xml_error(status, code, detail or phrase)
    # API Platform renders an HttpException as its Error resource, detail = the status text.
    return error_response(KorusError(status, detail or phrase), base_url(request))
