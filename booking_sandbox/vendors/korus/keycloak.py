"""The realm's public face, as OIDC client libraries read it: Keycloak's discovery document
(`/realms/korusticket/.well-known/openid-configuration`) and its JWKS
(`/realms/korusticket/protocol/openid-connect/certs`).

The discovery document keeps Keycloak's key order and lists what the sandbox serves: the token
endpoint, the JWKS, the client-credentials and refresh grants, client secrets sent by HTTP Basic
or in the form. `authorization_endpoint`, `response_types_supported` and
`subject_types_supported` are there because OpenID Connect Discovery requires them (and some
libraries read them) although a client-credentials client never calls an authorization
endpoint; introspection, userinfo and logout are not served, so not announced. URLs are built
from the request's base URL, as Keycloak builds them from the host it was reached at.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.vendors.korus.inputs import base_url

REALM = "korusticket"
REALM_PATH = f"/realms/{REALM}"
DISCOVERY_PATH = f"{REALM_PATH}/.well-known/openid-configuration"
OIDC = f"{REALM_PATH}/protocol/openid-connect"
CERTS_PATH = f"{OIDC}/certs"


def issuer(request: Request) -> str:
    """The `iss` of every token, and the discovery document's `issuer`: one string."""
    return f"{base_url(request)}{REALM_PATH}"


def keycloak_json(body: dict[str, Any], headers: dict[str, str], status: int = 200) -> Response:
    """A Keycloak JSON answer: compact, `application/json`."""
    return Response(
        json.dumps(body, separators=(",", ":")).encode(),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _json(body: dict[str, Any]) -> Response:
    # Keycloak sends both with `no-cache`: a restarted sandbox has a new key, so a client
    # must not keep an old one.
    return keycloak_json(body, {"Cache-Control": "no-cache"})


async def discovery(request: Request) -> Response:
    base = issuer(request)
    return _json(
        {
            "issuer": base,
            "authorization_endpoint": f"{base}/protocol/openid-connect/auth",
            "token_endpoint": f"{base}/protocol/openid-connect/token",
            "jwks_uri": f"{base}/protocol/openid-connect/certs",
            "grant_types_supported": ["refresh_token", "client_credentials"],
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
    )


async def certs(request: Request) -> Response:
    return _json({"keys": [sandbox_of(request).signer.jwk(REALM)]})


def routes() -> list[Route]:
    return [
        Route(DISCOVERY_PATH, discovery, methods=["GET"], name="korus.openid-configuration"),
        Route(CERTS_PATH, certs, methods=["GET"], name="korus.certs"),
    ]
