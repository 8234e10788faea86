"""Header, else the namespace bound to the credential, else `default`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from booking_sandbox.app import create_app
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.core.settings import Settings
from tests.conftest import ROOT


def test_resolution_order(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", fixtures)
    path = fixtures / "booqable.json"
    doc = json.loads(path.read_text())
    doc["api_keys"].append({"key": "ci-job-7", "namespace": "job-7"})
    path.write_text(json.dumps(doc))
    sandbox: Sandbox = create_app(Settings(fixtures=fixtures)).state.sandbox
    spaces = sandbox.namespaces
    assert spaces.resolve("explicit", "booqable", "ci-job-7") == "explicit"
    assert spaces.resolve(None, "booqable", "ci-job-7") == "job-7"
    assert spaces.resolve(None, "korus", "ci-job-7") == "default"
    assert spaces.resolve(None, "booqable", "demo-api-key") == "default"
    assert spaces.resolve(None, "booqable", None) == "default"
