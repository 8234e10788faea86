"""Korus wire bytes: PHP json_encode with API Platform's flags, headers, Error and 422 bodies."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking_sandbox.vendors.korus.php_json import _dumps, _php_json, encode, php_float
from booking_sandbox.vendors.korus.wire import (
    LD_JSON,
    PROBLEM_JSON,
    KorusError,
    Violation,
    error_body,
    error_response,
    genid,
    headers,
    respond,
    violation_body,
)

BASE = "http://localhost:8000"
DOC_LINK = (
    '<http://localhost:8000/docs.jsonld>; rel="http://www.w3.org/ns/hydra/core#apiDocumentation"'
)
ERROR_LINK = '<http://www.w3.org/ns/hydra/error>; rel="http://www.w3.org/ns/json-ld#error"'
EXPIRED = "d53a91b0-def3-426a-83d7-269da7ab4200"


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        ("/", rb'"\/"'),
        ('"', rb'"\u0022"'),
        ("'", rb'"\u0027"'),
        ("&", rb'"\u0026"'),
        ("<", rb'"\u003C"'),
        (">", rb'"\u003E"'),
        ("\\", rb'"\\"'),
        ("\b\f\n\r\t", rb'"\b\f\n\r\t"'),
        ("\x00\x01\x0b\x1a\x1f", rb'"\u0000\u0001\u000b\u001a\u001f"'),
        ("\x7f", b'"\x7f"'),  # DEL is not a control character for php_json_escape_string
        ("\u2028\u2029", rb'"\u2028\u2029"'),
        ("é€😀", '"é€😀"'.encode()),
        ("a\ud800b\udfffc", b'"abc"'),  # JSON_INVALID_UTF8_IGNORE drops what is not UTF-8
        ("", b'""'),
    ],
)
def test_each_escape_rule(text: str, wire: bytes) -> None:
    assert encode(text) == wire


@pytest.mark.parametrize(
    ("text", "wire"),
    [
        ('a\\"b', rb'"a\\\u0022b"'),
        ('\\"', rb'"\\\u0022"'),
        ("'\"'", rb'"\u0027\u0022\u0027"'),
        ("\\", rb'"\\"'),
        ("\\\\", rb'"\\\\"'),
        ('\\\\"', rb'"\\\\\u0022"'),
        ('"\\', rb'"\u0022\\"'),
        ("\\u0022", rb'"\\u0022"'),
        ("\\/", rb'"\\\/"'),
    ],
)
def test_backslashes_next_to_quotes(text: str, wire: bytes) -> None:
    assert encode(text) == wire
    assert encode({text: text}) == b"{" + wire + b":" + wire + b"}"
    assert encode([text, text]) == b"[" + wire + b"," + wire + b"]"


def test_keys_with_special_characters() -> None:
    document = {"a/b": 1, "it's": 2, 'say "hi"': 3, "<&>": 4, "é": 5, "t\tab": 6}
    assert encode(document) == (
        rb'{"a\/b":1,"it\u0027s":2,"say \u0022hi\u0022":3,"\u003C\u0026\u003E":4,'
        + '"é":5,'.encode()
        + rb'"t\tab":6}'
    )


def test_scalars_and_empty_containers() -> None:
    assert encode(None) == b"null"
    assert encode(True) == b"true"
    assert encode(False) == b"false"
    assert encode(0) == b"0"
    assert encode(-12) == b"-12"
    assert encode(2**63) == b"9223372036854775808"
    assert encode([]) == b"[]"
    assert encode({}) == b"{}"  # a dict is an object, even empty (PHP needs an ArrayObject)
    assert encode({"mapping": [], "o": {}}) == b'{"mapping":[],"o":{}}'


def test_nested_structures() -> None:
    document = {"a": [{"b": [1, "x/y", {"c": None}]}, [], {}], "d": {"e": {"f": [True, False]}}}
    assert encode(document) == (
        b'{"a":[{"b":[1,"x\\/y",{"c":null}]},[],{}],"d":{"e":{"f":[true,false]}}}'
    )
    assert encode(("a", ("b",))) == b'["a",["b"]]'


def test_catalogs_collection_of_the_reference() -> None:
    """Reference §8.3's worked example, byte for byte."""
    catalog = "0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
    document = {
        "@context": "/contexts/TicketingCatalog",
        "@id": "/v1/ticketing/catalogs",
        "@type": "Collection",
        "totalItems": 1,
        "member": [
            {
                "@id": f"/v1/ticketing/catalogs/{catalog}",
                "@type": "TicketingCatalog",
                "id": catalog,
                "createdAt": "2025-01-28T07:42:04+00:00",
                "name": "Catalogue Puy du Fou - CSE",
            }
        ],
        "search": {
            "@type": "IriTemplate",
            "template": "/v1/ticketing/catalogs{?}",
            "variableRepresentation": "BasicRepresentation",
            "mapping": [],
        },
    }
    assert encode(document) == (
        b'{"@context":"\\/contexts\\/TicketingCatalog","@id":"\\/v1\\/ticketing\\/catalogs",'
        b'"@type":"Collection","totalItems":1,"member":[{"@id":"\\/v1\\/ticketing\\/catalogs'
        b'\\/0194abdc-3a71-72b0-a9b9-89d4be0cd73e","@type":"TicketingCatalog",'
        b'"id":"0194abdc-3a71-72b0-a9b9-89d4be0cd73e","createdAt":"2025-01-28T07:42:04+00:00",'
        b'"name":"Catalogue Puy du Fou - CSE"}],"search":{"@type":"IriTemplate",'
        b'"template":"\\/v1\\/ticketing\\/catalogs{?}","variableRepresentation":'
        b'"BasicRepresentation","mapping":[]}}'
    )


