"""The pytest plugin in both modes: in-process server, and `SANDBOX_URL` (a running server).

Each mode runs a small test file in a fresh pytest process, which loads the plugin through the
installed `pytest11` entry point, exactly as it loads in a user's project.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from booking_sandbox.testing import LiveServer, SandboxClient, free_port
from booking_sandbox.testing.pytest_plugin import namespace_for, wait_seconds
from tests.conftest import ROOT, START
from tests.testing.fakes import html_server, not_http_server

NAMESPACE = re.compile(r"pytest-[0-9a-f]{8}-[0-9a-f]{8}")

# Runs in the child pytest; every test records its namespace and URL into $SANDBOX_TEST_LOG.
INNER = f'''
import json
import os
from datetime import datetime, timedelta

from booking_sandbox.testing import SandboxClient

START = datetime.fromisoformat("{START}")
LOG = os.environ["SANDBOX_TEST_LOG"]


def record(sandbox):
    with open(LOG, "a") as log:
        log.write(json.dumps({{"namespace": sandbox.namespace, "url": sandbox.url}}) + "\\n")


def test_first(booking_sandbox, booking_sandbox_url):
    record(booking_sandbox)
    assert booking_sandbox.url == booking_sandbox_url
    assert START <= booking_sandbox.clock.now() < START + timedelta(minutes=5)
    booking_sandbox.clock.advance("P1D")  # would show in test_second if they shared a namespace
    booking_sandbox.faults.add(status=503)
    assert booking_sandbox.namespace in SandboxClient(booking_sandbox.url).namespaces()


def test_second(booking_sandbox):
    record(booking_sandbox)
    assert START <= booking_sandbox.clock.now() < START + timedelta(minutes=5)
    assert booking_sandbox.faults.list() == []


def test_failing_is_reset_too(booking_sandbox):
    record(booking_sandbox)
    booking_sandbox.clock.advance("P1D")
    assert False, "on purpose"


def test_earlier_namespaces_are_dropped(booking_sandbox_url):
    with open(LOG) as log:
        earlier = [json.loads(line)["namespace"] for line in log]
    assert len(set(earlier)) == 3
    assert not set(earlier) & set(SandboxClient(booking_sandbox_url).namespaces())
'''


def pytest_in(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m pytest` in `cwd`, as a user's project runs it; `SANDBOX_*` only from `env`."""
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("SANDBOX_", "PYTEST_"))}
    child_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-W", "error", "-q", *args],
        cwd=cwd,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_pytest(
    tmp_path: Path, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, str]]]:
    (tmp_path / "test_inner.py").write_text(INNER)
    log = tmp_path / "log.jsonl"
    result = pytest_in(tmp_path, "test_inner.py", **env, SANDBOX_TEST_LOG=str(log))
    lines = log.read_text().splitlines() if log.exists() else []
    return result, [json.loads(line) for line in lines]


def check_isolation(result: subprocess.CompletedProcess[str], records: list[dict[str, str]]) -> str:
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # the one failure on purpose
    assert "1 failed, 3 passed" in output, output
    assert "AssertionError: on purpose" in output
    names = [r["namespace"] for r in records]
    assert len(set(names)) == 3, records
    assert all(NAMESPACE.fullmatch(n) for n in names), names
    (url,) = {r["url"] for r in records}  # one server for the whole session
    return url


@pytest.mark.live
@pytest.mark.parametrize("suffix", ["/", "/_sandbox", "/_sandbox/"])
def test_sandbox_url_mode_uses_that_server(
    tmp_path: Path, live_server: LiveServer, suffix: str
) -> None:
    # test_first checks that booking_sandbox_url and booking_sandbox.url are the same root.
    result, records = run_pytest(tmp_path, SANDBOX_URL=f"{live_server.url}{suffix}")
    assert check_isolation(result, records) == live_server.url
    left = set(SandboxClient(live_server.url).namespaces())
    assert not {r["namespace"] for r in records} & left  # reset at teardown, failure or not


@pytest.mark.slow  # pytest in a subprocess
def test_in_process_mode_starts_its_own_server(tmp_path: Path) -> None:
    # SANDBOX_START_TIME applies in-process as it does to the console script.
    result, records = run_pytest(tmp_path, SANDBOX_START_TIME=START)
    url = check_isolation(result, records)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
    with pytest.raises(OSError, match="Connection refused"):  # stopped with the session
        SandboxClient(url, timeout=2).health()


@contextmanager
def nothing_listening() -> Iterator[str]:
    yield f"http://127.0.0.1:{free_port()}"


@pytest.mark.slow  # pytest in a subprocess
@pytest.mark.parametrize(
    ("there", "why"),
    [
        (nothing_listening, "Connection refused"),
        (lambda: html_server(200), "200 http_error"),  # a web server, not a sandbox
        (lambda: not_http_server(), "not an HTTP answer"),  # another protocol on that port
    ],
    ids=["nothing", "html", "not-http"],
)
def test_an_unhealthy_sandbox_url_fails_clearly(
    tmp_path: Path, there: Callable[[], AbstractContextManager[str]], why: str
) -> None:
    with there() as url:
        result, records = run_pytest(tmp_path, SANDBOX_URL=url, SANDBOX_WAIT="0.5")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"SANDBOX_URL={url}: no healthy sandbox there after 0.5 s" in output
    assert why in output
    assert "4 errors" in output  # every test that needs it; the server is looked for once
    assert records == []


