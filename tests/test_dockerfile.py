"""What the Dockerfile promises, read from its text: checked without a Docker daemon.

tests/test_docker_smoke.py builds and runs the image where a daemon is reachable, and
tests/test_quality.py lints the file with hadolint.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text("utf-8")
# Instructions with their continuation lines joined, comments dropped.
INSTRUCTIONS = [
    line
    for line in re.sub(r"\\\n", " ", DOCKERFILE).splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def instructions(keyword: str) -> list[str]:
    return [line for line in INSTRUCTIONS if line.split()[0].upper() == keyword]


def final_stage() -> list[str]:
    start = max(i for i, line in enumerate(INSTRUCTIONS) if line.upper().startswith("FROM "))
    return INSTRUCTIONS[start:]


def test_the_default_base_is_the_official_slim_python_pinned_by_digest() -> None:
    [arg] = [line for line in instructions("ARG") if "BASE_IMAGE=" in line]
    assert re.fullmatch(r"ARG BASE_IMAGE=python:3\.11-slim@sha256:[0-9a-f]{64}", arg.strip()), arg


def test_every_stage_starts_from_the_base_image_argument() -> None:
    stages: list[str] = []
    for line in instructions("FROM"):
        image = line.split()[1]
        # Either the base itself or a stage built on it above: a BASE_IMAGE override reaches all.
        assert image == "${BASE_IMAGE}" or image in stages, line
        if " AS " in line.upper():
            stages.append(line.split()[-1])
    assert len(instructions("FROM")) >= 2, "expected a build stage and a runtime stage"


def test_nothing_is_copied_between_stages() -> None:
    """A `COPY --from` layer stays in the image even when a later step deletes its files."""
    assert not [line for line in instructions("COPY") if "--from" in line]
    assert "--mount=type=bind,from=build,source=/wheels" in "".join(final_stage())


def test_the_runtime_dependencies_come_from_the_lock_by_hash() -> None:
    assert (ROOT / "requirements.lock").is_file()
    installs = " ".join(final_stage())
    assert "source=requirements.lock" in installs
    assert "--require-hashes --no-deps -r /tmp/requirements.lock" in installs
    # The wheel adds nothing the lock did not pin, and pip check proves the lock is complete.
    assert "--no-index --no-deps /wheels/booking_sandbox-" in installs
    assert " check " in installs


def test_oci_labels_are_set_from_build_arguments() -> None:
    labels = " ".join(instructions("LABEL"))
    for key in ("title", "description", "licenses", "source", "version", "revision", "created"):
        assert f"org.opencontainers.image.{key}=" in labels, key
    for arg in ("VERSION", "REVISION", "CREATED", "SOURCE"):
        assert f"${{{arg}}}" in labels, arg
        assert any(line.split()[1].startswith(f"{arg}=") for line in instructions("ARG")), arg


def test_it_runs_unprivileged_with_a_healthcheck() -> None:
    [user] = [line for line in final_stage() if line.startswith("USER ")]
    assert user.split()[1] == "10001:10001"
    [health] = [line for line in final_stage() if line.startswith("HEALTHCHECK ")]
    assert "/_sandbox/health" in health
