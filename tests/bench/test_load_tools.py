"""The load harness's side-by-side pieces: WireMock stubs from recorded exchanges, the baseline
revision's command lines, the table, the tail instruments. Fast tests; the one that starts
WireMock needs java and npm and is skipped (saying how to install them) without them."""

from __future__ import annotations

import asyncio
import base64
import re
import shutil
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from bench.load import revision, wiremock
from bench.load.instrumented import PATH, Tails, instrument
from bench.load.paths import PATHS
from bench.load.servers import verify
from bench.load.table import BARE, Cell, Row, render
from bench.load.wrk import command

BODY = b'{"success":true,"booking":{"bookingNumber":"PC-1"}}'
CREATED = {
    "method": "POST",
    "route": "/api/v1/bookings/create",
    "status": 201,
    "headers": {"content-type": "application/json", "x-request-id": "r1"},
    "body": base64.b64encode(BODY).decode(),
}
CANCELLED = {**CREATED, "method": "DELETE", "route": "/api/v1/bookings/{number}", "status": 200}


def test_a_stub_answers_with_the_recorded_status_headers_and_bytes() -> None:
    mapping = wiremock.stub(CREATED)
    assert mapping["request"] == {"method": "POST", "urlPath": "/api/v1/bookings/create"}
    assert mapping["response"]["status"] == 201
    assert mapping["response"]["headers"] == CREATED["headers"]
    assert base64.b64decode(mapping["response"]["base64Body"]) == BODY


def test_a_chain_step_with_a_parameter_matches_by_path_pattern() -> None:
    mapping = wiremock.stub(CANCELLED)
    pattern = mapping["request"]["urlPathPattern"]
    assert mapping["request"]["method"] == "DELETE"
    assert re.fullmatch(pattern, "/api/v1/bookings/PC-123")
    assert not re.fullmatch(pattern, "/api/v1/bookings/PC-123/items")
    assert not re.fullmatch(pattern, "/api/v1/bookingsX")
    # A literal route wins over a pattern that would also match it.
    assert wiremock.stub(CREATED)["priority"] < mapping["priority"]


def test_every_recorded_exchange_becomes_one_mapping() -> None:
    assert len(wiremock.stubs([CREATED, CANCELLED])["mappings"]) == 2


def test_the_baseline_is_checked_out_into_its_own_worktree_and_removed(tmp_path: Path) -> None:
    add, remove = revision.worktree_commands("779b62a", tmp_path / "tree")
    assert add[-4:] == ["add", "--detach", str(tmp_path / "tree"), "779b62a"]
    assert remove[-3:] == ["remove", "--force", str(tmp_path / "tree")]


def test_the_baseline_runs_from_its_worktree_first_on_the_path(tmp_path: Path) -> None:
    env = revision.environment(tmp_path)
    assert env["PYTHONPATH"].split(":")[0] == str(tmp_path)
    plain = revision.server_command(8123, ["--retain-finished", "100"], instrumented=False)
    assert plain[:3] == [sys.executable, "-m", "booking_sandbox"]
    assert plain[-2:] == ["--retain-finished", "100"]
    assert "--port" in plain
    assert "8123" in plain
    tailed = revision.server_command(8123, [], instrumented=True)
    assert tailed[1].endswith("bench/load/instrumented.py")


def test_the_import_check_finds_the_code_of_the_worktree(tmp_path: Path) -> None:
    (tmp_path / "booking_sandbox").mkdir()
    (tmp_path / "booking_sandbox" / "__init__.py").write_text("")
    found = revision.code_location(tmp_path)
    assert found.is_relative_to(tmp_path.resolve())
    assert not revision.code_location(None).is_relative_to(tmp_path.resolve())


def test_wrk_can_be_pinned_to_a_core_with_fewer_threads() -> None:
    argv = command(64, 5, "s.lua", "http://x", threads=1, cpu=0)
    assert argv[:4] == ["taskset", "-c", "0", "wrk"]
    assert "-t1" in argv
    assert "-c64" in argv
    assert "-d5s" in argv
    assert command(16, 0.3, "s.lua", "http://x")[:2] == ["wrk", "-t2"]


