"""Pont Central token issuance with many live tokens: CPU µs per `POST /api/v1/auth/token`.

python -m bench.pont_tokens [--sizes 1000,4000,16000] [--requests 300] [--rounds 5]

For each size, one namespace (clock frozen at seed 002's moment) is filled with that many live
tokens, then `--requests` more are issued and timed (time.process_time around the ASGI call,
as bench.profile_hotpaths does); the figure is the median over rounds. Issuance should not grow
with the live token count (issue 17, item 11: it did, 0.59 ms -> 2.25 ms from 1k to 16k).
A last line checks that expired tokens are dropped: after the clock passes their expiry, one
issuance leaves a single token in the state.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics

from bench.load import paths as hot
from bench.profile_hotpaths import Client, build_app, check

SECRET = {"client_id": "demo-partner", "client_secret": "demo-secret"}


async def issue(client: Client, timed: str | None = None) -> None:
    check(await client.request("POST", "/api/v1/auth/token", json_body=SECRET, timed=timed), 200)


async def live_tokens(client: Client) -> int:
    state = check(await client.request("GET", "/_sandbox/state"), 200).json()
    return len(state["vendors"]["pontcentral"]["tokens"])


async def run(args: argparse.Namespace) -> None:
    app = build_app()
    print(f"{args.rounds} rounds x {args.requests} issuances; CPU µs per issuance (median)")
    client = Client(app, "tokens-0")
    for size in (int(s) for s in args.sizes.split(",")):
        client = Client(app, f"tokens-{size}")
        await client.clock(hot.PONT_MOMENT)
        for _ in range(size):
            await issue(client)
        means = []
        for _ in range(args.rounds):
            client.timings = {}
            for _ in range(args.requests):
                await issue(client, timed="token")
            spent = client.timings["token"]
            means.append(sum(spent) / len(spent) * 1e6)
        spread = f"{min(means):.0f}-{max(means):.0f}"
        print(f"live tokens {size:>7}   {statistics.median(means):7.1f}   ({spread})")
    before = await live_tokens(client)
    advance = {"seconds": 172_801}  # past every token's 48 h
    check(await client.request("POST", "/_sandbox/clock/advance", json_body=advance), 200)
    await issue(client)
    print(f"expired tokens dropped: {before} live -> {await live_tokens(client)} after expiry")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000,16000", help="live tokens, comma-separated")
    parser.add_argument("--requests", type=int, default=300, help="timed issuances per round")
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
