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
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from sandbox.testing import LiveServer, SandboxClient, free_port
from sandbox.testing.plugin import namespace_for
from tests.conftest import START

NAMESPACE = re.compile(r"pytest-[0-9a-f]{8}-[0-9a-f]{8}")

# Runs in the child pytest; every test records its namespace and URL into $SANDBOX_TEST_LOG.
INNER = f'''
import json
import os
from datetime import datetime, timedelta

from sandbox.testing import SandboxClient

START = datetime.fromisoformat("{START}")
LOG = os.environ["SANDBOX_TEST_LOG"]


def record(sandbox):
    with open(LOG, "a") as log:
        log.write(json.dumps({{"namespace": sandbox.namespace, "url": sandbox.url}}) + "\\n")


def test_first(booking_sandbox):
    record(booking_sandbox)
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


def run_pytest(
    tmp_path: Path, **env: str
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, str]]]:
    (tmp_path / "test_inner.py").write_text(INNER)
    log = tmp_path / "log.jsonl"
    child_env = {k: v for k, v in os.environ.items() if not k.startswith(("SANDBOX_", "PYTEST_"))}
    child_env.update(env, SANDBOX_TEST_LOG=str(log))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            "-q",
            "test_inner.py",
        ],
        cwd=tmp_path,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
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
def test_sandbox_url_mode_uses_that_server(tmp_path: Path, live_server: LiveServer) -> None:
    result, records = run_pytest(tmp_path, SANDBOX_URL=f"{live_server.url}/")
    assert check_isolation(result, records) == live_server.url
    left = set(SandboxClient(live_server.url).namespaces())
    assert not {r["namespace"] for r in records} & left  # reset at teardown, failure or not


def test_in_process_mode_starts_its_own_server(tmp_path: Path) -> None:
    # SANDBOX_START_TIME applies in-process as it does to the console script.
    result, records = run_pytest(tmp_path, SANDBOX_START_TIME=START)
    url = check_isolation(result, records)
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
    with pytest.raises(OSError, match="Connection refused"):  # stopped with the session
        SandboxClient(url, timeout=2).health()


def test_an_unreachable_sandbox_url_fails_clearly(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result, records = run_pytest(tmp_path, SANDBOX_URL=url, SANDBOX_WAIT="0.5")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"SANDBOX_URL={url}: no healthy sandbox there after 0.5 s" in output
    assert "4 errors" in output  # every test that needs it; the server is looked for once
    assert records == []


def test_plugin_is_registered_and_loaded(pytestconfig: pytest.Config) -> None:
    (entry,) = [e for e in entry_points(group="pytest11") if e.name == "booking_sandbox"]
    assert entry.value == "sandbox.testing.plugin"
    assert pytestconfig.pluginmanager.has_plugin("booking_sandbox")


def test_plugin_import_is_cheap() -> None:
    # Loaded into every pytest run where the package is installed: no server, no app.
    code = (
        "import sys, sandbox.testing.plugin; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('uvicorn', 'starlette') "
        "or m.startswith(('sandbox.app', 'sandbox.engine', 'sandbox.vendors'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_namespace_names_are_valid_and_unique_per_run() -> None:
    node = "tests/test_x.py::test_y[" + "x" * 200 + "]"
    a, b = namespace_for(node), namespace_for(node)
    assert a != b  # the same test in two CI jobs on one shared server
    assert a[:16] == b[:16]  # the hash of the test id, to find it in logs
    assert NAMESPACE.fullmatch(a)
    assert len(a) <= 64
