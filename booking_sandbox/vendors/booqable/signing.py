"""Compact JWS (RFC 7515) parsing and the three algorithms Booqable's request signing allows.

HS256 (HMAC-SHA256 with the method's shared secret), RS256 (RSASSA-PKCS1-v1_5 with SHA-256)
and ES256 (ECDSA on P-256 with SHA-256, the signature as the raw 64 bytes r || s of RFC 7518
§3.4), as the official gem signs them with ruby-jwt (`middleware/auth/single_use.rb`). The
asymmetric checks use `cryptography` (already a dependency for Korus's RS256 tokens).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from booking_sandbox.core.jsonbody import parse_json

ALGORITHMS = ("HS256", "RS256", "ES256")


@dataclass(frozen=True)
class Jws:
    """A token split and decoded, its signature not yet checked."""

    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes  # `<header>.<payload>` as sent: what the signature covers
    signature: bytes


def unb64url(text: str) -> bytes:
    """Strict base64url without padding (RFC 7515 §2); ValueError otherwise."""
    if "=" in text or not text.isascii():
        raise ValueError("not base64url")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except binascii.Error as exc:
        raise ValueError(str(exc)) from None


def parse(token: str) -> Jws | None:
    """The token's parts if it is a compact JWS with JSON object header and payload."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:  # parse_json: deep nesting (a RecursionError), NaN and huge numbers are refused
        header = parse_json(unb64url(parts[0]))
        claims = parse_json(unb64url(parts[1]))
        signature = unb64url(parts[2])
    except ValueError:  # BadJson, binascii and UnicodeDecodeError are ValueErrors
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return Jws(header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)


def verifies(jws: Jws, algorithm: str, key: str) -> bool:
    """Whether `jws` is signed with `algorithm` by `key`: the HS256 secret, or the PEM public
    key (SubjectPublicKeyInfo) of an RS256 or ES256 method."""
    if algorithm == "HS256":
        mac = hmac.new(key.encode(), jws.signing_input, hashlib.sha256).digest()
        return hmac.compare_digest(mac, jws.signature)
    public = public_key(key)
    try:
        if algorithm == "RS256" and isinstance(public, rsa.RSAPublicKey):
            public.verify(jws.signature, jws.signing_input, padding.PKCS1v15(), hashes.SHA256())
            return True
        if algorithm == "ES256" and isinstance(public, ec.EllipticCurvePublicKey):
            if not isinstance(public.curve, ec.SECP256R1) or len(jws.signature) != 64:
                return False
            r = int.from_bytes(jws.signature[:32], "big")
            s = int.from_bytes(jws.signature[32:], "big")
            public.verify(encode_dss_signature(r, s), jws.signing_input, ec.ECDSA(hashes.SHA256()))
            return True
    except InvalidSignature:
        return False
    return False


@lru_cache(maxsize=64)
def public_key(pem: str) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey | None:
    """A PEM public key, parsed once (the fixtures' few methods sign every request)."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey) else None
