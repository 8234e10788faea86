"""The dashboard in headless Chromium against a live sandbox, as QA would use it.

A client books through the vendor API (httpx) while the page watches and steers the same
namespace: the hold shows, the clock moved from the page expires it, the journal opens on the
request, a fault armed from the form fails the next call, a scenario applies in one click.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import START, Console
from tests.browser.png import colours

ROOT = Path(__file__).resolve().parents[2]
OFFER = (
    "/v1/ticketing/catalogs/0194d07e-aa37-7171-820c-712e91552451"
    "/offers/0194d07e-ab12-7d4e-9a31-6f2b8c0d4e57"
)
SEED_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"  # seed 001's show: 200 seats
PANELS = ("clock", "state", "inventory", "requests", "faults", "scenarios")


class Korus:
    """The README's Korus flow, in one namespace."""

    def __init__(self, url: str, namespace: str) -> None:
        self.http = httpx.Client(base_url=url, headers={"X-Sandbox-Namespace": namespace})
        token = self.http.post(
            "/realms/korusticket/protocol/openid-connect/token",
            data={
                "grant_type": "client_credentials",
                "client_id": "demo-client",
                "client_secret": "demo-secret",
            },
        ).json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"

    def __enter__(self) -> Korus:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    def reserve(self, quantity: int) -> httpx.Response:
        body = {"items": [{"offer": OFFER, "quantity": quantity}]}
        return self.http.post(
            "/v1/booking/reservations/_bulk",
            content=json.dumps(body),
            headers={"Content-Type": "application/ld+json"},
        )


def _frozen_namespace(url: str, namespace: str) -> None:
    r = httpx.put(
        f"{url}/_sandbox/clock",
        json={"now": START, "frozen": True},
        headers={"X-Sandbox-Namespace": namespace},
    )
    assert r.is_success, r.text


def _state(url: str, namespace: str) -> dict[str, Any]:
    r = httpx.get(f"{url}/_sandbox/state", headers={"X-Sandbox-Namespace": namespace})
    assert r.is_success, r.text
    found: dict[str, Any] = r.json()
    return found


def _open(page: Page, url: str, path: str = "/") -> None:
    page.goto(url + path)
    expect(page.locator("body[data-ready=true]")).to_be_attached()


def _not_blank(png: bytes, what: str) -> None:
    assert colours(png) > 8, f"the {what} screenshot looks blank"


def test_a_qa_session_from_the_dashboard(
    page: Page, sandbox_url: str, namespace: str, tmp_path: Path
) -> None:
    _frozen_namespace(sandbox_url, namespace)
    with Korus(sandbox_url, namespace) as korus:
        _qa_session(page, sandbox_url, namespace, tmp_path, korus)


