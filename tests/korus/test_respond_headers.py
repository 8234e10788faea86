"""`wire.respond` builds its header lines once per base URL, yet answers Starlette's bytes."""

from __future__ import annotations

import pytest
from starlette.responses import Response

from booking_sandbox.vendors.korus import php_json, wire

BASES = ["http://127.0.0.1:8000", "http://example.com/root/", "https://[::1]:8443"]


@pytest.mark.parametrize("status", [200, 201, 202, 299, 400, 204, 304, 101])
@pytest.mark.parametrize("base", BASES)
def test_respond_answers_what_starlettes_response_did(base: str, status: int) -> None:
    document = {"@id": "/v1/x", "name": "caf\u00e9 & <b>"}
    made = wire.respond(document, status, base_url=base)
    reference = Response(php_json.encode(document), status, wire.headers(base), wire.LD_JSON)
    assert (made.status_code, made.body, made.raw_headers) == (
        reference.status_code,
        reference.body,
        reference.raw_headers,
    )
    assert made.media_type == reference.media_type
    assert type(made) is Response  # what the cached reads store (core/cached_route.py)
    assert made.background is None


def test_each_response_owns_its_header_list() -> None:
    first = wire.respond({}, base_url=BASES[0])
    first.headers["Content-Location"] = "/v1/x.jsonld"  # as order_tickets does
    second = wire.respond({}, base_url=BASES[0])
    assert b"content-location" not in dict(second.raw_headers)


def test_a_base_url_latin_1_cannot_write_fails_as_before() -> None:
    with pytest.raises(UnicodeEncodeError):
        Response(b"{}", 200, wire.headers("http://\u4e2d"), wire.LD_JSON)
    with pytest.raises(UnicodeEncodeError):
        wire.respond({}, base_url="http://\u4e2d")
