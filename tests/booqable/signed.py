"""Request signing as the official gem does it (`middleware/auth/single_use.rb`), with PyJWT.

PyJWT signs independently of the sandbox's own JWS code, so a test passing here means a
standard library's tokens are accepted, not that the sandbox agrees with itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from typing import Any

import httpx2 as httpx
import jwt

from booking_sandbox.timefmt import parse_instant
from tests.booqable.conftest import Booqable
from tests.conftest import ROOT, Api

# The default fixtures' authentication methods (fixtures/booqable.json).
HS256 = "2f8c5e1a-6b3d-4e7f-9a0c-1d2e3f4a5b6c"
RS256 = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
ES256 = "c4d5e6f7-0a1b-4c2d-9e3f-4a5b6c7d8e9f"
KIDS = {"HS256": HS256, "RS256": RS256, "ES256": ES256}
HS_SECRET = "demo-hs256-secret-for-the-booking-sandbox"
EMPLOYEE = "8d2f0e6a-3c47-4b9e-a1d5-2f6e9c0b7a13"
COMPANY = "1b4a1c5e-7f1d-4c0a-9a57-6c3b1d2e8f40"
KEYS = ROOT / "docs" / "vendors" / "booqable-keys"
JSONAPI = "application/vnd.api+json"


def signing_key(algorithm: str) -> str:
    if algorithm == "HS256":
        return HS_SECRET
    return (KEYS / f"{algorithm.lower()}-private.pem").read_text()


def request_data(method: str, uri: str, body: bytes | None) -> str:
    """The gem's `generate_data`: Base64(SHA256([METHOD, request_uri, Base64(SHA256(body))]
    .join("."))), a nil body joining as ""."""
    hashed = base64.b64encode(hashlib.sha256(body).digest()).decode() if body is not None else ""
    return base64.b64encode(hashlib.sha256(f"{method}.{uri}.{hashed}".encode()).digest()).decode()


def token(
    algorithm: str,
    method: str,
    uri: str,
    body: bytes | None,
    now: int,
    *,
    key: Any = None,
    header: dict[str, Any] | None = None,
    **claims: Any,
) -> str:
    payload = {
        "alg": algorithm,  # the gem puts it in the payload too
        "iat": now,
        "exp": now + 600,
        "aud": COMPANY,
        "sub": EMPLOYEE,
        "iss": "https://demo.booqable.com",
        "jti": f"{uuid.uuid4()}.{request_data(method, uri, body)}",
        **claims,
    }
    headers = {"kid": KIDS[algorithm], "kind": "single_use", **(header or {})}
    return jwt.encode(payload, key or signing_key(algorithm), algorithm, headers=headers)


def sandbox_now(api: Api) -> int:
    return int(parse_instant(api.get("/_sandbox/clock").json()["now"]).timestamp())


class Signed(Booqable):
    """Every request signed afresh with `algorithm`'s demo method, on the sandbox's clock.

    Paths carry their query already encoded (`?page%5Bsize%5D=1`): what is signed is what
    is sent. `json=` bodies are encoded here, so the bytes hashed are the bytes sent.
    """

    def __init__(self, api: Api, algorithm: str, prefix: str = "/api/4") -> None:
        super().__init__(api, prefix)
        self.algorithm = algorithm

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        body = None
        if "json" in kwargs:
            body = json.dumps(kwargs.pop("json")).encode()
            kwargs["content"] = body
        uri = f"{self.prefix}{path}"
        signed = token(self.algorithm, method, uri, body, sandbox_now(self.api))
        headers = {"Authorization": f"Bearer {signed}", **kwargs.pop("headers", {})}
        if body is not None:
            headers.setdefault("Content-Type", JSONAPI)
        return super().request(method, path, headers=headers, **kwargs)