@pytest.mark.slow  # pytest in a subprocess
def test_a_bad_sandbox_wait_fails_clearly(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result, records = run_pytest(tmp_path, SANDBOX_URL=url, SANDBOX_WAIT="soon")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "SANDBOX_WAIT='soon': expected a number of seconds" in output
    assert "could not convert" not in output  # not a bare ValueError
    assert "4 errors" in output
    assert records == []


@pytest.mark.parametrize(("raw", "seconds"), [(None, 30.0), ("", 30.0), (" 0 ", 0.0), ("2.5", 2.5)])
def test_sandbox_wait_is_seconds(
    monkeypatch: pytest.MonkeyPatch, raw: str | None, seconds: float
) -> None:
    if raw is None:
        monkeypatch.delenv("SANDBOX_WAIT", raising=False)
    else:
        monkeypatch.setenv("SANDBOX_WAIT", raw)
    assert wait_seconds() == seconds


@pytest.mark.parametrize("raw", ["soon", "-1", "nan", "inf", "1e999"])
def test_sandbox_wait_refuses_what_is_not_seconds(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("SANDBOX_WAIT", raw)
    with pytest.raises(pytest.UsageError, match=re.escape(f"SANDBOX_WAIT={raw!r}: expected")):
        wait_seconds()


def test_plugin_is_registered_and_loaded(pytestconfig: pytest.Config) -> None:
    (entry,) = [e for e in entry_points(group="pytest11") if e.name == "booking_sandbox"]
    assert entry.value == "booking_sandbox.testing.pytest_plugin"
    if pytestconfig.pluginmanager.is_blocked("booking_sandbox"):
        pytest.skip("-p no:booking_sandbox")
    assert pytestconfig.pluginmanager.has_plugin("booking_sandbox")


@pytest.mark.slow  # a fresh interpreter in a subprocess
def test_plugin_import_is_cheap() -> None:
    # Loaded into every pytest run where the package is installed: no server, no app, and
    # no `sandbox` at all (a project may have a package of that name).
    code = (
        "import sys, booking_sandbox.testing.pytest_plugin; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('uvicorn', 'starlette', 'sandbox')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


OWN_SANDBOX = """
import sandbox


def test_own_package():
    assert sandbox.OURS


def test_asks_for_the_fixture(booking_sandbox):
    pass
"""


@pytest.mark.slow  # pytest in a subprocess
def test_a_project_with_its_own_sandbox_package_keeps_working(tmp_path: Path) -> None:
    # `python -m pytest` puts the project first on sys.path: its `sandbox` is the one imported,
    # and the plugin's fixtures still work beside it (the import name is `booking_sandbox`).
    (tmp_path / "sandbox").mkdir()
    (tmp_path / "sandbox" / "__init__.py").write_text("OURS = True\n")
    (tmp_path / "test_own.py").write_text(OWN_SANDBOX)
    result = pytest_in(tmp_path, "test_own.py")
    output = result.stdout + result.stderr
    assert "2 passed" in output, output


@pytest.mark.slow  # pytest in a subprocess
def test_the_fixtures_skip_when_the_plugin_is_disabled() -> None:
    result = pytest_in(
        ROOT, "-p", "no:booking_sandbox", "-rs", "tests/testing/test_readme_example.py"
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "1 skipped" in output
    assert "the booking_sandbox plugin is disabled" in output


def test_namespace_names_are_valid_and_unique_per_run() -> None:
    node = "tests/test_x.py::test_y[" + "x" * 200 + "]"
    a, b = namespace_for(node), namespace_for(node)
    assert a != b  # the same test in two CI jobs on one shared server
    assert a[:16] == b[:16]  # the hash of the test id, to find it in logs
    assert NAMESPACE.fullmatch(a)
    assert len(a) <= 64


LOCKED = """
import pytest

from booking_sandbox.testing import SandboxClient, SandboxError


def test_the_fixture_carries_the_control_token(booking_sandbox):
    booking_sandbox.clock.advance("P1D")
    booking_sandbox.faults.add(status=503)
    assert booking_sandbox.namespace in booking_sandbox.namespaces()
    with pytest.raises(SandboxError) as refused:
        SandboxClient(booking_sandbox.url).namespaces()  # no token: locked out
    assert (refused.value.status, refused.value.code) == (401, "unauthorized")
    assert "Authorization" not in booking_sandbox.headers  # never handed to the system under test
"""


@pytest.mark.slow  # pytest in a subprocess
def test_in_process_mode_locks_and_uses_the_control_token(tmp_path: Path) -> None:
    (tmp_path / "test_locked.py").write_text(LOCKED)
    result = pytest_in(tmp_path, "test_locked.py", SANDBOX_CONTROL_TOKEN="ci-secret")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
