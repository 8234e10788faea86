"""The Keycloak-style token endpoint: client credentials and refresh tokens, as JWTs.

POST /realms/korusticket/protocol/openid-connect/token, form-encoded, answers Keycloak's JSON
(and Keycloak's error bodies). Access and refresh tokens last 1800 s of the namespace's clock and
are signed RS256 with the server's key, published at the realm's JWKS (`keycloak.py`).
"""

from __future__ import annotations

import base64
import uuid
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.core.headers import NAMESPACE_HEADER
from booking_sandbox.core.jsonbody import BodyTooLarge, read_body
from booking_sandbox.core.namespace import Namespace, NamespaceError, TooManyNamespaces
from booking_sandbox.core.runtime import Sandbox, sandbox_of
from booking_sandbox.vendors.korus import jwt, keycloak

VENDOR = "korus"
TOKEN_PATH = f"{keycloak.OIDC}/token"
LIFETIME = 1800
SCOPE = "profile email"
Record = dict[str, Any]


def _keycloak(status: int, body: Record) -> Response:
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    return keycloak.keycloak_json(body, headers, status)


def oauth_error(status: int, error: str, description: str) -> Response:
    return _keycloak(status, {"error": error, "error_description": description})


async def token(request: Request) -> Response:
    sandbox = sandbox_of(request)
    form = await _form(request)
    grant = form.get("grant_type")
    if not grant:
        return oauth_error(400, "invalid_request", "Missing form parameter: grant_type")
    if grant not in ("client_credentials", "refresh_token"):
        return oauth_error(400, "unsupported_grant_type", "Unsupported grant_type")
    basic = basic_credentials(request)
    if basic is not None:  # Keycloak takes client credentials from HTTP Basic too
        form.setdefault("client_id", basic[0])
        form.setdefault("client_secret", basic[1])
    client_id = form.get("client_id", "")
    try:
        name = sandbox.namespaces.resolve(
            request.headers.get(NAMESPACE_HEADER), VENDOR, client_id or None
        )
        space = sandbox.namespaces.get(name)
    except TooManyNamespaces as exc:
        return oauth_error(429, "too_many_namespaces", str(exc))
    except NamespaceError as exc:
        return oauth_error(400, "invalid_request", str(exc))
    account = _account(space, client_id)
    if account is None or account["clientSecret"] != form.get("client_secret"):
        return oauth_error(401, "invalid_client", "Invalid client or Invalid client credentials")
    if grant == "refresh_token":
        refresh = form.get("refresh_token")
        if not refresh:
            return oauth_error(400, "invalid_request", "Missing parameter: refresh_token")
        claims = jwt.verify(refresh, sandbox.signer)
        if claims is None or claims.get("typ") != "Refresh" or claims.get("ns") != name:
            return oauth_error(400, "invalid_grant", "Invalid refresh token")
        if claims.get("azp") != client_id:
            return oauth_error(
                400,
                "invalid_grant",
                "Invalid refresh token. Token client and authorized client don't match",
            )
        if not isinstance(claims.get("exp"), int) or claims["exp"] < _seconds(space):
            return oauth_error(400, "invalid_grant", "Token is not active")
    return _keycloak(200, issue(sandbox, space, name, account, request))


def issue(
    sandbox: Sandbox, space: Namespace, name: str, account: Record, request: Request
) -> Record:
    now = _seconds(space)
    issuer = keycloak.issuer(request)
    common = {
        "iat": now,
        "exp": now + LIFETIME,
        "iss": issuer,
        "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, f"korus:{account['clientId']}")),
        "azp": account["clientId"],
        "ns": name,  # a token works in the namespace that issued it, and nowhere else
    }
    key = sandbox.signer
    access = {
        **common,
        "jti": space.ids.uuid4(),
        "aud": "account",
        "typ": "Bearer",
        "scope": SCOPE,
        "clientId": account["clientId"],
        "organization": account["organization"],
    }
    refresh = {**common, "jti": space.ids.uuid4(), "aud": issuer, "typ": "Refresh"}
    return {
        "access_token": jwt.sign(access, key),
        "expires_in": LIFETIME,
        "refresh_expires_in": LIFETIME,
        "refresh_token": jwt.sign(refresh, key),
        "token_type": "Bearer",
        "not-before-policy": 0,
        "scope": SCOPE,
    }


def basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else None


def _seconds(space: Namespace) -> int:
    return int(space.clock.now().timestamp())


def _account(space: Namespace, client_id: str) -> Record | None:
    doc = space.catalogs.get(VENDOR)
    if not isinstance(doc, dict):
        return None
    for account in doc["serviceAccounts"]:
        if account["clientId"] == client_id:
            found: Record = account
            return found
    return None


async def _form(request: Request) -> dict[str, str]:
    """Keycloak reads only url-encoded forms: anything else has no parameters."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    try:
        raw = await read_body(request)
    except BodyTooLarge:
        return {}
    if media != "application/x-www-form-urlencoded":
        return {}
    try:
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        return {}
