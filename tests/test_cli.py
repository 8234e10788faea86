"""The console script: flags over env vars over defaults; generate; validate; bad fixtures."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
import pytest

from booking_sandbox.__main__ import FULL_COLLECTION_EVERY, collect_rarely
from booking_sandbox.core.settings import DEFAULT_SEED, from_sources
from booking_sandbox.testing.live import SCRIPT, LiveServer
from tests.conftest import ROOT


def test_flags_win_over_env_which_wins_over_defaults() -> None:
    env = {
        "SANDBOX_PORT": "8001",
        "SANDBOX_HOST": "0.0.0.0",
        "SANDBOX_SEED": "7",
        "SANDBOX_START_TIME": "2026-03-20T10:00:00Z",
        "SANDBOX_FIXTURES": "/data",
    }
    s = from_sources(["--port", "9000"], env)
    assert (s.port, s.host, s.seed, str(s.fixtures)) == (9000, "0.0.0.0", 7, "/data")
    assert s.start_time == datetime(2026, 3, 20, 10, tzinfo=UTC)
    d = from_sources([], {})
    assert (d.host, d.port, d.seed, d.start_time) == ("127.0.0.1", 8000, DEFAULT_SEED, None)
    assert (d.fixtures / "korus.json").is_file()


@pytest.mark.parametrize(
    ("argv", "env"),
    [(["--start-time", "soon"], {}), ([], {"SANDBOX_PORT": "eighty"}), (["--port", "70000"], {})],
)
def test_bad_settings_exit_with_usage_error(argv: list[str], env: dict[str, str]) -> None:
    with pytest.raises(SystemExit) as exc:
        from_sources(argv, env)
    assert exc.value.code == 2


@pytest.mark.parametrize(
    ("argv", "env"), [(["--workers", "4"], {}), ([], {"SANDBOX_WORKERS": "2"})]
)
def test_more_than_one_worker_is_refused_with_the_reason(
    argv: list[str], env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        from_sources(argv, env)
    assert exc.value.code == 2
    assert "keeps its state in memory, in one process" in capsys.readouterr().err


def test_one_worker_is_the_default_and_allowed() -> None:
    from_sources(["--workers", "1"], {})
    from_sources([], {"SANDBOX_WORKERS": "1"})


@pytest.mark.slow  # runs python -m booking_sandbox in a subprocess
def test_python_dash_m_is_the_same_program() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "booking_sandbox", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--start-time" in result.stdout
    assert "--fixtures" in result.stdout


@pytest.mark.slow  # runs the console script in a subprocess, three times
def test_validate_subcommand(tmp_path: Path) -> None:
    ok = subprocess.run(
        [str(SCRIPT), "validate", str(ROOT / "fixtures")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    (tmp_path / "korus.json").write_text('{"organizations": []}')
    bad = subprocess.run(
        [str(SCRIPT), "validate", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 1
    assert "korus.json: $: 'serviceAccounts' is a required property" in bad.stderr
    # Cross-references too, not only the schema.
    doc = json.loads((ROOT / "fixtures" / "pontcentral.json").read_text())
    doc["products"][0]["partnerId"] = 4242
    (tmp_path / "korus.json").unlink()
    (tmp_path / "pontcentral.json").write_text(json.dumps(doc))
    bad = subprocess.run(
        [str(SCRIPT), "validate", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 1
    assert "pontcentral: $.products[0].partnerId: unknown partner 4242" in bad.stderr


@pytest.mark.live
def test_server_refuses_invalid_fixtures_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "pontcentral.json").write_text(json.dumps({"partners": "none"}))
    server = LiveServer("--fixtures", str(tmp_path))
    assert server.process.wait(timeout=30) == 2
    server.stop()
    assert "pontcentral.json: $.partners: 'none' is not of type 'array'" in server.stderr


@pytest.mark.live
def test_generated_catalog_validates_and_serves(tmp_path: Path) -> None:
    out = tmp_path / "big"
    gen = subprocess.run(
        [
            str(SCRIPT),
            "generate",
            "--out",
            str(out),
            "--size",
            "300",
            "--seed",
            "5",
            "--start",
            "2026-01-01T00:00:00Z",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert gen.returncode == 0, gen.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "booqable.json",
        "korus.json",
        "pontcentral.json",
    ]
    again = tmp_path / "again"
    subprocess.run(
        [
            str(SCRIPT),
            "generate",
            "--out",
            str(again),
            "--size",
            "300",
            "--seed",
            "5",
            "--start",
            "2026-01-01T00:00:00Z",
        ],
        check=True,
        capture_output=True,
    )
    for name in ("korus.json", "pontcentral.json", "booqable.json"):
        assert (out / name).read_bytes() == (again / name).read_bytes()  # seeded: same bytes
    server = LiveServer(env={"SANDBOX_FIXTURES": str(out)})
    try:
        server.wait_healthy()
        body = httpx.get(f"{server.url}/_sandbox/health").json()
        assert body["fixtures"] == ["booqable", "korus", "pontcentral"]
    finally:
        server.stop()


def test_the_server_process_collects_fully_rarely_and_freezes_its_start_up_objects() -> None:
    saved = gc.get_threshold()
    try:
        collect_rarely()
        assert gc.get_threshold() == (saved[0], saved[1], FULL_COLLECTION_EVERY)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)
