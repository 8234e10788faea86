"""The wheel (what `pip install .` and the Docker image use) carries fixtures and schemas."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # builds a wheel with pip in a subprocess


def test_wheel_bundles_fixtures_schemas_and_console_script(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("booking_sandbox-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for fixture in (ROOT / "fixtures").glob("*.json"):
        assert f"booking_sandbox/_bundled/fixtures/{fixture.name}" in names
    assert "booking_sandbox/_bundled/schemas/control.openapi.json" in names
    for schema in (ROOT / "schemas" / "fixtures").glob("*.json"):
        assert f"booking_sandbox/_bundled/schemas/fixtures/{schema.name}" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "booking-sandbox = booking_sandbox.__main__:main" in text
    # The pytest plugin, registered under pytest11, and the marker of a typed package.
    assert "booking_sandbox/testing/pytest_plugin.py" in names
    assert "booking_sandbox = booking_sandbox.testing.pytest_plugin" in text
    assert "booking_sandbox/py.typed" in names  # mypy --strict in a user's project reads our types
    # The API documentation pages work offline: Swagger UI and the pages' files ride along.
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "docs.js", "docs.css", "page.html"):
        assert f"booking_sandbox/control/apidocs/{asset}" in names
    assert "booking_sandbox/control/apidocs/LICENSE" in names
    # The dashboard's page and files: it works offline, from the wheel alone.
    from booking_sandbox.control.dashboard import ASSETS

    for name in (*ASSETS, "index.html"):
        assert f"booking_sandbox/control/ui/{name}" in names
