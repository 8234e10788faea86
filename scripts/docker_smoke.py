#!/usr/bin/env python3
"""Build the image, run it, wait for its HEALTHCHECK, book once per vendor through it, stop it.

    python3 scripts/docker_smoke.py [--base-image IMAGE] [--tag TAG]

The bookings are the README's quickstart blocks, run verbatim in bash (they need `curl` and
`python3` on this machine) with `localhost:8000` pointed at the container's port; the control
plane then must show exactly one booking per vendor and no refused request. Prints the build
time, the image size and the time to healthy; exits non-zero on any failure. The container is
removed in every case; the image is kept.

Needs a Docker daemon and BuildKit (`docker buildx`, or a client with BuildKit built in, e.g.
`DOCKER=/usr/bin/docker` for Debian's docker.io). Where the public registry is out of reach,
pass a local base: `--base-image` or `SANDBOX_DOCKER_BASE` (see the Dockerfile's BASE_IMAGE).
Standard library only, so any python3 runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README_BASE = "localhost:8000"
HEALTH_TIMEOUT_S = 120.0
# What one tour of the quickstart leaves in the journal: (operation, status).
ONE_BOOKING_PER_VENDOR = [
    ("korus.orders-bulk", 200),
    ("pontcentral.booking-create", 200),
    ("booqable.order_bookings", 201),
]


class SmokeError(Exception):
    """A step failed; the message says which and why."""


def docker_cli() -> list[str]:
    return [os.environ.get("DOCKER", "docker")]


def docker(*args: str, timeout: float = 60) -> str:
    done = subprocess.run(
        [*docker_cli(), *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise SmokeError(f"docker {' '.join(args)} failed:\n{done.stderr.strip()}")
    return done.stdout.strip()


def build_command(tag: str, base_image: str | None) -> list[str]:
    """`docker buildx build --load` where buildx is installed, else BuildKit's `docker build`."""
    buildx = subprocess.run([*docker_cli(), "buildx", "version"], capture_output=True, check=False)
    command = [
        *docker_cli(),
        *(["buildx", "build", "--load"] if buildx.returncode == 0 else ["build"]),
    ]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    build_args = {
        "VERSION": version,
        "REVISION": git_revision(),
        "CREATED": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if base_image:
        build_args["BASE_IMAGE"] = base_image
    for name, value in build_args.items():
        command += ["--build-arg", f"{name}={value}"]
    return [*command, "--tag", tag, str(ROOT)]


def git_revision() -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def build(tag: str, base_image: str | None) -> float:
    command = build_command(tag, base_image)
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    # DOCKER_BUILDKIT: the Dockerfile's RUN --mount needs BuildKit, which older clients only
    # use when asked.
    done = subprocess.run(command, env={**os.environ, "DOCKER_BUILDKIT": "1"}, check=False)
    if done.returncode != 0:
        raise SmokeError(
            f"docker build failed (exit {done.returncode}), see above. Without buildx, a docker "
            "client from 23 on cannot use BuildKit: set DOCKER to one with it built in (<23)"
        )
    return time.monotonic() - started


def check_image(tag: str) -> int:
    """The image's size in bytes, after checking what the Dockerfile promises about it."""
    config = json.loads(docker("image", "inspect", "--format", "{{json .Config}}", tag))
    if config.get("User") != "10001:10001":
        raise SmokeError(f"the image runs as {config.get('User')!r}, not the unprivileged 10001")
    labels = config.get("Labels") or {}
    missing = [
        key
        for key in ("title", "description", "source", "licenses", "version", "revision", "created")
        if f"org.opencontainers.image.{key}" not in labels
    ]
    if missing:
        raise SmokeError(f"OCI labels missing: {missing}")
    if not config.get("Healthcheck"):
        raise SmokeError("the image has no HEALTHCHECK")
    return int(docker("image", "inspect", "--format", "{{.Size}}", tag))


def start(tag: str) -> tuple[str, int]:
    """Run the image detached on a free loopback port that Docker picks; (container id, port)."""
    container = docker("run", "--detach", "--publish", "127.0.0.1::8000", tag)
    published = docker("port", container, "8000/tcp").splitlines()[0]  # 127.0.0.1:49153
    return container, int(published.rsplit(":", 1)[1])


def wait_healthy(container: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < HEALTH_TIMEOUT_S:
        state = json.loads(docker("inspect", "--format", "{{json .State}}", container))
        health = (state.get("Health") or {}).get("Status")
        if health == "healthy":
            return time.monotonic() - started
        if not state.get("Running") or health == "unhealthy":
            raise SmokeError(f"the container is {state.get('Status')}, health {health}")
        time.sleep(0.5)
    raise SmokeError(f"not healthy after {HEALTH_TIMEOUT_S:.0f} s")


def quickstart_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    if "\n## Quickstart" not in text:
        raise SmokeError("the README has no Quickstart section")
    section = text.split("\n## Quickstart", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```bash\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


def book_once_per_vendor(port: int) -> None:
    blocks = quickstart_blocks()
    if len(blocks) < 2:
        raise SmokeError("the README's Quickstart has no bash blocks to run")
    # A proxy from the environment must not get between curl and the container.
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
    with tempfile.TemporaryDirectory() as cwd:  # the quickstart must not need the checkout
        for block in blocks:
            script = block.replace(README_BASE, f"127.0.0.1:{port}")
            done = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", script],
                cwd=cwd,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            print(done.stdout, end="", flush=True)
            if done.returncode != 0:
                raise SmokeError(f"quickstart block failed:\n{block}\n{done.stderr}")
    base = f"http://127.0.0.1:{port}/_sandbox"
    for operation, status in ONE_BOOKING_PER_VENDOR:
        if (seen := count(base, operation=operation, status=status)) != 1:
            raise SmokeError(f"{operation} answered {status} {seen} times, expected once")
    for status_class in ("4xx", "5xx"):
        if refused := count(base, status=status_class):
            raise SmokeError(f"{refused} vendor requests answered {status_class}")


# The browser pages ship inside the wheel: the image serves them with no network of its own.
PAGES = (
    ("/_sandbox/ui", "text/html"),
    ("/_sandbox/ui/main.js", "text/javascript"),
    ("/_sandbox/docs/control", "text/html"),
    ("/_sandbox/docs/assets/swagger-ui-bundle.js", "text/javascript"),
)


def check_pages(port: int) -> None:
    for path, media in PAGES:
        url = f"http://127.0.0.1:{port}{path}"
        with urllib.request.urlopen(url, timeout=10) as response:
            if response.status != 200 or not response.headers["Content-Type"].startswith(media):
                raise SmokeError(f"{path}: {response.status} {response.headers['Content-Type']}")


def count(base: str, **match: object) -> int:
    request = urllib.request.Request(
        f"{base}/requests/count",
        data=json.dumps(match).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["count"])


def logs(container: str) -> str:
    done = subprocess.run(
        [*docker_cli(), "logs", "--tail", "50", container],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--base-image",
        default=os.environ.get("SANDBOX_DOCKER_BASE") or None,
        help="passed as --build-arg BASE_IMAGE (default: $SANDBOX_DOCKER_BASE, else the "
        "Dockerfile's pinned python:3.11-slim)",
    )
    parser.add_argument("--tag", default="booking-sandbox:smoke", help="the image's tag")
    options = parser.parse_args(argv)
    for tool in ("curl", "bash", "python3"):
        if shutil.which(tool) is None:
            print(f"docker_smoke: the quickstart blocks need {tool}", file=sys.stderr)
            return 2

    container = None
    try:
        build_s = build(options.tag, options.base_image)
        size = check_image(options.tag)
        container, port = start(options.tag)
        healthy_s = wait_healthy(container)
        book_once_per_vendor(port)
        check_pages(port)
    except (SmokeError, subprocess.TimeoutExpired, OSError) as error:
        print(f"docker_smoke: FAILED: {error}", file=sys.stderr)
        if container:
            print(f"--- container logs ---\n{logs(container)}", file=sys.stderr)
        return 1
    finally:
        if container:
            subprocess.run([*docker_cli(), "rm", "--force", container], capture_output=True)
    print(f"base image:      {options.base_image or 'the Dockerfile default'}")
    print(f"build time:      {build_s:.1f} s")
    print(f"image size:      {size / 1e6:.1f} MB ({size} bytes)")
    print(f"time to healthy: {healthy_s:.1f} s")
    print("docker_smoke: OK, one booking per vendor and the browser pages through the container")
    return 0


if __name__ == "__main__":
    sys.exit(main())
