"""The dashboard where it could go wrong: switching namespaces, resets behind its back, typed
scenario parameters, refusals, the token dialog, and the keyboard focus across refreshes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from playwright.sync_api import Page, expect

from booking_sandbox.testing.live import LiveServer
from tests.browser.conftest import START, Console
from tests.browser.test_dashboard import Korus, _frozen_namespace, _open


def _control(url: str, namespace: str, method: str, path: str, **kwargs: object) -> httpx.Response:
    headers = {"X-Sandbox-Namespace": namespace}
    r = httpx.request(method, f"{url}/_sandbox{path}", headers=headers, **kwargs)  # type: ignore[arg-type]
    assert r.is_success, r.text
    return r


def _touch(url: str, namespace: str, marker: str) -> None:
    """One journal entry in the namespace, its path telling which."""
    httpx.get(f"{url}/v1/ticketing/catalogs?{marker}", headers={"X-Sandbox-Namespace": namespace})


def test_the_journal_shows_the_picked_namespace_only(page: Page, sandbox_url: str) -> None:
    first, second = (f"ui-{uuid.uuid4().hex[:8]}" for _ in range(2))
    for made in (first, second):
        _frozen_namespace(sandbox_url, made)
    _touch(sandbox_url, first, "from=first")
    _touch(sandbox_url, second, "from=second")
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={first}")
    entries = page.locator("#requests-list li.entry")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("from=first")
    page.get_by_label("Namespace", exact=True).select_option(second)
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("from=second")  # same id (1), another namespace

    # A reset behind the page's back: the old entry #1 goes, the new #1 shows.
    _control(sandbox_url, second, "POST", "/reset")
    _touch(sandbox_url, second, "after=reset")
    expect(entries).to_have_count(1)
    expect(entries).to_contain_text("after=reset")


def test_another_namespace_opens_by_name(page: Page, sandbox_url: str, namespace: str) -> None:
    _open(page, sandbox_url)
    page.get_by_label("Open another namespace").fill(namespace)
    page.get_by_role("button", name="Open").click()
    expect(page).to_have_url(re.compile(rf"\?namespace={namespace}$"))
    expect(page.get_by_label("Namespace", exact=True)).to_have_value(namespace)


def test_the_clock_is_set_from_its_form(page: Page, sandbox_url: str, namespace: str) -> None:
    _frozen_namespace(sandbox_url, namespace)
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    page.get_by_label("Set to (UTC)").fill("2025-03-01T12:00:00")
    page.get_by_role("button", name="Set", exact=True).click()
    expect(page.locator("#clock-now")).to_have_text("2025-03-01 12:00:00 UTC")
    clock = _control(sandbox_url, namespace, "GET", "/clock").json()
    assert clock == {"now": "2025-03-01T12:00:00Z", "frozen": True}
    page.get_by_role("button", name="Let it run").click()
    expect(page.locator("#clock-mode")).to_have_text("running")


def test_scenario_parameters_go_with_their_types(
    page: Page, sandbox_url: str, namespace: str
) -> None:
    _frozen_namespace(sandbox_url, namespace)
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    scenario = page.locator('form[data-scenario="korus-expiring-reservation"]')
    scenario.get_by_text("Parameters").click()
    scenario.get_by_label("seconds_left").fill("30")  # an integer parameter
    scenario.get_by_role("button", name="Apply").click()
    expect(page.locator("#status")).to_have_text("Scenario korus-expiring-reservation applied.")
    hold = page.locator("#inventory-panel tr.allocation.held .expires")
    expect(hold.first).to_have_text("in 00:30")


def test_faults_are_deleted_and_disconnects_chosen_from_a_list(
    page: Page, sandbox_url: str, namespace: str
) -> None:
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    faults = page.locator("#faults-panel")
    faults.get_by_label("Action").select_option("disconnect")
    expect(faults.get_by_label("Value", exact=True)).to_be_hidden()
    faults.get_by_label("Disconnect").select_option("empty")
    faults.get_by_role("button", name="Arm").click()
    rule = faults.locator("tbody tr[data-fault]")
    expect(rule).to_contain_text('{"disconnect":"empty"}')
    rule.get_by_role("button", name=re.compile("^Delete fault")).click()
    expect(rule).to_have_count(0)
    assert _control(sandbox_url, namespace, "GET", "/faults").json() == {"faults": []}


def test_the_focus_survives_a_refresh_that_redraws(
    page: Page, sandbox_url: str, namespace: str
) -> None:
    rule = {"match": {"vendor": "korus"}, "action": {"status": 503}}
    first = _control(sandbox_url, namespace, "POST", "/faults", json=rule).json()["id"]
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    delete = page.locator(f"#fault-delete-{first}")
    delete.focus()
    _control(sandbox_url, namespace, "POST", "/faults", json=rule)  # the table is redrawn
    expect(page.locator("#faults-list tr[data-fault]")).to_have_count(2)
    expect(delete).to_be_focused()


def test_a_refused_import_is_explained_and_changes_nothing(
    page: Page, console: Console, sandbox_url: str, namespace: str, tmp_path: Path
) -> None:
    console.allow(r"status of 4\d\d .*/_sandbox/state'")
    _frozen_namespace(sandbox_url, namespace)
    with Korus(sandbox_url, namespace) as korus:
        assert korus.reserve(1).status_code == 200
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    bad = tmp_path / "not-a-state.json"
    bad.write_text('{"version": 1}')
    page.locator("#state-import").set_input_files(str(bad))
    expect(page.locator("#status.error")).to_contain_text("the body is not a valid State")
    held = page.locator("#inventory-panel tr.allocation.held")
    expect(held).to_have_count(1)


@pytest.fixture(scope="module")
def locked_url() -> Iterator[str]:
    server = LiveServer("--start-time", START, "--control-token", "ui-t0ken")
    try:
        server.wait_healthy()
        yield server.url
    finally:
        server.stop()


def test_a_wrong_token_is_asked_again_and_escape_does_not_dismiss(
    page: Page, console: Console, locked_url: str, namespace: str
) -> None:
    console.allow(r"status of 401 ")
    page.goto(f"{locked_url}/_sandbox/ui?namespace={namespace}")
    dialog = page.get_by_role("dialog", name="Control token")
    expect(dialog).to_be_visible()
    for _ in range(3):  # Chromium lets a page refuse Escape once only: it asks again
        page.keyboard.press("Escape")
        expect(dialog).to_be_visible()
    dialog.get_by_label("Token").fill("tok€n")  # no header can carry it: refused by the field
    dialog.get_by_role("button", name="Use it").click()
    expect(dialog).to_be_visible()
    dialog.get_by_label("Token").fill("wrong")
    dialog.get_by_role("button", name="Use it").click()
    expect(dialog).to_be_visible()  # the server said 401: asked again
    dialog.get_by_label("Token").fill("ui-t0ken")
    dialog.get_by_role("button", name="Use it").click()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.locator("#clock-now")).to_have_text(re.compile(r"^2025-01-29 "))
    assert page.evaluate("sessionStorage.getItem('booking-sandbox.control-token')") == "ui-t0ken"


def test_a_locked_sandbox_asks_for_its_token_once_per_tab(
    page: Page, locked_url: str, namespace: str
) -> None:
    page.goto(f"{locked_url}/_sandbox/ui?namespace={namespace}")
    dialog = page.get_by_role("dialog", name="Control token")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Token").fill("ui-t0ken")
    dialog.get_by_role("button", name="Use it").click()
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(page.locator("#clock-now")).to_have_text(re.compile(r"^2025-01-29 0[78]:"))
    page.get_by_role("button", name="+1 day").click()
    expect(page.locator("#status")).to_contain_text("Clock advanced by 1 day")
    page.reload()  # the same tab: no second question
    expect(page.locator("body[data-ready=true]")).to_be_attached()
    expect(dialog).to_be_hidden()
