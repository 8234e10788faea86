"""Korus on the wire: API Platform's JSON-LD bytes, headers, `Error` and 422 bodies (§8), the
errors in the form (`Accept`) and language (`Accept-Language`) the request negotiates.

Korus runs API Platform 4, whose `JsonEncoder` calls PHP's `json_encode` with JSON_HEX_TAG |
JSON_HEX_APOS | JSON_HEX_AMP | JSON_HEX_QUOT | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_IGNORE
(reference §8.3): IRIs read `\\/v1\\/...`, quotes `\\u0022`, accents stay raw UTF-8.
A document is plain Python: a dict is a JSON object (`{}` when empty), a list or tuple an array.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from booking_sandbox.core.jsonwire import Plain, no_float
from booking_sandbox.vendors.korus import messages, negotiation
from booking_sandbox.vendors.korus.negotiation import Preferences

LD_JSON = "application/ld+json; charset=utf-8"
PROBLEM_JSON = "application/problem+json; charset=utf-8"
DEFAULT_TITLE = "An error occurred"
API_DOCUMENTATION = "http://www.w3.org/ns/hydra/core#apiDocumentation"
ERROR_LINK = '<http://www.w3.org/ns/hydra/error>; rel="http://www.w3.org/ns/json-ld#error"'

# NaN and infinities: PHP's json_encode fails on them (Symfony then throws), so do we.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode

# json.dumps already escapes `\` (as `\\`), `"` (as `\"`), \b \f \n \r \t and other controls
# as `\u00XX` in lowercase hex, exactly as php-src `php_json_escape_string`. What PHP adds under the
# flags above (uppercase hex is hard-coded there). These characters only ever occur inside
# strings in JSON text, so replacing them everywhere is safe.
_EXTRA = (
    ("/", "\\/"),
    ("'", "\\u0027"),
    ("&", "\\u0026"),
    ("<", "\\u003C"),
    (">", "\\u003E"),
    ("\u2028", "\\u2028"),  # escaped unless JSON_UNESCAPED_LINE_TERMINATORS, which is not set
    ("\u2029", "\\u2029"),
)

# Where json.dumps may have written a float (Python's repr differs from PHP's): every repr ends
# in `.<digits>` or `e<sign><digits>`, and inside a document a number is followed by `,` `}` or
# `]`. Money strings (`"80.00"`) end in a quote, so they do not match; a string that does
# (`"v1.5, then"`) only costs the slow path, which is exact either way. Two patterns with a
# literal start are ~8x faster than one alternation over the whole text.
_FLOAT_TAILS = (re.compile(r"\.\d+[,}\]]"), re.compile(r"e[-+]\d+[,}\]]"))


# A float takes `encode_reference`, which writes it as PHP does (json.dumps and orjson do not).
_PLAIN = Plain(no_float)
_EXTRA_BYTES = tuple((raw.encode(), escaped.encode()) for raw, escaped in _EXTRA)


def encode(document: Any) -> bytes:
    """The bytes `json_encode($document, <API Platform's flags>)` writes.

    `encode_reference`'s, through orjson for a plain document: no float, no lone surrogate.
    """
    raw = _PLAIN.dumps(document)
    if raw is None:
        return encode_reference(document)
    if b'\\"' in raw:  # as in `_php_escapes`; orjson never writes a raw NUL either
        raw = raw.replace(b"\\\\", b"\0").replace(b'\\"', b"\\u0022").replace(b"\0", b"\\\\")
    for plain, escaped in _EXTRA_BYTES:  # a UTF-8 sequence never occurs inside another one
        raw = raw.replace(plain, escaped)
    return raw


def encode_reference(document: Any) -> bytes:
    """PHP's bytes by json.dumps: the definition `encode` must match, and its fallback."""
    text = _dumps(document)
    if isinstance(document, float) or any(tail.search(text) for tail in _FLOAT_TAILS):
        text = _php_json(document)
    # JSON_INVALID_UTF8_IGNORE: bytes that are not UTF-8 are dropped. In a str those are lone
    # surrogates, the only code points UTF-8 cannot encode.
    return _php_escapes(text).encode("utf-8", errors="ignore")


def _php_escapes(text: str) -> str:
    if '\\"' in text:
        # `\\"` is an escaped backslash then a closing quote, not an escaped quote, so park the
        # escaped backslashes first. NUL is never raw in json.dumps output (it writes \u0000).
        text = text.replace("\\\\", "\0").replace('\\"', "\\u0022").replace("\0", "\\\\")
    for raw, escaped in _EXTRA:
        text = text.replace(raw, escaped)
    return text


def _php_json(value: Any) -> str:
    """json.dumps text but with PHP's floats: the rare path, for documents holding a float."""
    if isinstance(value, float):
        return php_float(value)
    if isinstance(value, dict):
        items = (f"{_key(k)}:{_php_json(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_php_json(v) for v in value) + "]"
    return _dumps(value)


def _key(key: Any) -> str:
    # json.dumps writes a non-str key (1, True, None) as the text of its JSON value, quoted.
    return _dumps(key if isinstance(key, str) else _dumps(key))


def php_float(value: float) -> str:
    """A double as PHP >= 7.1 json_encode writes it with serialize_precision = -1.

    php-src `php_json_encode_double` calls `zend_gcvt(d, -1, '.', 'e', buf)`; precision -1 means
    zend_dtoa mode 0 (shortest round-trip digits, what Python's repr gives) with ndigit = 17, and
    exponent form when the decimal point lies past 17 digits or before 3 leading zeros:
    `1.0e+25`, `1.5e-7`, `0.0001`. No JSON_PRESERVE_ZERO_FRACTION, so `1.0` is `1`.
    """
    if not math.isfinite(value):
        raise ValueError(f"json_encode cannot write {value!r}")
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + exponent  # dtoa's decpt: value = 0.<digits> x 10**point
    minus = "-" if sign else ""
    if point > 17 or point < -3:
        mantissa = f"{digits[0]}.{digits[1:] or '0'}"
        return f"{minus}{mantissa}e{'+' if point > 0 else '-'}{abs(point - 1)}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{digits}"
    if len(digits) <= point:
        return minus + digits + "0" * (point - len(digits))
    return f"{minus}{digits[:point]}.{digits[point:]}"


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
    return Response(encode(document), status, headers(base_url), media_type=LD_JSON)


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


def encode_json(document: Any) -> bytes:
    """Symfony's own JsonEncoder, the `json` format's alone (only JSON_PRESERVE_ZERO_FRACTION,
    §8.3): `\\/` and `\\uXXXX` for anything not ASCII, quotes as `\\"`. Error bodies hold no
    floats. The `jsonproblem` format's encoder is API Platform's, `encode`."""
    return json.dumps(document, separators=(",", ":")).replace("/", "\\/").encode()


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
