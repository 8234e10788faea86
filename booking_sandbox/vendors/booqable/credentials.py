"""The credentials a namespace's Booqable fixtures declare, indexed once per namespace.

`api_keys` (static access tokens), `authentication_methods` (request signing, kind
`single_use`), `oauth_clients` (OAuth2 applications) and the `rate_limit`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.vendors.booqable import signing
from booking_sandbox.vendors.booqable.errors import no_catalog
from booking_sandbox.vendors.booqable.ratelimit import Limit
from booking_sandbox.vendors.booqable.single_use import Method
from booking_sandbox.vendors.crossref import unique

SECTION = "booqable"
_KEY = "booqable.credentials"  # in space.derived


@dataclass(frozen=True)
class Client:
    """An OAuth2 application: what it authenticates with and the grant it may redeem."""

    id: str
    secret: str
    redirect_uri: str | None
    authorization_code: str | None  # the one a user "granted" (the sandbox has no consent page)

    @classmethod
    def of(cls, record: dict[str, Any]) -> Client:
        return cls(
            record["client_id"],
            record["client_secret"],
            record.get("redirect_uri"),
            record.get("authorization_code"),
        )


@dataclass(frozen=True)
class Credentials:
    api_keys: frozenset[str]
    methods: Mapping[str, Method]
    clients: Mapping[str, Client]
    limit: Limit


NONE = Credentials(frozenset(), {}, {}, Limit())


def index(doc: dict[str, Any]) -> Credentials:
    methods = (Method.of(m) for m in doc.get("authentication_methods", []))
    clients = (Client.of(c) for c in doc.get("oauth_clients", []))
    return Credentials(
        frozenset(k["key"] for k in doc.get("api_keys", [])),
        {m.id: m for m in methods},
        {c.id: c for c in clients},
        Limit.of(doc),
    )


def of_space(space: Namespace) -> Credentials:
    """The namespace's credentials; 404 in the vendor's envelope without a Booqable part."""
    doc = space.catalogs.get(SECTION)
    if not isinstance(doc, dict):
        raise no_catalog()
    return space.derive(SECTION, _KEY, lambda: index(doc))


def lookup(sandbox: Sandbox, name: str) -> tuple[Namespace | None, Credentials]:
    """The namespace if it exists, and the credentials it (else the fixtures) declares: a
    namespace is only made for a credential its fixtures know."""
    known = sandbox.namespaces.peek(name)
    if known is not None:
        return known, of_space(known)
    doc = sandbox.fixtures.section(SECTION)  # read only
    return None, index(doc) if isinstance(doc, dict) else NONE


def problems(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """What the fixtures' JSON Schema cannot see: unique ids, and public keys that parse as
    the algorithm's (a key that does not would silently refuse every token it should check)."""
    methods = doc.get("authentication_methods", [])
    clients = doc.get("oauth_clients", [])
    found = unique(
        ((f"$.authentication_methods[{i}]", m["id"]) for i, m in enumerate(methods)),
        "authentication method",
    )
    found += unique(
        ((f"$.oauth_clients[{i}]", c["client_id"]) for i, c in enumerate(clients)),
        "oauth client",
    )
    wanted = {"RS256": rsa.RSAPublicKey, "ES256": ec.EllipticCurvePublicKey}
    for i, method in enumerate(methods):
        kind = wanted.get(method["algorithm"])
        key = signing.public_key(method.get("public_key", "")) if kind else None
        if kind is not None and not isinstance(key, kind):
            message = f"not a PEM {method['algorithm']} public key"
            found.append((f"$.authentication_methods[{i}].public_key", message))
        elif isinstance(key, ec.EllipticCurvePublicKey) and not isinstance(key.curve, ec.SECP256R1):
            found.append((f"$.authentication_methods[{i}].public_key", "ES256 needs a P-256 key"))
    return found
