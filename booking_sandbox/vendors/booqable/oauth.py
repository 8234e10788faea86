"""OAuth2 for apps: `POST {api}/oauth/token`, as the gem's `OAuthClient` calls it.

The gem's token URL is the API endpoint plus `/oauth/token` (`lib/booqable/oauth_client.rb`),
so `/api/4/oauth/token` and `/api/boomerang/oauth/token` (the gem's legacy constant). Booqable
runs Rails; the answers are Doorkeeper's: `{access_token, token_type, expires_in,
refresh_token, scope, created_at}`, and RFC 6749 §5.2 errors (`invalid_client` 401 with
`WWW-Authenticate`, `invalid_grant` 400, which the gem maps to InvalidGrant, or to
RefreshTokenRevoked for a refresh). Grants: `client_credentials`, `authorization_code` (the
client's fixture code stands for one a user just granted: the sandbox has no consent page,
and the code may be redeemed again) and `refresh_token` (rotated: the old refresh token and
its access token are revoked, as Doorkeeper does). Scope: `full_access` only.

Tokens are kept in the namespace's records (`auth.tokens`) by SHA-256 digest, so a state
export carries nothing a reader could replay; access tokens live 7200 s (Doorkeeper's default)
on the namespace clock, and are dropped once expired.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.headers import NAMESPACE_HEADER, NAMESPACE_KEY
from booking_sandbox.core.jsonbody import BadJson, BodyTooLarge, parse_json, read_body
from booking_sandbox.core.namespace import Namespace, NamespaceError
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.core.signing import b64url
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.booqable import answer_headers, credentials, seeding
from booking_sandbox.vendors.booqable.errors import BooqableError, error_response, from_domain
from booking_sandbox.vendors.booqable.state import VENDOR
from booking_sandbox.vendors.booqable.wire import HEADERS, PLAIN_JSON, encode, timestamp

PATH = "/oauth/token"
LIFETIME = 7200
SCOPE = "full_access"
GRANTS = ("client_credentials", "authorization_code", "refresh_token")
# Doorkeeper's own words (config/locales/en.yml).
_DESCRIPTIONS = {
    "invalid_client": "Client authentication failed due to unknown client, no client "
    "authentication included, or unsupported authentication method.",
    "invalid_grant": "The provided authorization grant is invalid, expired, revoked, does not "
    "match the redirection URI used in the authorization request, or was issued to another "
    "client.",
    "unsupported_grant_type": "The authorization grant type is not supported by the "
    "authorization server.",
    "invalid_scope": "The requested scope is invalid, unknown, or malformed.",
}
Record = dict[str, Any]


class OAuthError(Exception):
    def __init__(self, status: int, error: str, description: str | None = None) -> None:
        super().__init__(error)
        self.status, self.error = status, error
        self.description = description or _DESCRIPTIONS[error]

    def response(self) -> Response:
        body = {"error": self.error, "error_description": self.description}
        answer = _json(body, self.status)
        if self.status == 401:
            answer.headers["www-authenticate"] = (
                f'Bearer realm="Doorkeeper", error="{self.error}", '
                f'error_description="{self.description}"'
            )
        return answer


def _missing(name: str) -> OAuthError:
    return OAuthError(400, "invalid_request", f"Missing required parameter: {name}.")


async def token(request: Request) -> Response:
    since = answer_headers.started()
    try:
        answer = await _token(request)
    except OAuthError as exc:
        answer = exc.response()
    except NamespaceError as exc:
        answer = error_response(from_domain(exc))
    except BooqableError as exc:  # fixtures without a Booqable part: 404
        answer = error_response(exc)
    return answer_headers.finish(request, answer, since)


async def _token(request: Request) -> Response:
    sandbox = sandbox_of(request)
    params = await _params(request)
    client_id, secret = _client_authentication(request, params)
    name = request.scope.get(NAMESPACE_KEY)  # the traffic middleware's, by the same rule
    if name is None:
        name = sandbox.namespaces.resolve(request.headers.get(NAMESPACE_HEADER), VENDOR, None)
    _, known = credentials.lookup(sandbox, name)
    client = known.clients.get(client_id)
    if client is None or not _same(client.secret, secret):
        raise OAuthError(401, "invalid_client")
    grant = params.get("grant_type")
    if not grant:
        raise _missing("grant_type")
    if grant not in GRANTS:
        raise OAuthError(400, "unsupported_grant_type")
    if params.get("scope", SCOPE) not in ("", SCOPE):
        raise OAuthError(400, "invalid_scope")
    space = sandbox.namespaces.get(name)
    request.scope[answer_headers.SPACE_KEY] = space
    credentials.of_space(space)  # 404 without a Booqable part
    now = space.clock.now()
    tokens: dict[str, Record] = state_of(space).setdefault("tokens", {})
    if grant == "authorization_code":
        code = params.get("code")
        if not code:
            raise _missing("code")
        redirect = params.get("redirect_uri")
        known_code = client.authorization_code
        if known_code is None or not _same(known_code, code):
            raise OAuthError(400, "invalid_grant")
        if (client.redirect_uri or redirect) != redirect:
            raise OAuthError(400, "invalid_grant")
    elif grant == "refresh_token":
        given = params.get("refresh_token")
        if not given:
            raise _missing("refresh_token")
        old = tokens.get(digest(given))
        if old is None or old["type"] != "refresh" or old["client_id"] != client.id:
            raise OAuthError(400, "invalid_grant")
        del tokens[digest(given)]
        revoked = tokens.get(old["access_token"])
        if revoked is not None:
            revoked["revoked"] = True
    refresh = grant != "client_credentials"  # RFC 6749 §4.4.3: none for client credentials
    return _issue(space, sandbox.secret, client.id, now, refresh=refresh)


def _issue(
    space: Namespace, key: bytes, client_id: str, now: datetime, *, refresh: bool
) -> Response:
    tokens: dict[str, Record] = state_of(space)["tokens"]
    for old in [d for d, t in tokens.items() if t["type"] == "access" and _expired(t, now)]:
        del tokens[old]
    access = _new_token(space, key, client_id)
    record: Record = {
        "type": "access",
        "client_id": client_id,
        "scope": SCOPE,
        "created_at": timestamp(now),
        "expires_at": timestamp(now + timedelta(seconds=LIFETIME)),
        "revoked": False,
        "refresh_token": None,
    }
    body: Record = {"access_token": access, "token_type": "Bearer", "expires_in": LIFETIME}
    if refresh:
        renewal = _new_token(space, key, client_id)
        record["refresh_token"] = digest(renewal)
        tokens[digest(renewal)] = {
            "type": "refresh",
            "client_id": client_id,
            "scope": SCOPE,
            "created_at": timestamp(now),
            "access_token": digest(access),
        }
        body["refresh_token"] = renewal
    tokens[digest(access)] = record
    body |= {"scope": SCOPE, "created_at": int(now.timestamp())}
    return _json(body, 200)


def access_status(space: Namespace, bearer: str, now: datetime) -> str | None:
    """`valid`, `expired` or `revoked` for an access token this namespace issued, else None."""
    tokens = space.vendor_state.get(VENDOR, {}).get("auth", {}).get("tokens", {})
    found = tokens.get(digest(bearer))
    if found is None or found["type"] != "access":
        return None
    if found["revoked"]:
        return "revoked"
    return "expired" if _expired(found, now) else "valid"


def state_of(space: Namespace) -> Record:
    """The namespace's authentication records (`auth` in its Booqable records)."""
    found: Record = seeding.records(space).setdefault("auth", {})
    return found


