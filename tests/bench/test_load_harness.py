"""The load benchmark's harness does correct work: every chain succeeds, the bare app sends the
sandbox's exact bytes (checked inside the run), and the state check passes after each run.
Short runs at two connections: these tests check the method, never a speed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.load.paths import PATHS, Step
from bench.load.wrk import script

ROOT = Path(__file__).resolve().parents[2]


def _run(client: str) -> list[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "--seconds",
            "0.3",
            "--connections",
            "2",
            "--client",
            client,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if line.startswith("| ") and "| 2 |" in line]


def _assert_correct(rows: list[str]) -> None:
    assert len(rows) == len(PATHS)
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[9] == "0 / 0", row  # no error on either server
        assert float(cells[5].replace(",", "")) > 0, row


@pytest.mark.slow  # runs the benchmark (two servers) in a subprocess
def test_python_client_drives_every_path_without_error() -> None:
    _assert_correct(_run("python"))


@pytest.mark.slow  # runs the benchmark (two servers) in a subprocess
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_drives_every_path_without_error() -> None:
    _assert_correct(_run("wrk"))


def test_a_chain_hands_the_captured_value_to_the_next_step() -> None:
    first = Step("POST", "/a", "{}", capture='"id":"', marker='"type":"a"')
    second = Step("DELETE", "/a/{}", '{"of":"{}"}')
    assert first.cut('{"type":"a","id":"x1"}') == "x1"
    assert first.cut('{"type":"b","id":"x1"}') is None  # another step's response
    assert second.render("x1") == ("/a/x1", '{"of":"x1"}')


def test_the_wrk_script_carries_each_step_and_the_namespace_headers() -> None:
    chain = next(p for p in PATHS if len(p.steps) > 1)
    lua = script(chain, {"X-Sandbox-Namespace": "n1"})
    assert "[==[X-Sandbox-Namespace]==]" in lua
    assert "[==[n1]==]" in lua
    assert "response = function" in lua
    for step in chain.steps:
        assert f"[==[{step.path}]==]" in lua
