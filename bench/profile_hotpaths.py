"""The vendors' hot paths in-process: server CPU µs per request, without sockets or a client.

python -m bench.profile_hotpaths [--rounds 7] [--requests 300] [--only korus] [--bare] [--profile]
    [--starlette]

Builds the app as `booking-sandbox` does (settings from flags, the access log wired the same way
but into /dev/null) and calls it through ASGI with the requests the socket benchmarks send
(bench/load/paths.py), each scenario in its own namespace at its seed's moment, the clock frozen.
Only the measured request is timed (time.process_time around the ASGI call); set-up requests
(a reservation to order, an order to book into) run untimed. The figure is the median over
rounds of the mean per request: CPU time, so other load on the machine barely moves it.
`--bare` also times a bare Starlette app (one route) answering the same bytes to the same
requests, and estimates the load benchmark's throughput ratio (sandbox / bare Starlette) as
(server + bare) / (server + sandbox), where server is the CPU uvicorn spends per request
around either app (--server-us; ~21 µs here: bench.load measures ~30 µs of server CPU per
request for the bare app, of which ~9 µs is its own part in-process): an estimate in CPU terms,
not a measurement of sockets; bench.load gives the measured ratio.
`--profile` runs pyinstrument (pip install pyinstrument; not a project dependency) over each
scenario's rounds and prints its call tree. `--starlette` sends vendor paths through
Starlette's middleware stack (the fallback) rather than the raw vendor dispatch, to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message

from bench.load import paths as hot
from booking_sandbox.app import create_app
from booking_sandbox.core.options import from_sources


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    """Requests shaped like httpx's over uvicorn's httptools scope, in one namespace."""

    app: ASGIApp
    namespace: str
    headers: dict[str, str] = field(default_factory=dict)
    timings: dict[str, list[float]] = field(default_factory=dict)
    # The last timed exchange per label: what the bare Starlette app answers (--bare).
    last: dict[str, tuple[str, str, Any, dict[str, str] | None, Answer, list[Any]]] = field(
        default_factory=dict
    )

    async def request(
        self,
        method: str,
        url: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        timed: str | None = None,
    ) -> Answer:
        parts = urlsplit(url)  # Korus answers absolute IRIs
        body = b""
        headers = {
            "host": "127.0.0.1:8000",
            "accept": "*/*",
            "accept-encoding": "gzip, deflate",
            "connection": "keep-alive",
            "user-agent": "python-httpx/0.28.1",
            "x-sandbox-namespace": self.namespace,
            **{k.lower(): v for k, v in self.headers.items()},
        }
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers["content-type"] = "application/json"
        elif form is not None:
            body = urlencode(form).encode()
            headers["content-type"] = "application/x-www-form-urlencoded"
        if body or method in ("POST", "PUT", "PATCH"):
            headers["content-length"] = str(len(body))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "server": ("127.0.0.1", 8000),
            "client": ("127.0.0.1", 50000),
            "scheme": "http",
            "method": method,
            "root_path": "",
            "path": parts.path,
            "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(),
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            "state": {},
        }
        sent: list[Message] = []
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> Message:
            if messages:
                return messages.pop()
            await asyncio.Event().wait()  # the client stays connected
            raise AssertionError("unreachable")

        async def send(message: Message) -> None:
            sent.append(message)

        start = time.process_time()
        await self.app(scope, receive, send)
        spent = time.process_time() - start
        begun = next(m for m in sent if m["type"] == "http.response.start")
        data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        answer = Answer(begun["status"], data)
        if timed is not None:
            self.timings.setdefault(timed, []).append(spent)
            self.last[timed] = (method, url, json_body, form, answer, begun.get("headers", []))
        return answer

    async def clock(self, moment: str) -> None:
        await self.request("PUT", "/_sandbox/clock", json_body={"now": moment, "frozen": True})


def check(answer: Answer, status: int) -> Answer:
    if answer.status != status:
        raise RuntimeError(f"expected {status}, got {answer.status}: {answer.body[:300]!r}")
    return answer


# ----- the scenarios: a set-up (login) and a step, as in bench/load/paths.py -------------------


async def korus_login(c: Client) -> None:
    await c.clock(hot.KORUS_MOMENT)
    form = {"grant_type": "client_credentials", "client_id": "demo-client"}
    form["client_secret"] = "demo-secret"
    token = check(
        await c.request("POST", "/realms/korusticket/protocol/openid-connect/token", form=form), 200
    )
    c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"


async def korus_availability(c: Client, n: int) -> None:
    check(await c.request("GET", f"{hot.OFFER}/availability", timed="GET"), 200)


async def korus_reserve(c: Client, n: int) -> None:
    made = await c.request(
        "POST", "/v1/booking/reservations/_bulk", json_body=hot.ITEM, timed="POST"
    )
    iri = check(made, 200).json()["reservations"][0]["@id"]
    # Give the places back (a vendor-side event: Korus has no release operation).
    release = {"reservation": iri}
    event = "/_sandbox/scenarios/korus-reservation-released"
    check(await c.request("POST", event, json_body=release), 200)


async def korus_order(c: Client, n: int) -> None:
    made = check(await c.request("POST", "/v1/booking/reservations/_bulk", json_body=hot.ITEM), 200)
    body = {
        "reservations": [made.json()["reservations"][0]["@id"]],
        "customer": hot.CUSTOMER,
    }
    ordered = check(
        await c.request("POST", "/v1/booking/orders/_bulk", json_body=body, timed="POST"), 200
    )
    order = ordered.json()["orders"][0]["@id"]
    event = "/_sandbox/scenarios/korus-order-cancelled"  # no cancel operation at Korus
    check(await c.request("POST", event, json_body={"order": order}), 200)


async def pont_login(c: Client) -> None:
    await c.clock(hot.PONT_MOMENT)
    secret = {"client_id": "demo-partner", "client_secret": "demo-secret"}
    token = check(await c.request("POST", "/api/v1/auth/token", json_body=secret), 200)
    c.headers["Authorization"] = f"Bearer {token.json()['data']['access_token']}"


async def pont_availabilities(c: Client, n: int) -> None:
    body = {"productCode": "PROD-001", "startDateTime": "2026-03-25", "quantity": 2}
    check(await c.request("POST", "/api/v1/availabilities", json_body=body, timed="POST"), 200)


async def pont_create_cancel(c: Client, n: int) -> None:
    made = await c.request(
        "POST", "/api/v1/bookings/create", json_body=hot.pont_booking(n), timed="POST"
    )
    number = check(made, 200).json()["booking"]["bookingNumber"]
    check(await c.request("DELETE", f"/api/v1/bookings/{number}", timed="DELETE"), 200)


async def booqable_login(c: Client) -> None:
    await c.clock(hot.BOOQABLE_MOMENT)
    c.headers["Authorization"] = "Bearer demo-api-key"


API = hot.BOOQABLE


async def booqable_book(c: Client, n: int) -> None:
    day = 1 + n % 28
    period = {
        "starts_at": f"2030-01-{day:02d}T09:00:00Z",
        "stops_at": f"2030-01-{day:02d}T17:00:00Z",
    }
    made = check(
        await c.request("POST", f"{API}/orders", json_body=hot.booqable_doc("orders", **period)),
        201,
    )
    order = made.json()["data"]["id"]
    items = [{"type": "products", "id": hot.CHAIR, "quantity": 1}]
    doc = hot.booqable_doc("order_bookings", order_id=order, items=items)
    check(await c.request("POST", f"{API}/order_bookings", json_body=doc, timed="POST"), 201)
    for current, wanted in (("new", "reserved"), ("reserved", "canceled")):
        move = {"order_id": order, "transition_from": current, "transition_to": wanted}
        doc = hot.booqable_doc("order_status_transitions", **move)
        check(await c.request("POST", f"{API}/order_status_transitions", json_body=doc), 200)


async def booqable_list(c: Client, n: int) -> None:
    check(await c.request("GET", f"{API}/orders?include=lines,plannings", timed="GET"), 200)


async def booqable_show(c: Client, n: int) -> None:
    url = f"{API}/orders/{hot.ORDER_ID}?include=lines,plannings"
    check(await c.request("GET", url, timed="GET"), 200)


Login = Callable[[Client], Awaitable[None]]
Step = Callable[[Client, int], Awaitable[None]]
SCENARIOS: dict[str, tuple[Login, Step]] = {
    "korus GET offer availability": (korus_login, korus_availability),
    "korus POST reservations/_bulk": (korus_login, korus_reserve),
    "korus POST orders/_bulk": (korus_login, korus_order),
    "pontcentral POST availabilities": (pont_login, pont_availabilities),
    "pontcentral POST bookings/create + DELETE": (pont_login, pont_create_cancel),
    "booqable POST order_bookings": (booqable_login, booqable_book),
    "booqable GET orders?include (list)": (booqable_login, booqable_list),
    "booqable GET orders/{id}?include": (booqable_login, booqable_show),
}


async def bare_cpu(client: Client, label: str, args: argparse.Namespace) -> float:
    """CPU µs per request of a bare Starlette app answering the same bytes to the same request
    (one route, the body read): the benchmark's yardstick, measured the same way."""
    method, url, json_body, form, answer, raw_headers = client.last[label]
    path = urlsplit(url).path
    headers = {
        k.decode("latin-1"): v.decode("latin-1")
        for k, v in raw_headers
        if k.lower() not in (b"content-length", b"content-type")
    }
    media = dict(raw_headers).get(b"content-type", b"").decode("latin-1") or None

    async def endpoint(request: Request) -> Response:
        await request.body()
        return Response(answer.body, answer.status, headers=headers, media_type=media)

    bare = Client(Starlette(routes=[Route(path, endpoint, methods=[method])]), client.namespace)
    bare.headers = dict(client.headers)
    means: list[float] = []
    for _ in range(args.rounds):
        bare.timings = {}
        for _ in range(args.requests):
            await bare.request(method, url, json_body=json_body, form=form, timed=label)
        means.append(sum(bare.timings[label]) / args.requests * 1e6)
    return statistics.median(means)


