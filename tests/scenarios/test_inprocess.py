"""The in-process caller on its own: answers, headers, and a path no route serves."""

from __future__ import annotations

import logging

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from booking_sandbox.control.inprocess import Caller
from booking_sandbox.vendors import VENDORS


async def echo(request: Request) -> Response:
    body = await request.body()
    headers = {k: request.headers.get(k) for k in ("x-sandbox-namespace", "content-type", "host")}
    return JSONResponse({"body": body.decode(), "query": request.url.query, **headers}, 201)


async def control(request: Request) -> Response:
    caller = Caller(request, "ns-1")
    found = await caller.call("POST", "/echo?a=1", form={"x": "y z"})
    missing = await caller.call("GET", "/nowhere")
    return JSONResponse(
        {
            "found": [found.status, found.json(), found.headers["content-type"]],
            "missing": missing.status,
            "sent": caller.sent,
        }
    )


def test_a_request_goes_through_the_router_and_a_missing_route_is_a_404() -> None:
    app = Starlette(routes=[Route("/echo", echo, methods=["POST"]), Route("/c", control)])
    with TestClient(app) as client:
        result = client.get("/c").json()
    assert result["found"] == [
        201,
        {
            "body": "x=y+z",
            "query": "a=1",
            "x-sandbox-namespace": "ns-1",
            "content-type": "application/x-www-form-urlencoded",
            "host": "testserver",
        },
        "application/json",
    ]
    assert result["missing"] == 404
    assert result["sent"] == ["POST /echo?a=1 -> 201", "GET /nowhere -> 404"]


async def boom(request: Request) -> Response:
    raise RuntimeError("a bug in a vendor handler")


class Silent:
    """An ASGI handler that returns without answering."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        return None


async def failing(request: Request) -> Response:
    caller = Caller(request, "ns-1")
    answers = [await caller.call("GET", path) for path in ("/api/v1/boom", "/api/v1/silent")]
    return JSONResponse([[a.status, a.json(), a.headers["content-type"]] for a in answers])


def test_a_handler_that_fails_or_never_answers_gets_the_vendors_own_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = Starlette(
        routes=[
            Route("/api/v1/boom", boom),
            Route("/api/v1/silent", Silent()),
            Route("/c", failing),
        ]
    )
    app.state.vendors = VENDORS  # the owner of a path answers its 500, as in the real app
    with TestClient(app) as client, caplog.at_level(logging.ERROR, logger="sandbox"):
        result = client.get("/c")
    assert result.status_code == 200, result.text
    pont_500 = {
        "success": False,
        "error": {"code": "INTERNAL_SERVER_ERROR", "message": "Server error"},
    }
    assert result.json() == [[500, pont_500, "application/json; charset=utf-8"]] * 2
    logged = [r for r in caplog.records if r.name == "sandbox"]
    assert [r.getMessage() for r in logged] == [
        "unhandled error on GET /api/v1/boom (in a scenario)",
        "no response to GET /api/v1/silent (in a scenario)",
    ]
    assert logged[0].exc_info is not None
    assert "a bug" in str(logged[0].exc_info[1])
