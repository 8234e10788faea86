"""The README's quickstart, pasted verbatim into bash against the real console script.

Every ```bash block of the "Quickstart" section runs in a bash of its own, against a fresh
`booking-sandbox` on a free port: only `localhost:8000` is replaced by that port. The blocks run
under `set -euo pipefail`, so a step that fails (an error status, which `curl -f` turns into an
exit code, or a refusal the one-liners cannot read) fails the test. After each tour the control
plane must show exactly one booking per vendor, and no vendor request may have been refused.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from booking_sandbox.testing import LiveServer, SandboxClient

README = Path(__file__).resolve().parents[2] / "README.md"
README_BASE = "localhost:8000"
TENT = "c2452fc4-8a27-45bd-9327-85305778bcbb"  # Booqable's party tent: bulk, stock 7

# What each block prints, in the README's order: the reset, Korus, Pont Central, Booqable.
EXPECTED_OUTPUT = [
    r'\{"reset":\["default"\]\}',
    r'\{"now":"2025-01-29T07:55:53[.0-9]*Z","frozen":false\}\nKT-ORD-[0-9A-F]+ confirmed',
    r'\{"now":"2026-03-20T10:00:00[.0-9]*Z","frozen":false\}\n'
    r'\{"success":true,"availabilities":\[\{"date":"2026-03-25",.*"stockAvailable":50,.*\n'
    r"PC\w+ created",
    r"Party tent 3x3 2\n5 of 7 left",
]


def quickstart_blocks() -> list[str]:
    text = README.read_text("utf-8")
    assert "\n## Quickstart" in text, "the README has no Quickstart section"
    section = text.split("\n## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```bash\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


def run_block(block: str, port: int, cwd: Path) -> str:
    script = block.replace(README_BASE, f"127.0.0.1:{port}")
    # Otherwise a block would quietly talk to whatever listens on the README's port.
    assert not re.search(r":8000\b", script), f"a base URL the test cannot redirect:\n{block}"
    # A proxy from the environment must not get between curl and the local server.
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,  # not the checkout: the quickstart must not need the repository's files
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, (
        f"quickstart block failed (exit {done.returncode}):\n{block}\n"
        f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    )
    return done.stdout


def check_one_booking_per_vendor(sandbox: SandboxClient) -> None:
    """What the tour leaves, read through the control plane rather than the blocks' output."""
    # Every vendor request of the tour succeeded: nothing was refused and retried.
    assert sandbox.count(status="4xx") == 0, sandbox.requests(status="4xx")
    assert sandbox.count(status="5xx") == 0, sandbox.requests(status="5xx")
    assert sandbox.count(operation="korus.orders-bulk", status=200) == 1
    assert sandbox.count(operation="pontcentral.booking-create", status=200) == 1
    assert sandbox.count(operation="booqable.order_bookings", status=201) == 1

    vendors: dict[str, Any] = sandbox.state()["vendors"]

    [order] = vendors["korus"]["orders"].values()
    assert (order["status"], order["externalReference"]) == ("confirmed", "quickstart-1")
    assert [item["quantity"] for item in order["items"]] == [2]

    [booking] = vendors["pontcentral"]["bookings"].values()
    assert booking["status"] == "created"
    [line] = booking["items"]
    assert (line["productCode"], line["reservationDate"], line["reservationTime"]) == (
        "TOUR-EIFFEL-SKIP-LINE",
        "2026-03-25",
        "10:00",
    )

    booqable = vendors["booqable"]
    new = [p for p in booqable["plannings"].values() if p["starts_at"].startswith("2026-04-01")]
    status = booqable["orders"]
    assert [(p["item_id"], p["quantity"], status[p["order_id"]]["status"]) for p in new] == [
        (TENT, 2, "reserved")
    ]


@pytest.mark.slow
@pytest.mark.live
def test_the_quickstart_books_once_per_vendor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = quickstart_blocks()
    assert len(blocks) == len(EXPECTED_OUTPUT), "a quickstart block was added or removed"
    # The server the README's first command starts: bundled fixtures, default seed and clock.
    for name in [name for name in os.environ if name.startswith("SANDBOX_")]:
        monkeypatch.delenv(name)
    server = LiveServer()
    try:
        server.wait_healthy()
        sandbox = SandboxClient(server.url)
        reset, *vendor_blocks = zip(blocks, EXPECTED_OUTPUT, strict=True)
        # The tour twice: as written, then replayed after the reset with the vendors reversed.
        # Reversed, each block follows another's clock (or the reset's, at the real now), which
        # is what a reader who pastes one block alone gets.
        for tour in (vendor_blocks, vendor_blocks[::-1]):
            for block, expected in [reset, *tour]:
                output = run_block(block, server.port, tmp_path)
                assert re.fullmatch(expected + r"\n", output), (block, output)
            check_one_booking_per_vendor(sandbox)
    finally:
        server.stop()