def _qa_session(page: Page, sandbox_url: str, namespace: str, tmp_path: Path, korus: Korus) -> None:
    held = korus.reserve(2)
    assert held.status_code == 200, held.text

    # Pick the namespace in the selector: the pick goes into the URL.
    _open(page, sandbox_url)
    assert page.url.endswith("/_sandbox/ui?namespace=default")
    page.get_by_label("Namespace", exact=True).select_option(namespace)
    expect(page).to_have_url(f"{sandbox_url}/_sandbox/ui?namespace={namespace}")
    expect(page.locator("#clock-now")).to_have_text("2025-01-29 07:55:53 UTC")
    expect(page.locator("#clock-mode")).to_have_text("frozen")

    # The hold, counting down on the namespace's clock.
    inventory = page.locator("#inventory-panel")
    inventory.get_by_label("Vendor").select_option("korus")
    inventory.get_by_label("in use only").check()
    inventory.get_by_role("button", name="Show").click()
    hold = inventory.locator("tr.allocation.held")
    expect(hold).to_have_count(1)
    expect(hold.locator(".expires")).to_have_text("in 15:00")
    expect(inventory.locator(".number.held dd").first).to_have_text("2")

    # 16 minutes later, from the page: the hold is gone and its seats are free again.
    page.get_by_role("button", name="+15 min").click()
    expect(page.locator("#clock-now")).to_have_text("2025-01-29 08:10:53 UTC")
    expect(hold.locator(".expires")).to_have_text("in 00:00")
    page.get_by_role("button", name="+1 min").click()
    expect(page.locator("#clock-now")).to_have_text("2025-01-29 08:11:53 UTC")
    expect(inventory.locator("tr.allocation")).to_have_count(0)
    expect(inventory.locator(".pool")).to_have_count(0)  # nothing in use any more

    # The journal opens on the reservation: what was sent, what came back.
    journal = page.locator("#requests-panel")
    entry = journal.locator("li.entry", has_text="/v1/booking/reservations/_bulk")
    expect(entry).to_have_count(1)
    entry.locator("summary").click()
    expect(entry.locator(".exchange pre.body").first).to_contain_text('"quantity": 2')
    expect(entry.locator(".exchange pre.body").nth(1)).to_contain_text("BookingReservation")
    expect(entry.locator(".exchange pre.headers").first).to_contain_text(
        "authorization: Bearer ***"
    )

    # A 503 armed from the form: the next reservation fails, and the journal says why.
    faults = page.locator("#faults-panel")
    faults.get_by_label("Vendor").select_option("korus")
    faults.get_by_label("Operation").select_option("korus.reservations-bulk")
    faults.get_by_label("Value", exact=True).fill("503")
    faults.get_by_label("Times", exact=True).fill("1")
    faults.get_by_role("button", name="Arm").click()
    expect(faults.locator("tbody tr[data-fault]")).to_have_count(1)
    assert korus.reserve(1).status_code == 503
    assert korus.reserve(1).status_code == 200  # times: 1
    expect(faults.locator("tbody tr[data-fault]")).to_have_count(0)
    faulted = journal.locator("li.entry", has=page.locator(".badge.fault"))
    expect(faulted).to_have_count(1)
    expect(faulted.locator(".code")).to_have_text("503")

    # A scenario in one click: the seed's show sells out.
    scenario = page.locator('#scenarios-panel form[data-scenario="korus-sold-out"]')
    scenario.get_by_role("button", name="Apply").click()
    expect(page.locator("#scenario-result")).to_contain_text("korus-sold-out")
    inventory.get_by_label("Vendor").select_option("korus")
    inventory.get_by_role("button", name="Show").click()
    show = inventory.locator(f'article[data-pool="korus:session:{SEED_SESSION}"]')
    expect(show.locator(".number.free dd")).to_have_text("0")
    expect(show.locator(".number.confirmed dd")).to_have_text("200")

    # Each panel drew its content (looked for first), and its picture is not blank.
    content = {
        "clock": "#clock-now",
        "state": "#state-export",
        "inventory": ".pool",
        "requests": "li.entry",
        "faults": "#fault-form",
        "scenarios": "form[data-scenario]",
    }
    for panel in PANELS:
        expect(page.locator(f"#{panel}-panel {content[panel]}").first).to_be_visible()
        shot = page.locator(f"#{panel}-panel").screenshot(path=tmp_path / f"{panel}.png")
        _not_blank(shot, panel)


TENT = "c2452fc4-8a27-45bd-9327-85305778bcbb"  # Booqable's party tent: stock 7, no shortage


def _booqable_order(url: str, namespace: str, starts: str, stops: str, tents: int) -> None:
    headers = {
        "Authorization": "Bearer demo-api-key",
        "Content-Type": "application/vnd.api+json",
        "X-Sandbox-Namespace": namespace,
    }
    with httpx.Client(base_url=url, headers=headers) as http:
        attributes = {"status": "reserved", "starts_at": starts, "stops_at": stops}
        order = http.post(
            "/api/boomerang/orders", json={"data": {"type": "orders", "attributes": attributes}}
        )
        assert order.status_code == 201, order.text
        items = [{"type": "products", "id": TENT, "quantity": tents}]
        booking = {"order_id": order.json()["data"]["id"], "items": items}
        r = http.post(
            "/api/boomerang/order_bookings",
            json={"data": {"type": "order_bookings", "attributes": booking}},
        )
        assert r.is_success, r.text


