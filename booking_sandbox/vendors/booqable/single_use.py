"""Request signing: single-use JWTs checked against the fixtures' authentication methods.

The gem (`lib/booqable/middleware/auth/single_use.rb`) signs each request with a header
`{alg, kid: <authentication method id>, kind: "single_use"}` and the claims `iss`, `sub`
(employee id), `aud` (company id), `iat`, `exp` and `jti = "<uuid>.<data>"`, where

    data = Base64(SHA256([METHOD, request_uri, Base64(SHA256(body)) or ""].join(".")))

with strict (padded, standard alphabet) Base64 and `request_uri` the path and query exactly as
sent. A request without a body hashes an empty third part (Ruby's `nil` joins as ""); the
server cannot tell a missing body from an empty one, so either form is accepted for an empty
body. `iss` is not checked: the gem derives it from the host name, which a sandbox does not
have. Every failure is the same 401 envelope, its `detail` naming the reason.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from starlette.requests import Request

from booking_sandbox.vendors.booqable import signing
from booking_sandbox.vendors.booqable.signing import Jws

KIND = "single_use"
MAX_LIFETIME = 600  # seconds from iat to exp (reference §3.2: "exp (<= 10 minutes)")
_PRUNE_EVERY = 128  # insertions between sweeps of the used-jti table
_PATH_SAFE = "/:@!$&'()*+,;=-._~"  # RFC 3986 pchar: what a client leaves unescaped in a path


@dataclass(frozen=True)
class Method:
    """One authentication method of kind `single_use`, from the fixtures."""

    id: str
    algorithm: str
    key: str  # HS256: the shared secret; RS256/ES256: the PEM public key
    employee_id: str
    company_id: str

    @classmethod
    def of(cls, record: dict[str, Any]) -> Method:
        key = record.get("key") if record["algorithm"] == "HS256" else record.get("public_key")
        return cls(
            record["id"],
            record["algorithm"],
            str(key),
            record["employee_id"],
            record["company_id"],
        )


class Refused(Exception):
    """A single-use token that does not authenticate; the message says why."""


def is_single_use(jws: Jws) -> bool:
    return jws.header.get("kind") == KIND


def check_signature(jws: Jws, method: Method) -> None:
    """Refused unless `method` signed `jws` with its own algorithm (never `none`)."""
    alg = jws.header.get("alg")
    if alg not in signing.ALGORITHMS or alg != method.algorithm:
        raise Refused(f"The token is invalid (algorithm {alg!r} is not the method's)")
    if not signing.verifies(jws, method.algorithm, method.key):
        raise Refused("The token is invalid (signature)")


def check_claims(jws: Jws, method: Method, request: Request, body: bytes, now: datetime) -> None:
    """Refused unless the claims authenticate this request at `now`. The jti is not consumed
    here (see `consume`)."""
    claims = jws.claims
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int) or not _integer(iat, exp):
        raise Refused("The token is invalid (iat and exp must be integers)")
    if exp - iat > MAX_LIFETIME:
        raise Refused(f"The token is invalid (exp is more than {MAX_LIFETIME} s after iat)")
    if int(now.timestamp()) >= exp:
        raise Refused("The token is invalid (expired)")
    # Not refused for an `iat` ahead of the namespace clock: clients sign with their own
    # clock while a namespace's may be frozen in the past (the jti is kept until its exp).
    if claims.get("sub") != method.employee_id:
        raise Refused("The token is invalid (sub is not the method's employee)")
    if claims.get("aud") != method.company_id:
        raise Refused("The token is invalid (aud is not the company)")
    jti = claims.get("jti")
    uuid, dot, data = jti.partition(".") if isinstance(jti, str) else ("", "", "")
    if not uuid or not dot:
        raise Refused('The token is invalid (jti must be "<uuid>.<data>")')
    if data not in request_hashes(request.method, request_uri(request), body):
        raise Refused("The token is invalid (it does not sign this request)")


def _integer(*values: int) -> bool:
    return not any(isinstance(v, bool) for v in values)  # JSON true is not a time


def request_uri(request: Request) -> str:
    """The path and query as the client sent them (Ruby's `URI#request_uri`)."""
    scope = request.scope
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else quote(scope["path"], _PATH_SAFE)
    path = path.partition("?")[0]  # some servers put the query in raw_path too
    query: bytes = scope.get("query_string", b"")
    return f"{path}?{query.decode('latin-1')}" if query else path


def request_hashes(method: str, uri: str, body: bytes) -> tuple[str, ...]:
    """The `data` values that sign this request (two for an empty body, see above)."""
    digest = _b64sha256(body)
    forms = (digest, "") if not body else (digest,)
    head = f"{method.upper()}.{uri}.".encode("latin-1")
    return tuple(_b64sha256(head + part.encode("ascii")) for part in forms)


def _b64sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def consume(auth: dict[str, Any], jws: Jws, now: datetime) -> None:
    """Record `jti` as used until its `exp`; Refused if it was used before.

    `auth["jtis"]` (in the namespace's records, so a state export carries it) maps each used
    jti to its exp; expired ones are swept every `_PRUNE_EVERY` insertions: an expired token
    is refused for its exp anyway.
    """
    used: dict[str, int] = auth.setdefault("jtis", {})
    jti, exp = jws.claims["jti"], jws.claims["exp"]
    if jti in used:
        raise Refused("The token is invalid (its jti was already used)")
    used[jti] = exp
    if len(used) % _PRUNE_EVERY == 0:
        moment = int(now.timestamp())
        for old in [j for j, e in used.items() if e <= moment]:
            del used[old]