def build_app(argv: Sequence[str] = (), *, raw: bool = True) -> ASGIApp:
    """The server's own steps (sandbox.__main__.serve), the access log into /dev/null; `argv`
    are the server's flags (e.g. `--fixtures DIR`); `raw=False`: vendor paths through
    Starlette's stack (the fallback) instead of the raw dispatch."""
    settings = from_sources(list(argv), env={})
    app = create_app(settings, raw=raw)
    if settings.access_log and settings.log_level.lower() in ("trace", "debug", "info"):
        handler = logging.StreamHandler(open(os.devnull, "w"))  # noqa: SIM115 (for the run)
        handler.setFormatter(logging.Formatter("%(message)s"))
        access = logging.getLogger("sandbox.access")
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    return app


async def run(args: argparse.Namespace) -> None:
    app = build_app(raw=not args.starlette)
    profiler_type: Any = importlib.import_module("pyinstrument").Profiler if args.profile else None
    print(f"{args.rounds} rounds x {args.requests} requests; CPU µs per timed request (median)")
    for i, (name, (login, step)) in enumerate(SCENARIOS.items()):
        if args.only and not any(word in name for word in args.only):
            continue
        client = Client(app, f"prof-{i}")
        await login(client)
        for n in range(args.warmup):
            await step(client, n)
        means: dict[str, list[float]] = {}
        profiler = profiler_type(interval=0.0002) if profiler_type else None
        if profiler is not None:
            profiler.start()
        for r in range(args.rounds):
            client.timings = {}
            for n in range(args.requests):
                await step(client, args.warmup + r * args.requests + n)
            for label, spent in client.timings.items():
                means.setdefault(label, []).append(sum(spent) / len(spent) * 1e6)
        if profiler is not None:
            profiler.stop()
        for label, values in means.items():
            spread = f"{min(values):.0f}-{max(values):.0f}"
            line = f"{name:45} {label:6} {statistics.median(values):7.1f}   ({spread:9})"
            if args.bare:
                bare = await bare_cpu(client, label, args)
                mine, server = statistics.median(values), args.server_us
                line += f" bare {bare:5.1f}  estimate {(server + bare) / (server + mine):.2f}"
            print(line)
        if profiler is not None:
            print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=300, help="steps per round")
    parser.add_argument("--warmup", type=int, default=50, help="untimed steps first")
    parser.add_argument("--only", action="append", help="scenarios whose name has this word")
    parser.add_argument("--profile", action="store_true", help="pyinstrument call trees")
    parser.add_argument(
        "--starlette", action="store_true", help="vendor paths through Starlette's stack"
    )
    parser.add_argument(
        "--bare", action="store_true", help="also time a bare Starlette app, same bytes"
    )
    parser.add_argument(
        "--server-us",
        type=float,
        default=21.0,
        help="uvicorn+httptools CPU per request around either app, for --bare's estimate",
    )
    args = parser.parse_args()
    factory: Callable[[], asyncio.AbstractEventLoop] = asyncio.new_event_loop
    try:
        import uvloop  # the server's loop with uvicorn[standard]

        factory = uvloop.new_event_loop
    except ImportError:
        pass
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(run(args))


if __name__ == "__main__":
    main()
