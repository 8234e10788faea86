"""The console script: flags over env vars over defaults; generate; validate; bad fixtures."""

from __future__ import annotations

import gc
import io
import json
import logging
import re
import signal
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
import pytest

import booking_sandbox
from booking_sandbox.__main__ import (
    FULL_COLLECTION_EVERY,
    collect_rarely,
    main,
    show_startup_phases,
)
from booking_sandbox.app import create_app
from booking_sandbox.core.options import fixtures_directory, from_sources
from booking_sandbox.core.settings import DEFAULT_SEED, Settings
from booking_sandbox.generate import terminal_progress
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


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert capsys.readouterr().out == f"booking-sandbox {project['version']}\n"
    assert booking_sandbox.__version__ == project["version"]


def test_help_lists_every_subcommand_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    # The epilog's table: one row per subcommand, none wrapped onto a second line.
    rows = [line for line in out.split("subcommands", 1)[1].splitlines()[1:] if line.strip()]
    assert [row.split()[0] for row in rows] == ["serve", "generate", "validate"], out
    assert all(len(row) <= 100 for row in rows), rows
    assert "--version" in out
    assert "--start-time" in out  # serve's options stay there


def test_validate_without_a_directory_checks_the_configured_fixtures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SANDBOX_FIXTURES", raising=False)
    assert main(["validate"]) == 0
    assert (
        capsys.readouterr().out == f"{Settings().fixtures}: valid (booqable, korus, pontcentral)\n"
    )
    (tmp_path / "korus.json").write_text('{"organizations": []}')
    monkeypatch.setenv("SANDBOX_FIXTURES", str(tmp_path))
    assert main(["validate"]) == 1
    assert "korus.json: $: 'serviceAccounts' is a required property" in capsys.readouterr().err
    assert main(["validate", str(ROOT / "fixtures")]) == 0  # a directory given wins


def test_serve_and_validate_pick_the_same_fixtures(tmp_path: Path) -> None:
    given = tmp_path / "given"
    env = {"SANDBOX_FIXTURES": str(tmp_path)}
    assert (
        fixtures_directory(given, env)
        == given
        == from_sources(["--fixtures", str(given)], env).fixtures
    )
    assert fixtures_directory(None, env) == tmp_path == from_sources([], env).fixtures
    bundled = Settings().fixtures
    assert fixtures_directory(None, {"SANDBOX_FIXTURES": ""}) == bundled
    assert from_sources([], {"SANDBOX_FIXTURES": ""}).fixtures == bundled


def without_faker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "faker", None)  # `import faker` raises ModuleNotFoundError
    for name in [m for m in sys.modules if m.startswith("booking_sandbox.") and "generate" in m]:
        monkeypatch.delitem(sys.modules, name)


