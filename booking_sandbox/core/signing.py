"""This server's RSA key: it signs the JWTs a vendor's identity provider issues (RS256), and is
published as a JWK (RFC 7517) with a self-signed certificate, as Keycloak publishes a realm key.

The key is configured (a PEM file: tokens then verify across restarts) or made on first use. It
is never derived from the seed: the default seed is documented, and anyone could sign tokens
the server accepts with a key computed from it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

KEY_SIZE = 2048  # Keycloak's default for a realm's generated RSA key, and the least we accept
# The certificate's validity: namespace clocks travel in time, so a window around the machine's
# date would look expired to a client that checks it against a moved clock. RFC 5280 §4.1.2.5:
# 99991231235959Z means "no well-defined expiration date".
NOT_BEFORE = datetime(2000, 1, 1, tzinfo=UTC)
NOT_AFTER = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _uint(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


class SigningKey:
    """One RSA private key and what is published about it. Compared by identity: an app's."""

    def __init__(self, private: rsa.RSAPrivateKey) -> None:
        self._private = private
        self.public = private.public_key()
        spki = self.public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        # Keycloak's key id: base64url of the SHA-256 of the encoded public key.
        self.kid = b64url(hashlib.sha256(spki).digest())
        self.jwk = lru_cache(maxsize=4)(self._jwk)  # per certificate subject (a realm name)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE))

    @classmethod
    def from_pem(cls, pem: bytes) -> SigningKey:
        """An unencrypted PEM RSA private key of 2048 bits or more; ValueError otherwise."""
        try:
            private = serialization.load_pem_private_key(pem, password=None)
        except (TypeError, UnsupportedAlgorithm) as exc:  # encrypted, or an unknown algorithm
            raise ValueError(str(exc)) from exc
        if not isinstance(private, rsa.RSAPrivateKey):
            raise ValueError("not an RSA private key")
        if private.key_size < KEY_SIZE:
            raise ValueError(f"an RSA key of {private.key_size} bits: {KEY_SIZE} at least")
        return cls(private)

    def derive(self, label: bytes) -> bytes:
        """A 32-byte secret for `label`, as stable as the key: a configured key keeps the
        server's other secrets (signed URLs, token secrets) valid across restarts too."""
        der = self._private.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return hmac.new(der, label, hashlib.sha256).digest()

    def sign(self, data: bytes) -> bytes:
        """RS256: RSASSA-PKCS1-v1_5 with SHA-256, deterministic for one key and message."""
        return self._private.sign(data, padding.PKCS1v15(), hashes.SHA256())

    def verifies(self, signature: bytes, data: bytes) -> bool:
        try:
            self.public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return False
        return True

    def certificate(self, subject: str) -> bytes:
        """A self-signed X.509 certificate of the key (DER), subject CN=`subject` as Keycloak
        names a realm's. Every field comes from the key, so one key gives the same bytes."""
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        serial = int.from_bytes(hashlib.sha256(self.kid.encode()).digest()[:16], "big") >> 1
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.public)
            .serial_number(serial or 1)
            .not_valid_before(NOT_BEFORE)
            .not_valid_after(NOT_AFTER)
            .sign(self._private, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.DER)

    def _jwk(self, subject: str) -> dict[str, Any]:
        """The public key as Keycloak's JWKS writes it, in its key order."""
        der = self.certificate(subject)
        numbers = self.public.public_numbers()
        return {
            "kid": self.kid,
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "n": _uint(numbers.n),
            "e": _uint(numbers.e),
            "x5c": [base64.b64encode(der).decode("ascii")],
            "x5t": b64url(hashlib.sha1(der).digest()),  # RFC 7517 §4.8 names SHA-1
            "x5t#S256": b64url(hashlib.sha256(der).digest()),
        }
