"""A checked catalog snapshot must not vouch for cross-reference checks
that never ran (an app built with only some of the vendors)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from booking_sandbox.app import create_app
from booking_sandbox.core.fixtures import FixtureError
from booking_sandbox.core.paths import bundled
from booking_sandbox.core.settings import Settings
from booking_sandbox.vendors import VENDORS

UNKNOWN_PRODUCT = "00000000-0000-4000-8000-000000000000"


def test_a_snapshot_made_without_a_vendor_does_not_skip_its_checks(tmp_path: Path) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(bundled("fixtures"), fixtures)
    doc = json.loads((fixtures / "korus.json").read_text("utf-8"))
    doc["catalogs"][0]["offers"][0]["product"] = UNKNOWN_PRODUCT  # a cross-reference error
    # Padded past the snapshot threshold (1 MiB): JSON allows trailing whitespace.
    (fixtures / "korus.json").write_text(json.dumps(doc) + " " * (1 << 20), "utf-8")
    settings = Settings(fixtures=fixtures, snapshot_cache=tmp_path / "cache")
    with pytest.raises(FixtureError, match="unknown product"):
        create_app(settings)
    create_app(settings, vendors=tuple(v for v in VENDORS if v.name != "korus"))
    with pytest.raises(FixtureError, match="unknown product"):
        create_app(settings)