def test_generate_help_needs_no_faker(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    without_faker(monkeypatch)
    with pytest.raises(SystemExit) as exc:
        main(["generate", "--help"])
    assert exc.value.code == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("usage: booking-sandbox generate")
    assert "--vendor {" in captured.out  # the choices, from the registry without faker
    assert captured.err == ""
    with pytest.raises(SystemExit) as exc:  # a usage error is one too, extra or not
        main(["generate", "--size", "5"])
    assert exc.value.code == 2
    assert "required: --out" in capsys.readouterr().err


def test_generate_without_faker_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    without_faker(monkeypatch)
    assert main(["generate", "--out", str(tmp_path / "out"), "--size", "5"]) == 1
    err = capsys.readouterr().err
    assert "pip install 'booking-sandbox[generate]'" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # a fresh interpreter, so that nothing imported faker before
def test_the_server_needs_neither_faker_nor_the_progress_bar() -> None:
    code = (
        "import sys\n"
        "sys.modules['faker'] = sys.modules['tqdm'] = None\n"
        "from booking_sandbox.app import create_app\n"
        "import booking_sandbox.__main__\n"
        "create_app()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('faker', 'tqdm')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout == "['faker', 'tqdm']\n"  # only the blocked entries: never imported


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_only() -> None:
    for stream, drawn in ((Terminal(), True), (io.StringIO(), False)):
        with terminal_progress(20, stream) as progress:
            progress("korus")(10)
            progress("booqable")(10)
        assert ("booqable" in stream.getvalue() and "20/20" in stream.getvalue()) is drawn
        assert bool(stream.getvalue()) is drawn


def test_generate_prints_no_bar_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "small"
    argv = ["generate", "--out", str(out), "--size", "30", "--start", "2026-01-01T00:00:00Z"]
    assert main([*argv, "--vendor", "pontcentral"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == f"{out / 'pontcentral.json'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["pontcentral.json"]  # no .part left


def test_start_up_prints_its_phases_with_their_durations(
    capsys: pytest.CaptureFixture[str],
) -> None:
    show_startup_phases()
    try:
        create_app()
    finally:
        logger = logging.getLogger("sandbox.startup")
        for handler in logger.handlers[:]:
            logger.removeHandler(handler)
    lines = capsys.readouterr().err.splitlines()
    for name in ("reading fixtures", "checking cross-references", "building pools"):
        began = [n for n, line in enumerate(lines) if line.startswith(f"booking-sandbox: {name}")]
        assert len(began) == 2, (name, lines)
        assert lines[began[0]].endswith("...")
        assert re.fullmatch(r".*: done in \d+\.\d\d s", lines[began[1]])


@pytest.fixture
def cli_loggers() -> Iterator[None]:
    """The loggers `main()` sends to stderr, put back as they were afterwards."""
    loggers = [logging.getLogger(name) for name in ("sandbox.startup", "sandbox.access")]
    saved = [(lg, lg.handlers[:], lg.level, lg.propagate) for lg in loggers]
    yield
    for logger, handlers, level, propagate in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def test_main_twice_in_one_process_prints_each_line_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cli_loggers: None
) -> None:
    import uvicorn

    import booking_sandbox.__main__ as cli
    import booking_sandbox.serving

    # The server's process-wide steps, stood in for: this is the test process.
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    monkeypatch.setattr(cli, "collect_rarely", lambda: None)
    monkeypatch.setattr(booking_sandbox.serving, "quiet_shutdown_cancellations", lambda: None)
    monkeypatch.setattr(signal, "signal", lambda signum, handler: None)
    loggers = [logging.getLogger(name) for name in ("sandbox.startup", "sandbox.access")]
    assert main(["--log-level", "info", "--access-log", "json"]) == 0
    handlers = [len(logger.handlers) for logger in loggers]
    assert main(["--log-level", "info", "--access-log", "json"]) == 0
    assert [len(logger.handlers) for logger in loggers] == handlers  # none added again
    err = capsys.readouterr().err.splitlines()
    reading = [line for line in err if line.startswith("booking-sandbox: reading fixtures")]
    assert len(reading) == 4, err  # begun and done, twice: not twice per run


def peak_rss_kb(size: int, out: Path) -> int:
    code = (
        "import resource, sys\n"
        "from booking_sandbox.__main__ import main\n"
        f"main(['generate', '--out', {str(out)!r}, '--size', '{size}', '--seed', '1',"
        " '--start', '2026-01-01T00:00:00Z'])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return int(result.stdout.splitlines()[-1])


@pytest.mark.slow  # generates 500 and 5,000 of each in subprocesses (~10 s)
def test_generate_memory_is_flat_in_size(tmp_path: Path) -> None:
    small = peak_rss_kb(500, tmp_path / "small")
    large = peak_rss_kb(5000, tmp_path / "large")
    # Whole documents grew ~25 MB per 1,000 of size (266 MB at 10,000); streamed ones do not.
    assert large - small < 25_000, (small, large)


def test_a_failed_generate_leaves_no_partial_file_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dates past year 9999 cannot be written: a usage error, and nothing half-written."""
    out = tmp_path / "late"
    with pytest.raises(SystemExit) as stopped:
        main(["generate", "--out", str(out), "--size", "3", "--start", "9999-12-31T00:00:00Z"])
    assert stopped.value.code == 2
    assert "start earlier" in capsys.readouterr().err
    assert not list(out.glob("*.part"))
    assert not list(out.glob("*.json"))
