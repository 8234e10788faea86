"""`url_path` reads what `request.url.path` reads, for plain paths and every odd one."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.requests import Request

from booking_sandbox.core.request_path import url_path

PATHS = [
    "/v1/booking/reservations/_bulk",
    "/realms/korusticket/protocol/openid-connect/token",
    "/api/v1/auth/token",
    "/",
    "//v1/evil",  # without a host, a leading `//` would be read as one
    "/v1/a?b",  # a `?` decoded from %3F
    "/v1/a#b",
    "/v1/a\\b",
    "/v1/re\talms",  # urlsplit drops tab, CR and LF
    "/v1/a\r\nb",
    "/v1/a b",
    "/v1/\x00x",
    "/v1/caf\u00e9/\u2028",
    "/v1/%2F/x",
    "relative",
    "",
]
HOSTS: list[Any] = [b"127.0.0.1:8000", b"example.com", b"bad host/x", b"h:99999999", None]
SERVERS: list[Any] = [("127.0.0.1", 8000), ("::1", 80), None]


def scope(path: str, host: bytes | None, server: Any) -> dict[str, Any]:
    headers = [] if host is None else [(b"host", host)]
    return {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "server": server,
        "path": path,
        "query_string": b"q=1",
        "headers": headers,
    }


@pytest.mark.parametrize("path", PATHS)
def test_url_path_is_starlettes(path: str) -> None:
    for host in HOSTS:
        for server in SERVERS:
            expected = Request(scope(path, host, server)).url.path
            assert url_path(Request(scope(path, host, server))) == expected, (host, server)