def _same(secret: str, given: str) -> bool:
    """A constant-time comparison; `given` may hold lone surrogates (`\\ud800` in JSON)."""
    return hmac.compare_digest(secret.encode(), given.encode("utf-8", "surrogatepass"))


def digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _expired(record: Record, now: datetime) -> bool:
    return parse_instant(record["expires_at"]) <= now


def _new_token(space: Namespace, key: bytes, client_id: str) -> str:
    """43 characters of base64url, as Doorkeeper's: drawn from the namespace's seeded
    sequence and keyed with the server's secret, so a state export (which carries the
    sequence) cannot be used to compute the tokens it issued."""
    drawn = space.ids.random.getrandbits(256).to_bytes(32, "big")
    return b64url(hmac.new(key, client_id.encode() + b"\0" + drawn, hashlib.sha256).digest())


async def _params(request: Request) -> dict[str, str]:
    """Rails' params: the query string, then the form or JSON body over it."""
    params = dict(parse_qsl(request.url.query, keep_blank_values=True))
    try:
        raw = await read_body(request)
    except BodyTooLarge:
        raise OAuthError(400, "invalid_request", "The request body is too large.") from None
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media == "application/json" and raw.strip():
        try:
            doc = parse_json(raw)
        except BadJson:
            raise OAuthError(400, "invalid_request", "The request body is not JSON.") from None
        if isinstance(doc, dict):
            params |= {k: v for k, v in doc.items() if isinstance(v, str)}
    elif raw:
        params |= dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    return params


def _client_authentication(request: Request, params: dict[str, str]) -> tuple[str, str]:
    """HTTP Basic (the oauth2 gem's default), else `client_id`/`client_secret` in the body."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeError):
            raise OAuthError(401, "invalid_client") from None
        client_id, colon, secret = decoded.partition(":")
        if colon:
            return client_id, secret
        raise OAuthError(401, "invalid_client")
    return params.get("client_id", ""), params.get("client_secret", "")


def _json(body: Record, status: int) -> Response:
    answer = Response(encode(body), status_code=status, headers=HEADERS)
    answer.headers["content-type"] = PLAIN_JSON
    answer.headers["cache-control"] = "no-store"
    answer.headers["pragma"] = "no-cache"
    return answer
