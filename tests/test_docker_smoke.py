"""The image, built and run: scripts/docker_smoke.py, wherever a Docker daemon can run it.

It skips, saying why, without a reachable daemon, without BuildKit, or without a base image:
`SANDBOX_DOCKER_BASE` names a local one (scripts/docker_standin_base.sh builds a Debian stand-in
where the public registry is out of reach), else the Dockerfile's pinned default must be present
or pullable. `DOCKER` names the client (default `docker`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds an image and runs a container

ROOT = Path(__file__).resolve().parents[1]
HOW_TO_RUN = (
    "start dockerd, then: SANDBOX_DOCKER_BASE=local/python:3.11-bookworm "
    "(scripts/docker_standin_base.sh builds it offline) pytest tests/test_docker_smoke.py"
)


def docker(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    cli = os.environ.get("DOCKER", "docker")
    try:
        return subprocess.run(
            [cli, *args], capture_output=True, text=True, timeout=timeout, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess([cli, *args], 1, "", str(error))


def default_base() -> str:
    found = re.search(r"^ARG BASE_IMAGE=(\S+)$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    assert found, "the Dockerfile has no BASE_IMAGE default"
    return found.group(1)


def why_not_runnable() -> str | None:
    if shutil.which(os.environ.get("DOCKER", "docker")) is None:
        return "no docker client"
    if docker("info").returncode != 0:
        return "no Docker daemon reachable (docker info failed)"
    client = docker("version", "--format", "{{.Client.Version}}").stdout.strip()
    # Clients from 23 on build with BuildKit only through the buildx plugin.
    builtin_buildkit = client.split(".")[0].isdigit() and int(client.split(".")[0]) < 23
    if docker("buildx", "version").returncode != 0 and not builtin_buildkit:
        return f"docker {client} has no buildx (BuildKit); install it or set DOCKER to a client <23"
    base = os.environ.get("SANDBOX_DOCKER_BASE") or default_base()
    if docker("image", "inspect", base).returncode != 0 and (
        docker("pull", base, timeout=300).returncode != 0
    ):
        return f"base image {base} is neither present nor pullable"
    return None


def test_the_image_builds_turns_healthy_and_books_once_per_vendor() -> None:
    if reason := why_not_runnable():
        pytest.skip(f"{reason}; to run it: {HOW_TO_RUN}")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "docker_smoke.py")],
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-5000:]
    assert "docker_smoke: OK" in done.stdout
    print(done.stdout[done.stdout.index("base image:") :])  # the figures, with pytest -s
