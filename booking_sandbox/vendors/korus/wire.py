"""Korus on the wire: API Platform's JSON-LD answers, headers, `Error` and 422 bodies (§8), the
errors in the form (`Accept`) and language (`Accept-Language`) the request negotiates.

The bytes themselves (PHP's `json_encode` under API Platform's flags, §8.3) are
korus/php_json.py's `encode`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from booking_sandbox.vendors.korus import messages, negotiation
from booking_sandbox.vendors.korus.negotiation import Preferences
from booking_sandbox.vendors.korus.php_json import encode, encode_json

LD_JSON = "application/ld+json; charset=utf-8"
PROBLEM_JSON = "application/problem+json; charset=utf-8"
DEFAULT_TITLE = "An error occurred"
API_DOCUMENTATION = "http://www.w3.org/ns/hydra/core#apiDocumentation"
ERROR_LINK = '<http://www.w3.org/ns/hydra/error>; rel="http://www.w3.org/ns/json-ld#error"'


def genid(rng: random.Random) -> str:
    """A blank node IRI: SkolemIriConverter's `bin2hex(random_bytes(10))` (§8.6)."""
    return f"/.well-known/genid/{rng.getrandbits(80):020x}"


def headers(base_url: str, *, error: bool = False) -> dict[str, str]:
    """API Platform's response headers but Content-Type (§8.2); `base_url` is the app's root."""
    documentation = f'<{base_url.rstrip("/")}/docs.jsonld>; rel="{API_DOCUMENTATION}"'
    # API Platform adds both links to an error: HydraLinkProcessor puts the operation's own
    # links (the Error resource's json-ld#error one) first, then apiDocumentation, and
    # AddLinkHeaderProcessor writes them in one header joined by ", ".
    return {
        "Vary": "Accept",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "deny",
        "Link": f"{ERROR_LINK}, {documentation}" if error else documentation,
    }


def respond(document: Any, status: int = 200, *, base_url: str) -> Response:
    """`Response(encode(document), status, headers(base_url), media_type=LD_JSON)`, with the
    header lines built once per base URL: the same lines in Starlette's order (ours lower-cased,
    then Content-Length and Content-Type), in a list of the answer's own that callers may
    still edit. A plain `Response`, as the cached reads (`core/cached_route.py`) require."""
    body = encode(document)
    if status < 200 or status in (204, 304):  # no Content-Length: Starlette's own rule
        return Response(body, status, headers(base_url), media_type=LD_JSON)
    response = Response.__new__(Response)
    response.status_code = status
    response.media_type = LD_JSON
    response.background = None
    response.body = body
    response.raw_headers = [
        *_raw_headers(base_url),
        (b"content-length", str(len(body)).encode("latin-1")),
        (b"content-type", _LD_JSON_BYTES),
    ]
    return response


_LD_JSON_BYTES = LD_JSON.encode("latin-1")


@lru_cache(maxsize=64)  # one entry per Host a client reaches the server by
def _raw_headers(base_url: str) -> tuple[tuple[bytes, bytes], ...]:
    return tuple(
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in headers(base_url).items()
    )


@dataclass(frozen=True)
class Violation:
    """One Symfony ConstraintViolation; `code` is None for a violation built without one."""

    property_path: str
    message: str
    code: str | None


def not_found() -> KorusError:
    """API Platform's 404 for an item that is not there, or not the caller's."""
    return KorusError(404, "Not Found")


class KorusError(Exception):
    """One API Platform error answer; raised anywhere, rendered once by `error_response`.

    With `violations` it is a 422 ValidationException, rendered as `violation_body`.
    """

    def __init__(
        self,
        status: int,
        detail: str,
        title: str = DEFAULT_TITLE,
        violations: Sequence[Violation] = (),
    ) -> None:
        super().__init__(detail)
        self.status, self.detail, self.title = status, detail, title
        self.violations = tuple(violations)

    @classmethod
    def unprocessable(cls, violations: Sequence[Violation]) -> KorusError:
        return cls(422, violation_detail(violations), violations=violations)


def error_body(status: int, detail: str, title: str = DEFAULT_TITLE) -> dict[str, Any]:
    """`Error::createFromException` as the JSON-LD serializer orders it (§8.7); no `instance`,
    as it is null and the operation skips nulls."""
    return {
        "@context": "/contexts/Error",
        "@id": f"/errors/{status}",
        "@type": "Error",
        "title": title,
        "detail": detail,
        "status": status,
        "type": f"/errors/{status}",
        "description": detail,
    }


