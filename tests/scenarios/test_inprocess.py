"""The in-process caller on its own: answers, headers, and a path no route serves."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from sandbox.scenarios.inprocess import Caller


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
