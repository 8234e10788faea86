"""Korus's JSON bytes: PHP's `json_encode` under API Platform's flags, and Symfony's own.

Korus runs API Platform 4, whose `JsonEncoder` calls PHP's `json_encode` with JSON_HEX_TAG |
JSON_HEX_APOS | JSON_HEX_AMP | JSON_HEX_QUOT | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_IGNORE
(reference §8.3): IRIs read `\\/v1\\/...`, quotes `\\u0022`, accents stay raw UTF-8.
A document is plain Python: a dict is a JSON object (`{}` when empty), a list or tuple an array.
The headers and the error bodies around these bytes are in korus/wire.py.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from booking_sandbox.core.jsonwire import Plain, no_float

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


def encode_json(document: Any) -> bytes:
    """Symfony's own JsonEncoder, the `json` format's alone (only JSON_PRESERVE_ZERO_FRACTION,
    §8.3): `\\/` and `\\uXXXX` for anything not ASCII, quotes as `\\"`. Error bodies hold no
    floats. The `jsonproblem` format's encoder is API Platform's, `encode`."""
    return json.dumps(document, separators=(",", ":")).replace("/", "\\/").encode()
