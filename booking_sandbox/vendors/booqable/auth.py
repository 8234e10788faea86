"""Who a Booqable request is: `Authorization: Bearer <credential>`, three kinds (reference §3.2).

- a single-use JWT (header `kind: "single_use"`), checked against the authentication method
  its `kid` names (single_use.py);
- an API key the fixtures list (`api_keys`);
- an OAuth2 access token the namespace issued (oauth.py), until it expires or is revoked.

The namespace is the `X-Sandbox-Namespace` header's, else the credential's binding (API keys
with a `namespace`), else `default`. Nothing is created for a refused credential. Every
refusal is the vendor's 401 envelope (errors.unauthorized), its `detail` saying why.
"""

from __future__ import annotations

from starlette.requests import Request

from booking_sandbox.core.headers import NAMESPACE_HEADER, NAMESPACE_KEY
from booking_sandbox.core.jsonbody import BodyTooLarge, read_body
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.vendors.booqable import credentials, oauth, ratelimit, signing, single_use
from booking_sandbox.vendors.booqable.answer_headers import SPACE_KEY
from booking_sandbox.vendors.booqable.errors import too_large, unauthorized
from booking_sandbox.vendors.booqable.signing import Jws
from booking_sandbox.vendors.booqable.state import VENDOR

# The gem's TokenRevoked matches "token is invalid (revoked)" in a 401 (GEM error.rb).
REVOKED = "The access token is invalid (revoked)"
EXPIRED = "The access token is invalid (expired)"


async def authenticate(request: Request, sandbox: Sandbox) -> Namespace:
    """The namespace the request runs in, once its credential checks out; 401 otherwise.

    The rate limiter counts the request first when its namespace exists already, else once
    the credential made it (a limiter in front of the app sees every request)."""
    bearer = _bearer(request)
    jws = signing.parse(bearer) if bearer else None
    single = jws is not None and single_use.is_single_use(jws)
    name = request.scope.get(NAMESPACE_KEY)  # the traffic middleware's, by the same rule
    if name is None:
        header = request.headers.get(NAMESPACE_HEADER)
        name = sandbox.namespaces.resolve(header, VENDOR, None if single else bearer)
    known, declared = credentials.lookup(sandbox, name)
    bucket = f"method:{jws.header.get('kid')}" if jws is not None and single else bearer
    if known is not None:
        request.scope[SPACE_KEY] = known
        if bucket:
            ratelimit.take(request, known, declared.limit, bucket)
    if not bearer:
        raise unauthorized()
    if jws is not None and single:
        space = await _signed(request, sandbox, name, jws, declared)
    elif bearer in declared.api_keys:
        space = _made(sandbox, name)
    elif known is not None:
        space = _oauth(known, bearer)
    else:
        raise unauthorized()
    request.scope[SPACE_KEY] = space
    ratelimit.take(request, space, declared.limit, bucket)
    return space


def _bearer(request: Request) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _made(sandbox: Sandbox, name: str) -> Namespace:
    space = sandbox.namespaces.get(name)
    credentials.of_space(space)  # 404 in the vendor's envelope without a Booqable part
    return space


async def _signed(
    request: Request, sandbox: Sandbox, name: str, jws: Jws, declared: credentials.Credentials
) -> Namespace:
    kid = jws.header.get("kid")
    method = declared.methods.get(kid) if isinstance(kid, str) else None
    try:
        if method is None:
            raise single_use.Refused("The token is invalid (unknown authentication method)")
        single_use.check_signature(jws, method)
        try:
            body = await read_body(request)
        except BodyTooLarge:
            raise too_large() from None
        space = _made(sandbox, name)  # the signature is the method's: the namespace may be made
        request.scope[SPACE_KEY] = space
        now = space.clock.now()
        single_use.check_claims(jws, method, request, body, now)
        single_use.consume(oauth.state_of(space), jws, now)
    except single_use.Refused as exc:
        raise unauthorized(str(exc)) from None
    return space


def _oauth(space: Namespace, bearer: str) -> Namespace:
    status = oauth.access_status(space, bearer, space.clock.now())
    if status == "valid":
        return space
    raise unauthorized(REVOKED if status == "revoked" else EXPIRED if status else None)
