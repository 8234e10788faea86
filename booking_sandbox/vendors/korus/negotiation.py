"""What a Korus client asked for: a media type (`Accept`) and a language (`Accept-Language`).

`Accept` is read as API Platform reads it (ContentNegotiationTrait::getRequestFormat, through
willdurand/negotiation's `Negotiator::getBest`, reference §8.7):
- resources are served in one format, `jsonld` (API Platform 4's default `formats`; every Korus
  operation page lists `application/ld+json` alone): any other `Accept` is a 406;
- errors negotiate over `error_formats` (`jsonld`, `jsonproblem`, `json`) and never fail: a
  media type none of them serves falls back to `jsonld`.
`Accept-Language` is read once here for all of Korus (`preferred_languages`): violation
messages pick French or English as Symfony's `getPreferredLanguage(['fr', 'en'])` does, French
when neither is asked for (the catalogs' language, and the how-to's header); documents and
catalog texts pick among their own languages by the same ranking.

Both headers are read up to a bound (`MAX_HEADER_CHARS`, `MAX_RANGES`): the negotiator has
none, but a header that long never reaches Korus's Symfony (web servers refuse header lines
of a few KB), and each error answer negotiates, so an unbounded read would let anyone, even
without a token, buy CPU with a large `Accept`. What lies past the bound is not read: a type
or language listed there counts as not asked for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from starlette.datastructures import Headers

LD_JSON_TYPE = "application/ld+json"
RESOURCE_TYPES = (LD_JSON_TYPE,)
# error_formats' MIME types, flattened in their order: jsonld, jsonproblem, json.
ERROR_TYPES = (LD_JSON_TYPE, "application/problem+json", "application/json")
LANGUAGES = ("fr", "en")  # the first is the default

# What is read of `Accept` / `Accept-Language`: whole ranges within the first MAX_HEADER_CHARS
# characters, at most MAX_RANGES of them (a browser sends under 10, in ~200 characters).
MAX_HEADER_CHARS = 4096
MAX_RANGES = 64
# The 406 echoes `Accept` (twice, detail and description): at most this much of it.
MAX_ECHO_CHARS = 1024

# jsonld: the hydra Error; problem: `jsonproblem` (application/problem+json); json: `json`
# (application/json). The last two are the same `_api_errors_problem` body, in two encoders.
Form = Literal["jsonld", "problem", "json"]
Language = Literal["fr", "en"]
# `{._format}`: FormatSuffix keeps the path the client sent here (routes.py).
_ORIGINAL_PATH = "sandbox.original_path"


@dataclass(frozen=True)
class Preferences:
    """How an error answer is written: its form and its language."""

    form: Form = "jsonld"
    language: Language = "fr"


DEFAULT = Preferences()


def preferences(headers: Headers, original: str | None = None) -> Preferences:
    """The error form and the language a request asks for; `original` is the path the client
    sent when FormatSuffix took a `.jsonld` off it."""
    return Preferences(_error_form(headers, original), language(headers))


def accept_header(headers: Headers) -> str | None:
    """`Accept` as Symfony reads it: repeated headers joined; empty counts as absent (the
    negotiator would throw on it, a 500 no client means to ask for)."""
    values = [v.strip() for v in headers.getlist("accept")]
    joined = ", ".join(v for v in values if v)
    return joined or None


def unacceptable(headers: Headers) -> str | None:
    """ContentNegotiationProvider's 406 detail for a resource, or None when JSON-LD will do."""
    accept = accept_header(headers)
    if accept is None or best(accept, RESOURCE_TYPES) is not None:
        return None
    supported = '", "'.join(RESOURCE_TYPES)
    if len(accept) > MAX_ECHO_CHARS:  # the sandbox's cut: Symfony would echo it all
        accept = accept[:MAX_ECHO_CHARS] + "..."
    return f'Requested format "{accept}" is not supported. Supported MIME types are "{supported}".'


def _error_form(headers: Headers, original_path: str | None) -> Form:
    # A `.jsonld` path names the format (the route's `_format`): its errors are JSON-LD whatever
    # the Accept. Without Accept, or when no error format matches, the first one: jsonld.
    if original_path is not None and original_path.endswith(".jsonld"):
        return "jsonld"
    accept = accept_header(headers)
    chosen = best(accept, ERROR_TYPES) if accept is not None else None
    if chosen == ERROR_TYPES[1]:
        return "problem"
    return "json" if chosen == ERROR_TYPES[2] else "jsonld"


def original_path(scope: Mapping[str, Any]) -> str | None:
    found = scope.get(_ORIGINAL_PATH)
    return found if isinstance(found, str) else None


# ----- willdurand/negotiation ----------------------------------------------------------------


@dataclass(frozen=True)
class _Range:
    base: str
    sub: str
    params: tuple[tuple[str, str], ...]
    quality: float


def _head(header: str) -> str:
    """The whole ranges that end within the first MAX_HEADER_CHARS characters."""
    if len(header) <= MAX_HEADER_CHARS:
        return header
    return header[: MAX_HEADER_CHARS + 1].rpartition(",")[0]


def ranges(header: str) -> tuple[_Range, ...]:
    """The media ranges read from `Accept`: at most MAX_RANGES, from its head."""
    return _ranges(_head(header))


