"""One request to the Korus API: its namespace and organization from the JWT, its errors.

Authentication follows Symfony's `access_token` authenticator (the reference leaves the 401
open, §10): no token is API Platform's 401 Error; a token that is not valid is a bare 401 with
`WWW-Authenticate: Bearer error="invalid_token"`, as that authenticator answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core import calls
from booking_sandbox.core.headers import CREDENTIAL_KEY, NAMESPACE_HEADER, NAMESPACE_KEY
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.runtime import Sandbox, sandbox_of
from booking_sandbox.vendors.korus import jwt, negotiation
from booking_sandbox.vendors.korus.auth import VENDOR
from booking_sandbox.vendors.korus.catalog import KorusCatalog, catalog_of
from booking_sandbox.vendors.korus.errors import from_domain
from booking_sandbox.vendors.korus.inputs import base_url, json_body
from booking_sandbox.vendors.korus.wire import KorusError, error_response

Record = dict[str, Any]
INVALID_TOKEN = 'Bearer error="invalid_token",error_description="Invalid credentials."'
_UNCHECKED = object()  # no claims in the scope: nobody verified the token yet


class InvalidToken(Exception):
    """A bearer token that is not one of ours, expired, or from another namespace."""


@dataclass
class Call(calls.Call):
    organization: str  # the caller's organization id

    @property
    def catalog(self) -> KorusCatalog:
        return catalog_of(self.space)

    async def json(self) -> Record:
        """The request body; `now` is read again once it has arrived, so a slow upload is
        judged (holds, expiry, deadlines) at the moment the request is complete."""
        body = await json_body(self.request)
        self.now = self.space.clock.now()
        return body

    @property
    def base_url(self) -> str:
        return base_url(self.request)


Handler = Callable[[Call], Awaitable[Response]]


def endpoint(handler: Handler) -> calls.Endpoint:
    return calls.endpoint(_open, handler, _answer)


async def _open(request: Request) -> Call:
    sandbox = sandbox_of(request)
    space, organization = _authenticate(request, sandbox)
    # ContentNegotiationProvider runs after the firewall and before the read: a 406 comes
    # after a 401 and before a 404, 403 or any body check.
    refusal = negotiation.unacceptable(request.headers)
    if refusal is not None:
        raise KorusError(406, refusal)
    return Call(request, sandbox, space, space.clock.now(), organization)


def _answer(request: Request, exc: Exception) -> Response | None:
    if isinstance(exc, InvalidToken):
        return Response(status_code=401, headers={"WWW-Authenticate": INVALID_TOKEN})
    error = exc if isinstance(exc, KorusError) else from_domain(exc)
    return error_response(error, base_url(request)) if error is not None else None


def _authenticate(request: Request, sandbox: Sandbox) -> tuple[Namespace, str]:
    """Read-only until the token checks out: a bad token creates no namespace."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise KorusError(401, "Full authentication is required to access this resource.")
    # The QA plane's `namespace_hint` verified this same header's token (qa._claims).
    found = request.scope.get(CREDENTIAL_KEY, _UNCHECKED)
    claims = jwt.verify(token.strip(), sandbox.signer) if found is _UNCHECKED else found
    if claims is None or claims.get("typ") != "Bearer":
        raise InvalidToken
    name = request.scope.get(NAMESPACE_KEY)  # the traffic middleware's, by the same rule
    if name is None:
        header = request.headers.get(NAMESPACE_HEADER)
        name = sandbox.namespaces.resolve(header, VENDOR, str(claims.get("azp")))
    space = sandbox.namespaces.peek(name)
    if space is None or claims.get("ns") != name:
        raise InvalidToken
    if not isinstance(claims.get("exp"), int) or claims["exp"] < int(space.clock.now().timestamp()):
        raise InvalidToken
    organization = claims.get("organization")
    if not isinstance(organization, str) or organization not in catalog_of(space).organizations:
        raise InvalidToken
    return space, organization