def test_timed_pools_chart_their_use_against_capacity(
    page: Page, sandbox_url: str, namespace: str
) -> None:
    _frozen_namespace(sandbox_url, namespace)
    _booqable_order(sandbox_url, namespace, "2025-01-30T09:00:00Z", "2025-02-01T17:00:00Z", 2)
    _booqable_order(sandbox_url, namespace, "2025-01-31T09:00:00Z", "2025-02-03T17:00:00Z", 3)
    with Korus(sandbox_url, namespace) as korus:
        assert korus.reserve(2).status_code == 200
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    inventory = page.locator("#inventory-panel")
    inventory.get_by_label("in use only").check()
    inventory.get_by_role("button", name="Show").click()
    tent = inventory.locator(f'article[data-pool="booqable:product:{TENT}"]')
    # Over the default window (the namespace's now and 7 days on): 2, then 5 of 7, then 3.
    chart = tent.locator("svg.timeline")
    expect(chart).to_have_attribute("aria-label", re.compile(r"peak 5 of 7$"))
    expect(tent.locator("tr.allocation")).to_have_count(2)
    expect(tent.locator("tr.allocation").first).to_contain_text(
        "2025-01-30 09:00:00 → 2025-02-01 17:00:00"
    )
    steps = chart.locator("path").first.get_attribute("d") or ""
    assert steps.count("M") == 5, steps  # empty, 2, 5, 3, empty: one bar per segment
    # A window the user picks, after the bookings: nothing is drawn there.
    inventory.get_by_label("From (UTC)").fill("2025-02-10T00:00:00")
    inventory.get_by_label("To (UTC)").fill("2025-02-12T00:00:00")
    inventory.get_by_role("button", name="Show").click()
    expect(tent).to_have_count(0)  # in use only: not in that window
    inventory.get_by_label("in use only").uncheck()
    inventory.get_by_role("button", name="Show").click()
    expect(chart).to_have_attribute("aria-label", re.compile(r"2025-02-10 00:00:00 .*peak 0 of 7$"))

    if os.environ.get("SANDBOX_UPDATE_SCREENSHOT"):  # the README's picture, from this run
        inventory.get_by_label("in use only").check()
        inventory.get_by_label("From (UTC)").fill("2025-01-29T07:55:53")
        inventory.get_by_label("To (UTC)").fill("2025-02-05T07:55:53")
        inventory.get_by_role("button", name="Show").click()
        expect(chart).to_be_visible()
        page.set_viewport_size({"width": 1280, "height": 1000})
        page.screenshot(path=ROOT / "docs" / "dashboard.png")


def test_state_export_reset_and_import_from_the_page(
    page: Page, sandbox_url: str, namespace: str, tmp_path: Path
) -> None:
    _frozen_namespace(sandbox_url, namespace)
    with Korus(sandbox_url, namespace) as korus:
        assert korus.reserve(3).status_code == 200
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    held = page.locator("#inventory-panel tr.allocation.held")
    page.locator("#inventory-panel").get_by_label("in use only").check()
    page.locator("#inventory-panel").get_by_role("button", name="Show").click()
    expect(held).to_have_count(1)

    with page.expect_download() as download:
        page.get_by_role("button", name="Export…").click()
    saved = tmp_path / "state.json"
    download.value.save_as(saved)
    exported: dict[str, Any] = json.loads(saved.read_text())
    assert exported["namespace"] == namespace
    assert exported["secrets"] == "masked"

    resets: list[str] = []
    page.on("request", lambda r: resets.append(r.url) if r.url.endswith("/reset") else None)
    page.get_by_role("button", name="Reset namespace…").click()
    dialog = page.get_by_role("dialog", name="Are you sure?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()  # the safe choice
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert resets == []  # nothing asked: the hold is still there, on the server too
    assert _state(sandbox_url, namespace)["inventory"]["allocations"]
    page.get_by_role("button", name="Reset namespace…").click()
    dialog.get_by_role("button", name="Yes").click()
    expect(held).to_have_count(0)
    expect(page.locator("#status")).to_have_text(f"Namespace {namespace} reset.")

    page.locator("#state-import").set_input_files(str(saved))
    expect(page.locator("#status")).to_have_text(f"Imported state.json into {namespace}.")
    expect(held).to_have_count(1)


def test_a_bad_form_is_explained_not_thrown(
    page: Page, console: Console, sandbox_url: str, namespace: str
) -> None:
    console.allow(r"status of 422 .*/_sandbox/faults'")
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    faults = page.locator("#faults-panel")
    faults.get_by_label("Value", exact=True).fill("42")  # not an error status
    faults.get_by_role("button", name="Arm").click()
    expect(page.locator("#status.error")).to_contain_text("status")
    expect(faults.locator("tbody tr[data-fault]")).to_have_count(0)


def test_keyboard_alone_moves_the_clock(page: Page, sandbox_url: str, namespace: str) -> None:
    _frozen_namespace(sandbox_url, namespace)
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    for _ in range(40):  # tab order: skip link, namespace form, nav, then the clock's buttons
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "+1 h":
            break
    else:
        pytest.fail("+1 h cannot be reached with the keyboard")
    page.keyboard.press("Enter")
    expect(page.locator("#clock-now")).to_have_text("2025-01-29 08:55:53 UTC")


@pytest.mark.parametrize("width", [1280, 390])
def test_it_fits_the_window(page: Page, sandbox_url: str, namespace: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _open(page, sandbox_url, f"/_sandbox/ui?namespace={namespace}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px of horizontal scroll at {width}px"
    clock = page.locator("#clock-panel").bounding_box()
    state = page.locator("#state-panel").bounding_box()
    assert clock
    assert state
    side_by_side = abs(clock["y"] - state["y"]) < 1
    assert side_by_side is (width >= 1000)