def test_the_side_by_side_table_gives_each_server_and_its_ratio_to_the_bare_app() -> None:
    servers = [BARE, "WireMock 3.13.2", "sandbox at 779b62a", "sandbox now"]
    cells = {
        BARE: Cell(10_000, 1.0, 30, 0),
        "WireMock 3.13.2": Cell(5_000, 4.0, 90, 0),
        "sandbox now": Cell(2_500, 6.5, 160, 3),
    }
    table = render(servers, [Row("Korus POST reservations/_bulk", 16, cells)]).splitlines()
    assert len(table) == 3
    assert table[0].count("|") == table[1].count("|") == table[2].count("|")
    row = [c.strip() for c in table[2].strip("|").split("|")]
    assert row[:5] == ["Korus POST reservations/_bulk", "16", "10,000", "1.0", "30"]
    assert row[5:9] == ["5,000", "4.0", "90", "**0.50**"]
    assert row[9:13] == ["-", "-", "-", "-"]  # not measured in this run
    assert row[13:] == ["2,500 (3 errors)", "6.5", "160", "**0.25**"]


def test_the_tail_report_counts_stalls_and_collections_inside_them() -> None:
    tails = Tails()
    tails.lateness = [0.0001] * 98 + [0.008, 0.030]
    tails.stalls = [(10.0, 0.008), (20.0, 0.030)]
    tails.pauses = [(20.001, 0.012, 1), (50.0, 0.002, 0), (60.0, 0.001, 0)]
    tails.requests = [0.001] * 99 + [0.040]
    got = tails.report()
    assert got["stalls_over_5ms"] == 2
    assert got["stalls_over_20ms"] == 1
    assert got["loop_max_ms"] == pytest.approx(30)
    assert got["gc_count"] == [2, 1, 0]
    assert got["gc_longest_ms"][1] == pytest.approx(12)
    assert got["gc_ms_in_10_longest_stalls"] == pytest.approx(12)  # only the one inside
    assert got["request_max_ms"] == pytest.approx(40)


def test_the_instrumented_app_times_requests_and_answers_its_report() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    tails = Tails()
    wrapped = instrument(app, tails)

    async def drive() -> bytes:
        sent: list[MutableMapping[str, Any]] = []

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b""}

        for _ in range(3):
            await wrapped({"type": "http", "path": "/x"}, receive, send)
        await wrapped({"type": "http", "path": PATH, "query_string": b"reset=1"}, receive, send)
        return bytes(sent[-1]["body"])

    try:
        report = asyncio.run(drive())
    finally:
        import gc

        gc.callbacks.remove(tails.on_gc)
    assert b'"requests": 3' in report
    assert tails.requests == []  # reset after answering


@pytest.mark.slow  # starts a JVM
@pytest.mark.skipif(
    wiremock.missing_tools() is not None,
    reason="WireMock needs java and npm: apt-get install default-jre-headless npm",
)
def test_wiremock_answers_a_chain_with_the_recorded_bytes(tmp_path: Path) -> None:
    chain = next(p for p in PATHS if p.key == "pont-create-cancel")
    created = {
        **CREATED,
        "body": base64.b64encode(b'{"success":true,"booking":{"bookingNumber":"PC-9"}}').decode(),
    }
    mock = wiremock.WireMock([created, CANCELLED], tmp_path)
    try:
        extra = verify(mock.url, chain, [created, CANCELLED], more_headers=True)
        assert "transfer-encoding" not in extra  # framed by Content-Length, as the others
        assert httpx.get(f"{mock.url}/api/v1/nothing").status_code == 404
    finally:
        mock.stop()


def test_no_java_means_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda tool: None if tool == "java" else "/bin/x")
    assert wiremock.missing_tools() == ("WireMock skipped: java not found (it needs java and npm)")