def violation_detail(violations: Sequence[Violation]) -> str:
    """ValidationException::__toString: `<path>: <message>` lines."""
    # PHP tests the path for truth, and "0" is falsy there too.
    return "\n".join(
        f"{v.property_path}: {v.message}" if v.property_path not in ("", "0") else v.message
        for v in violations
    )


# ValidationException::getId falls back to spl_object_hash($this) when the id is empty: since
# PHP 8.1 that is the object handle in 16 hex digits then 16 zeros. The handle is a sandbox choice.
_OBJECT_HASH = f"{0x3E8:016x}{0:016x}"


def violation_id(violations: Sequence[Violation]) -> str:
    """ValidationException::getId: the one code, else `0=<code>;1=<code>` (null codes are "")."""
    codes = [v.code for v in violations]
    if len(codes) > 1:
        # CompositeIdentifierParser::stringify; sprintf('%s', null) is "".
        return ";".join(f"{i}={code or ''}" for i, code in enumerate(codes))
    return (codes[0] if codes else None) or _OBJECT_HASH


def violation_body(
    violations: Sequence[Violation], id_: str | None = None, title: str = DEFAULT_TITLE
) -> dict[str, Any]:
    """The Korus 422 (book-a-ticket, §6.1): API Platform's ConstraintViolation in the order its
    class declares, under the names Korus documents (`ConstraintViolationList`, §8.8)."""
    ident = violation_id(violations) if id_ is None else id_
    detail = violation_detail(violations)
    return {
        "@context": "/contexts/ConstraintViolationList",
        "@id": f"/validation_errors/{ident}",
        "@type": "ConstraintViolationList",
        "status": 422,
        "violations": [
            {"propertyPath": v.property_path, "message": v.message, "code": v.code}
            for v in violations
        ],
        "detail": detail,
        "description": detail,
        "type": f"/validation_errors/{ident}",
        "title": title,
    }


def problem_body(error: KorusError, violations: Sequence[Violation]) -> dict[str, Any]:
    """`_api_errors_problem` (`Accept: application/problem+json` or `application/json`, §8.7):
    the `jsonproblem` group, so no `@context`, `@id`, `@type` nor `description`."""
    if not violations:
        status = error.status
        return {
            "title": error.title,
            "detail": error.detail,
            "status": status,
            "type": f"/errors/{status}",
        }
    ident, detail = violation_id(violations), violation_detail(violations)
    return {
        "status": 422,
        "violations": [
            {"propertyPath": v.property_path, "message": v.message, "code": v.code}
            for v in violations
        ],
        "detail": detail,
        "type": f"/validation_errors/{ident}",
        "title": error.title,
    }


def _render(error: KorusError, base_url: str, wanted: Preferences) -> tuple[bytes, str]:
    """The body and Link header of `error` in the form and language asked for."""
    violations = [
        Violation(v.property_path, messages.translate(v.message, wanted.language), v.code)
        for v in error.violations
    ]
    if wanted.form != "jsonld":  # _api_errors_problem has no link of its own
        body = problem_body(error, violations)
        # application/problem+json is the `jsonproblem` format, whose encoder is JSON-LD's class
        # (§8.3: `\u0022`, raw accents); only application/json's `json` is Symfony's plain one.
        content = encode(body) if wanted.form == "problem" else encode_json(body)
        return content, headers(base_url)["Link"]
    if violations:
        body = violation_body(violations, title=error.title)
    else:
        body = error_body(error.status, error.detail, error.title)
    return encode(body), headers(base_url, error=True)["Link"]


class ErrorResponse(Response):
    """An API Platform error, written when it is sent, in the form (`Accept`) and language
    (`Accept-Language`) of the request: whoever raises or builds it needs no request."""

    def __init__(self, error: KorusError, base_url: str) -> None:
        self.error, self.base_url = error, base_url
        content, _ = _render(error, base_url, negotiation.DEFAULT)
        # problem+json even when the client asked for ld+json, as API Platform answers (§8.7).
        super().__init__(content, error.status, headers(base_url, error=True), PROBLEM_JSON)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = negotiation.original_path(scope)
        wanted = negotiation.preferences(Headers(scope=scope), path)
        if wanted != negotiation.DEFAULT:
            self.body, self.headers["Link"] = _render(self.error, self.base_url, wanted)
            self.headers["Content-Length"] = str(len(self.body))
        await super().__call__(scope, receive, send)


def error_response(error: KorusError, base_url: str) -> Response:
    return ErrorResponse(error, base_url)
