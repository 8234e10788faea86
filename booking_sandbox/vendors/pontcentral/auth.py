"""POST /api/v1/auth/token: client credentials -> an AdonisJS opaque access token (48 h)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import string
from datetime import timedelta

from starlette.responses import Response

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors.pontcentral import state, tokens
from booking_sandbox.vendors.pontcentral.catalog import catalog_of
from booking_sandbox.vendors.pontcentral.http import Call, body_of, space_for_client
from booking_sandbox.vendors.pontcentral.views import utc_millis
from booking_sandbox.vendors.pontcentral.wire import PontError, respond

TOKEN_SECONDS = 172_800
PREFIX = "pcpa_"  # AdonisJS's `oat_` prefix, customised by the vendor (reference §1)
_SECRET_ALPHABET = string.ascii_letters + string.digits + "-_"


async def issue_token(call: Call) -> Response:
    body = await body_of(call.request)
    client_id, secret = body.get("client_id"), body.get("client_secret")
    if not isinstance(client_id, str) or not client_id or not isinstance(secret, str) or not secret:
        raise PontError(400, "INVALID_REQUEST", "client_id and client_secret are required")
    space = space_for_client(call, client_id)
    partner = catalog_of(space).partners_by_client.get(client_id)
    if partner is None or partner["clientSecret"] != secret:
        raise PontError(401, "AUTHENTICATION_FAILED", "Invalid client id or secret")
    if not partner["active"]:
        raise PontError(403, "PARTNER_INACTIVE", "Partner account is inactive")
    now = space.clock.now()
    expires = now + timedelta(seconds=TOKEN_SECONDS)  # (the clock stops before year 9000)
    token = _new_token(call.sandbox.secret, space, client_id)
    tokens.add(space, token, {"partnerId": partner["id"], "expiresAt": utc_millis(expires)}, now)
    return respond(
        {
            "success": True,
            "data": {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS,
                "expires_at": utc_millis(expires),
            },
        }
    )


def _new_token(key: bytes, space: Namespace, client_id: str) -> str:
    """`pcpa_` + base64url(row id) + `.` + base64url(40-character secret), as AdonisJS does.

    The secret is keyed with the server's own secret: the draws come from the namespace's
    seeded generator, whose whole state a state export carries, so without the key anyone
    holding an export could compute every token it issued. Mixing in the client keeps a
    token from before a reset from ever authenticating another partner.
    """
    ident = str(state.next_id(space, "tokenSeq")).encode()
    drawn = "".join(space.ids.random.choice(_SECRET_ALPHABET) for _ in range(40))
    digest = hmac.new(key, f"{client_id}\0{drawn}".encode(), hashlib.sha256).digest()
    secret = _b64(digest)[:40].encode()
    return f"{PREFIX}{_b64(ident)}.{_b64(secret)}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