def test_strings_of_the_reference() -> None:
    assert encode("A great offer's ticket name") == rb'"A great offer\u0027s ticket name"'
    assert encode("OL / FC LORIENT") == rb'"OL \/ FC LORIENT"'
    url = "https://storage.googleapis.com/B/x.pdf?GoogleAccessId=b%40b.iam&Expires=1738235339"
    assert encode(url) == (
        rb'"https:\/\/storage.googleapis.com\/B\/x.pdf?GoogleAccessId=b%40b.iam'
        rb'\u0026Expires=1738235339"'
    )


@pytest.mark.parametrize(
    ("number", "wire"),
    [
        (1.0, "1"),  # no JSON_PRESERVE_ZERO_FRACTION
        (100.0, "100"),
        (-1.5, "-1.5"),
        (0.1, "0.1"),
        (0.5, "0.5"),
        (1234.5678, "1234.5678"),
        (0.0001, "0.0001"),
        (0.00001, "1.0e-5"),
        (2.5e-5, "2.5e-5"),
        (1.5e-7, "1.5e-7"),
        (1e16, "10000000000000000"),
        (1e17, "1.0e+17"),
        (1.2345678901234568e17, "1.2345678901234568e+17"),
        (1e25, "1.0e+25"),
        (-1e25, "-1.0e+25"),
        (1e-300, "1.0e-300"),
        (5e-324, "5.0e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (0.0, "0"),
        (-0.0, "-0"),
    ],
)
def test_floats_as_php_writes_them(number: float, wire: str) -> None:
    assert php_float(number) == wire
    assert encode(number) == wire.encode()
    assert encode({"n": [number]}) == f'{{"n":[{wire}]}}'.encode()


def test_float_lookalikes_in_strings_and_nonfinite_floats() -> None:
    # Strings that look like a number's tail take the slow path and come out the same.
    document = {"a": "v1.5, then", "b": "e+5]", "c": 2, "d": "80.00", "1.5": 3.0}
    assert encode(document) == b'{"a":"v1.5, then","b":"e+5]","c":2,"d":"80.00","1.5":3}'
    for bad in (float("nan"), float("inf"), -float("inf")):
        with pytest.raises(ValueError, match="not JSON compliant"):
            encode({"x": [bad]})


def test_error_body_of_the_reference_404() -> None:
    assert encode(error_body(404, "Not Found")) == (
        b'{"@context":"\\/contexts\\/Error","@id":"\\/errors\\/404","@type":"Error",'
        b'"title":"An error occurred","detail":"Not Found","status":404,'
        b'"type":"\\/errors\\/404","description":"Not Found"}'
    )


def test_error_body_quotes_become_hex() -> None:
    detail = 'No route found for "GET https://h/v1/x"'
    assert rb'"detail":"No route found for \u0022GET https:\/\/h\/v1\/x\u0022"' in encode(
        error_body(404, detail)
    )


# Seed 001 (book-a-ticket), as printed there; the same JSON decoded must equal our body, in order.
SEED_001_422 = """{
  "@context": "/contexts/ConstraintViolationList",
  "@id": "/validation_errors/d53a91b0-def3-426a-83d7-269da7ab4200",
  "@type": "ConstraintViolationList",
  "status": 422,
  "violations": [
    {
      "propertyPath": "reservations[0].expired",
      "message": "La réservation a expiré",
      "code": "d53a91b0-def3-426a-83d7-269da7ab4200"
    }
  ],
  "detail": "reservations[0].expired: La réservation a expiré",
  "description": "reservations[0].expired: La réservation a expiré",
  "type": "/validation_errors/d53a91b0-def3-426a-83d7-269da7ab4200",
  "title": "An error occurred"
}"""


def _pairs(text: str | bytes) -> Any:
    return json.loads(text, object_pairs_hook=list)


def test_seed_001_expired_reservation_422_byte_for_byte() -> None:
    expired = Violation("reservations[0].expired", "La réservation a expiré", EXPIRED)
    wire = encode(violation_body([expired]))
    assert wire == (
        b'{"@context":"\\/contexts\\/ConstraintViolationList",'
        b'"@id":"\\/validation_errors\\/d53a91b0-def3-426a-83d7-269da7ab4200",'
        b'"@type":"ConstraintViolationList","status":422,"violations":[{"propertyPath":'
        b'"reservations[0].expired","message":"La r\xc3\xa9servation a expir\xc3\xa9",'
        b'"code":"d53a91b0-def3-426a-83d7-269da7ab4200"}],'
        b'"detail":"reservations[0].expired: La r\xc3\xa9servation a expir\xc3\xa9",'
        b'"description":"reservations[0].expired: La r\xc3\xa9servation a expir\xc3\xa9",'
        b'"type":"\\/validation_errors\\/d53a91b0-def3-426a-83d7-269da7ab4200",'
        b'"title":"An error occurred"}'
    )
    assert _pairs(wire) == _pairs(SEED_001_422)


def test_violation_ids_details_and_null_codes() -> None:
    first = Violation("customer.email", "This value should not be blank.", "c1051bb4")
    second = Violation("", "Global problem.", "ad32d13f")
    body = violation_body([first, second])
    assert body["@id"] == "/validation_errors/0=c1051bb4;1=ad32d13f"
    assert body["type"] == "/validation_errors/0=c1051bb4;1=ad32d13f"
    assert body["detail"] == "customer.email: This value should not be blank.\nGlobal problem."
    assert body["description"] == body["detail"]
    assert list(body) == [
        "@context",
        "@id",
        "@type",
        "status",
        "violations",
        "detail",
        "description",
        "type",
        "title",
    ]
    assert violation_body([first, Violation("x", "y", None)])["@id"] == (
        "/validation_errors/0=c1051bb4;1="
    )
    no_code = violation_body([Violation("x", "y", None)])
    assert re.fullmatch(r"/validation_errors/[0-9a-f]{32}", no_code["@id"])
    assert no_code["violations"] == [{"propertyPath": "x", "message": "y", "code": None}]
    assert violation_body([first], id_="given")["@id"] == "/validation_errors/given"
    # PHP tests the property path for truth: "0" is falsy too.
    assert violation_body([Violation("0", "m", "c")])["detail"] == "m"


def test_headers_and_respond() -> None:
    assert headers(BASE + "/") == {
        "Vary": "Accept",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "deny",
        "Link": DOC_LINK,
    }
    assert headers(BASE, error=True)["Link"] == f"{ERROR_LINK}, {DOC_LINK}"
    response = respond({"@id": "/a"}, base_url=BASE)
    assert response.status_code == 200
    assert response.body == b'{"@id":"\\/a"}'
    assert response.headers["content-type"] == LD_JSON
    assert response.headers["link"] == DOC_LINK
    assert response.headers["vary"] == "Accept"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "deny"
    assert respond([], 201, base_url=BASE).status_code == 201


def test_error_response() -> None:
    response = error_response(KorusError(404, "Not Found"), BASE)
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["link"] == f"{ERROR_LINK}, {DOC_LINK}"
    assert response.headers["vary"] == "Accept"
    assert response.body == encode(error_body(404, "Not Found"))
    titled = error_response(KorusError(403, "Access Denied.", title="Forbidden"), BASE)
    assert _pairs(bytes(titled.body))[3] == ("title", "Forbidden")


def test_error_response_for_violations() -> None:
    expired = Violation("reservations[0].expired", "La réservation a expiré", EXPIRED)
    error = KorusError.unprocessable([expired])
    assert (error.status, error.detail) == (422, "reservations[0].expired: La réservation a expiré")
    response = error_response(error, BASE)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["link"] == f"{ERROR_LINK}, {DOC_LINK}"
    assert response.body == encode(violation_body([expired]))


def test_genid() -> None:
    first, again = genid(random.Random(7)), genid(random.Random(7))
    assert first == again
    assert re.fullmatch(r"/\.well-known/genid/[0-9a-f]{20}", first)
    rng = random.Random(1)
    ids = {genid(rng) for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == len("/.well-known/genid/") + 20 for i in ids)


# Text without lone surrogates (codec="utf-8" leaves them out), weighted toward
# the characters the encoder treats specially.
SPECIAL = "\"\\/'&<>\b\f\n\r\t\x00\x1f\x7f\u2028\u2029é😀e+.,]}:"
texts = st.text(st.sampled_from(SPECIAL) | st.characters(codec="utf-8"), max_size=12)
numbers = (
    st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.none()
)
documents = st.recursive(
    numbers | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


def _strings(value: Any) -> int:
    """How many JSON strings (values and keys) a document holds."""
    if isinstance(value, str):
        return 1
    if isinstance(value, dict):
        return sum(1 + _strings(v) for v in value.values())
    if isinstance(value, list):
        return sum(_strings(v) for v in value)
    return 0


def _numbers_as_floats(value: Any) -> Any:
    """PHP writes 1.0 as `1` and 5.288123294690049e16 as `52881232946900490`: JSON numbers that
    read back as ints but denote the same double."""
    if isinstance(value, dict):
        return {k: _numbers_as_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_floats(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


# Every escape sequence json_encode may write; what is left of a string must be plain text.
ESCAPES = re.compile(r'\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])')


@given(documents)
def test_round_trip_and_nothing_raw(document: Any) -> None:
    wire = encode(document)
    assert _numbers_as_floats(json.loads(wire)) == _numbers_as_floats(document)
    text = wire.decode("utf-8")
    # Every `"` is a string's delimiter: none is left raw, nor as `\"`, inside a string.
    assert text.count('"') == 2 * _strings(document)
    bare = ESCAPES.sub("", text)
    assert "\\" not in bare
    for raw in "/'&<>\u2028\u2029":
        assert raw not in bare
    assert not re.search(r"[\x00-\x1f]", bare)


floatless = st.recursive(
    st.integers() | st.booleans() | st.none() | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)


@given(floatless)
def test_slow_path_writes_what_the_fast_path_writes(document: Any) -> None:
    """The float-safe serializer (taken when a float may be present) agrees with json.dumps."""
    assert _php_json(document) == _dumps(document)
