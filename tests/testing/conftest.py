"""Tests of the pytest plugin's fixtures skip when it is disabled (`-p no:booking_sandbox`)."""

from __future__ import annotations

import pytest

FIXTURES = {"booking_sandbox", "booking_sandbox_url"}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before the fixtures are looked up, which would be an error for each of these tests.
    if FIXTURES & set(getattr(item, "fixturenames", ())) and item.config.pluginmanager.is_blocked(
        "booking_sandbox"
    ):
        pytest.skip("the booking_sandbox plugin is disabled (-p no:booking_sandbox)")