@lru_cache(maxsize=64)
def _ranges(head: str) -> tuple[_Range, ...]:
    return tuple(r for r in map(_parse, _split(head)[:MAX_RANGES]) if r is not None)


def best(header: str, priorities: tuple[str, ...]) -> str | None:
    """`Negotiator::getBest($header, $priorities)`: the priority the header prefers, or None.

    Per priority the most specific matching range counts (its score), then the highest quality
    wins, then the server's order. Like the library: a range with parameters other than `q`
    (`application/ld+json; charset=utf-8`) matches no plain priority, and q=0 is not excluded.
    Cached by the header's head: one request asks twice (406 check, then the error's form).
    """
    return _best(_head(header), priorities)


@lru_cache(maxsize=64)
def _best(head: str, priorities: tuple[str, ...]) -> str | None:
    wanted = [_parse(p) for p in priorities]
    found: dict[int, tuple[float, int]] = {}  # index -> (quality, score)
    for index, priority in enumerate(wanted):
        assert priority is not None
        for accept in _ranges(head):
            scored = _match(accept, priority)
            if scored is not None and (index not in found or found[index][1] < scored[1]):
                found[index] = scored
    if not found:
        return None
    index = min(found, key=lambda i: (-found[i][0], i))
    return priorities[index]


_PARTS = re.compile(r'(?:[^,"]*+(?:"[^"]*+")?)+[^,"]*+')  # AbstractNegotiator::parseHeader's


def _split(header: str) -> list[str]:
    """Commas outside double quotes; parts trimmed, empty ones dropped."""
    return [p.strip() for p in _PARTS.findall(header) if p.strip()]


def _parse(text: str) -> _Range | None:
    """BaseAccept + Accept: None for what the library rejects (InvalidMediaType, skipped)."""
    kind, *parts = text.split(";")
    params: dict[str, str] = {}
    for part in parts:
        pair = part.split("=")
        if len(pair) == 2:
            params[pair[0].strip().lower()] = pair[1].strip(' "')
    quality = _php_float(params.pop("q")) if "q" in params else 1.0
    kind = kind.strip().lower()
    if kind == "*":
        kind = "*/*"
    pieces = kind.split("/")
    # PHP's `!$part` is also true for "0".
    if len(pieces) != 2 or pieces[0] in ("", "0") or pieces[1] in ("", "0"):
        return None
    return _Range(pieces[0], pieces[1], tuple(params.items()), quality)


def _php_float(text: str) -> float:
    """PHP's `(float) $string`: the leading number, 0 when there is none."""
    match = re.match(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", text)
    return float(match.group(0)) if match else 0.0


def _match(accept: _Range, priority: _Range) -> tuple[float, int] | None:
    """Negotiator::match: (quality, score), or None when the range does not cover the type."""
    common = len(set(accept.params) & set(priority.params))
    fits = common == len(accept.params)
    base_equal = accept.base == priority.base
    sub_equal = accept.sub == priority.sub
    quality = accept.quality * priority.quality
    if (accept.base == "*" or base_equal) and (accept.sub == "*" or sub_equal) and fits:
        return quality, 100 * base_equal + 10 * sub_equal + common
    if "+" not in accept.sub or "+" not in priority.sub:
        return None
    # "+" segment wildcards: application/*+json, application/ld+*
    a_sub, a_plus = accept.sub.split("+", 1)
    p_sub, p_plus = priority.sub.split("+", 1)
    if not (accept.base == "*" or base_equal) or "*" not in (a_sub, p_sub, a_plus, p_plus):
        return None
    sub_equal, plus_equal = a_sub == p_sub, a_plus == p_plus
    if (
        (a_sub == "*" or p_sub == "*" or sub_equal)
        and (a_plus == "*" or p_plus == "*" or plus_equal)
        and fits
    ):
        return quality, 100 * base_equal + 10 * sub_equal + plus_equal + common
    return None


# ----- Accept-Language -----------------------------------------------------------------------


def accept_language(headers: Headers) -> str:
    """`Accept-Language`, repeated headers joined as PHP's SAPI joins them."""
    return ", ".join(headers.getlist("accept-language"))


def preferred_languages(header: str) -> tuple[str, ...]:
    """The primary subtags asked for, by quality then order (`en-GB` and `EN_us` are `en`).
    q=0 means "not this one" (RFC 9110) and `*` names no language: both are left out."""
    return _preferred(_head(header))


@lru_cache(maxsize=64)
def _preferred(head: str) -> tuple[str, ...]:
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(head.split(",")[:MAX_RANGES]):
        tag, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                quality = _php_float(value)  # AcceptHeaderItem: `(float) $value`
        primary = tag.lower().replace("_", "-").split("-")[0]
        if primary and primary != "*" and quality > 0:
            ranked.append((-quality, position, primary))
    return tuple(primary for _, _, primary in sorted(ranked))


def choose_language(header: str, served: Sequence[str]) -> str | None:
    """The first preferred language that is served, or None."""
    return next((lang for lang in preferred_languages(header) if lang in served), None)


def language(headers: Headers) -> Language:
    """The language of violation messages: French or English, French when neither is asked."""
    return "en" if choose_language(accept_language(headers), LANGUAGES) == "en" else "fr"
