"""The GitHub workflows: linted by actionlint, and checked for what the docs promise of them.

CI (.github/workflows/ci.yml) runs .ci/run, and beside it the two tests its container skips:
the image smoke test (Docker) and the TypeScript check (npm). The release
(.github/workflows/release.yml) first calls CI on the tagged commit, then builds the wheel and
sdist, publishes them by trusted publishing and pushes a multi-arch image to GHCR under the name
docs/testing.md's `services:` example uses.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = Path(sys.executable).parent / "actionlint"
# The one reference not pinned to a commit: the branch PyPI's guide tells to use.
UNPINNED_ALLOWED = {"pypa/gh-action-pypi-publish@release/v1"}
OWNER = "${{ github.repository_owner }}"


def load(name: str) -> dict[str, Any]:
    workflow: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML 1.1 reads the key `on` as true.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return found


def needs(workflow: dict[str, Any], job: str) -> set[str]:
    """The jobs `job` waits for: `needs:` is one name or a list."""
    found = workflow["jobs"][job].get("needs", [])
    return {found} if isinstance(found, str) else set(found)


def run_steps(workflow: dict[str, Any], job: str) -> list[str]:
    return [s["run"] for s in steps(workflow, job) if "run" in s]


def unpinned(text: str) -> list[str]:
    """The `uses:` lines not pinned to a commit SHA with a `# vX.Y.Z` comment after it.

    A workflow of this repository (`./...`) runs at the caller's own commit: nothing to pin.
    """
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.search(r"uses: (\S+)(.*)", line)
        if match is None or match[1].startswith("./") or match[1] in UNPINNED_ALLOWED:
            continue
        _, _, ref = match[1].partition("@")
        if not re.fullmatch(r"[0-9a-f]{40}", ref):
            found.append(f"{number}: pin {match[1]} to a commit SHA")
        elif not re.fullmatch(r" # v\d+(\.\d+)*", match[2]):
            found.append(f"{number}: say the version of {match[1]} in a `# vX.Y.Z` comment")
    return found


def step_using(workflow: dict[str, Any], job: str, action: str) -> dict[str, Any]:
    matching = [s for s in steps(workflow, job) if s.get("uses", "").startswith(action + "@")]
    assert len(matching) == 1, f"{job}: one step uses {action}"
    return matching[0]


def actionlint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    # No shellcheck or pyflakes: whether a machine has them would change the verdict.
    command = [str(ACTIONLINT), "-shellcheck=", "-pyflakes=", "-oneline", "-no-color", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.mark.slow
def test_actionlint_passes_both_workflows() -> None:
    result = actionlint(str(WORKFLOWS / "ci.yml"), str(WORKFLOWS / "release.yml"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_actionlint_refuses_a_broken_workflow(tmp_path: Path) -> None:
    """The lint above passes because the workflows are right, not because nothing ran."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nowhere\n"
        "    steps:\n      - run: echo ${{ github.nothing }}\n"
    )
    result = actionlint(str(broken), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nowhere" in result.stdout


def test_every_action_is_pinned_to_a_commit() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        assert unpinned(path.read_text()) == [], path.name


def test_the_pin_check_refuses_tags_and_branches_and_spares_local_workflows() -> None:
    sha = "3d3c42e5aac5ba805825da76410c181273ba90b1"
    text = (
        f"- uses: actions/checkout@{sha} # v7.0.1\n"
        "- uses: actions/checkout@v7\n"
        f"- uses: actions/checkout@{sha}\n"
        "- uses: actions/checkout\n"
        "  uses: ./.github/workflows/ci.yml\n"
    )
    assert unpinned(text) == [
        "2: pin actions/checkout@v7 to a commit SHA",
        "3: say the version of actions/checkout@" + sha + " in a `# vX.Y.Z` comment",
        "4: pin actions/checkout to a commit SHA",
    ]


def test_ci_runs_the_suite_as_ci_does_on_push_and_pull_request() -> None:
    ci = load("ci.yml")
    assert set(ci["on"]) == {"push", "pull_request", "workflow_call"}
    # A version tag's push is tested by release.yml calling this workflow, not twice.
    assert ci["on"]["push"] == {"branches": ["**"], "tags-ignore": ["v*"]}
    # Called by release.yml, github.workflow is "Release": its run and a push's never collide.
    assert "${{ github.workflow }}" in ci["concurrency"]["group"]
    job = ci["jobs"]["test"]
    # Debian's chromium package, for the browser tests, as .ci/run installs it.
    assert job["container"].startswith("python:3.11-bookworm")
    assert run_steps(ci, "test") == ["bash .ci/run"]
    assert "apt-get install" in (ROOT / ".ci" / "run").read_text()


def test_ci_runs_the_image_smoke_test_on_a_runner_with_docker() -> None:
    """The `test` job's container has no Docker daemon: tests/test_docker_smoke.py skips there."""
    ci = load("ci.yml")
    job = ci["jobs"]["docker-smoke"]
    assert job["runs-on"] == "ubuntu-latest"
    assert "container" not in job
    python = step_using(ci, "docker-smoke", "actions/setup-python")
    assert python["with"]["python-version"] == "3.11"
    # The script itself, not the test that skips without Docker; the Dockerfile's pinned base.
    assert run_steps(ci, "docker-smoke") == ["python3 scripts/docker_smoke.py"]
    assert (ROOT / "scripts" / "docker_smoke.py").is_file()


def test_ci_type_checks_the_readme_requests_with_npm() -> None:
    """The `test` job's container has no npm: tests/clients/test_typescript.py skips there."""
    ci = load("ci.yml")
    job = ci["jobs"]["typescript"]
    assert "container" not in job
    step_using(ci, "typescript", "actions/setup-node")
    python = step_using(ci, "typescript", "actions/setup-python")
    assert python["with"]["python-version"] == "3.11"
    [script] = run_steps(ci, "typescript")
    assert "pip install -q -e '.[test]'" in script
    assert "pytest tests/clients/test_typescript.py --junitxml=typescript.xml" in script
    # ... and fails if it skipped all the same (no registry): a skip here would prove nothing.
    assert "grep -q '<skipped' typescript.xml" in script
    assert (ROOT / "tests" / "clients" / "test_typescript.py").is_file()


def test_release_publishes_nothing_before_ci_passes_on_the_tagged_commit() -> None:
    release = load("release.yml")
    assert release["jobs"]["tests"] == {"uses": "./.github/workflows/ci.yml"}
    publishing = set(release["jobs"]) - {"tests"}
    assert publishing == {"dist", "pypi", "image"}
    # Directly, not only through `dist`: a later edit of dist's needs cannot skip the tests.
    assert all("tests" in needs(release, job) for job in publishing)


def test_release_publishes_dists_by_trusted_publishing_on_version_tags() -> None:
    release = load("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    build = " ".join(s.get("run", "") for s in steps(release, "dist"))
    assert "python -m build" in build
    pypi = release["jobs"]["pypi"]
    assert needs(release, "pypi") == {"tests", "dist"}
    assert pypi["permissions"] == {"id-token": "write"}
    assert pypi["environment"]["name"] == "pypi"
    publish = step_using(release, "pypi", "pypa/gh-action-pypi-publish")
    assert "with" not in publish, "trusted publishing: no password or token"
    # Only the publishing job may ask for an OIDC token.
    others = [j for n, j in release["jobs"].items() if n != "pypi"]
    assert all("id-token" not in j.get("permissions", {}) for j in others)


def test_release_pushes_a_multi_arch_image_with_oci_labels() -> None:
    release = load("release.yml")
    job = release["jobs"]["image"]
    # After `dist`, which refuses a tag that does not match pyproject's version.
    assert needs(release, "image") == {"tests", "dist"}
    assert job["permissions"]["packages"] == "write"
    for action in ("setup-qemu-action", "setup-buildx-action", "login-action"):
        step_using(release, "image", f"docker/{action}")
    assert step_using(release, "image", "docker/login-action")["with"]["registry"] == "ghcr.io"
    meta = step_using(release, "image", "docker/metadata-action")
    assert meta["with"]["images"] == "${{ env.IMAGE }}"
    push = step_using(release, "image", "docker/build-push-action")["with"]
    assert set(push["platforms"].split(",")) == {"linux/amd64", "linux/arm64"}
    assert push["push"] is True
    assert push["labels"] == "${{ steps.meta.outputs.labels }}"
    assert push["tags"] == "${{ steps.meta.outputs.tags }}"
    # Each build argument passed is one the Dockerfile declares (its OCI labels).
    declared = set(re.findall(r"^ARG (\w+)", (ROOT / "Dockerfile").read_text(), re.M))
    passed = {line.split("=", 1)[0] for line in push["build-args"].splitlines()}
    assert passed <= declared, passed - declared


def test_docs_services_example_names_the_released_image() -> None:
    image = load("release.yml")["jobs"]["image"]["env"]["IMAGE"]
    assert image == f"ghcr.io/{OWNER}/booking-sandbox"
    tags = step_using(load("release.yml"), "image", "docker/metadata-action")["with"]["tags"]
    docs = (ROOT / "docs" / "testing.md").read_text()
    services = docs[docs.index("services:\n  sandbox:") :]
    named = re.search(r"image: (\S+)", services)
    assert named is not None
    repository, _, tag = named[1].rpartition(":")
    assert repository == image.replace(OWNER, "<owner>")
    # `0.1` is the tag `{{major}}.{{minor}}` makes; the docs follow pyproject's version.
    assert "type=semver,pattern={{major}}.{{minor}}" in tags
    version = re.search(r'^version = "(\d+\.\d+)\.', (ROOT / "pyproject.toml").read_text(), re.M)
    assert version is not None
    assert tag == version[1]
