"""The API documentation pages in a real browser: Swagger UI renders offline under the CSP,
and "Try it out" reaches this sandbox, with the control token when one is set."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, Request, expect

from booking_sandbox.testing.live import LiveServer
from tests.browser.conftest import START, Console

TOKEN = "docs-control-token"
TOKEN_KEY = "booking-sandbox.control-token"  # where the dashboard keeps it (sessionStorage)
DOCUMENTS = {
    "control": "booking-sandbox control plane",
    "korus": "Korus Ticket API",
    "pontcentral": "Pont Central partner API",
    "booqable": "Booqable Boomerang API",
}


@pytest.fixture(scope="module")
def locked_url() -> Iterator[str]:
    server = LiveServer("--control-token", TOKEN, "--start-time", START)
    try:
        server.wait_healthy()
        yield server.url
    finally:
        server.stop()


def operation(page: Page, method: str, path: str) -> Locator:
    """One operation's block, opened, with "Try it out" pressed."""
    block = page.locator(f".opblock-{method.lower()}").filter(
        has=page.locator(f'.opblock-summary-path[data-path="{path}"]')
    )
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    return block


def execute(block: Locator) -> str:
    """Press Execute; the status shown, once it is, and the response body shown."""
    block.get_by_role("button", name="Execute").click()
    status = block.locator(".live-responses-table tbody tr.response .response-col_status")
    expect(status).to_have_text("200")
    return block.locator(".live-responses-table .response-col_description pre").first.inner_text()


def authorize(page: Page, token: str) -> None:
    """The Authorize button: the document's bearer scheme, given `token`."""
    page.locator(".auth-wrapper .btn.authorize").click()
    dialog = page.locator(".dialog-ux")
    dialog.get_by_label("auth-bearer-value").fill(token)
    dialog.get_by_role("button", name="Apply credentials").click()
    dialog.get_by_role("button", name="Close").click()


def keep_token(page: Page, token: str) -> None:
    """The token where the dashboard leaves it, before any script of the page runs."""
    page.add_init_script(
        f"""try {{
          if (location.protocol.startsWith("http")) {{
            sessionStorage.setItem({json.dumps(TOKEN_KEY)}, {json.dumps(token)});
          }}
        }} catch (e) {{}}"""
    )


def test_the_index_lists_the_four_documents(page: Page, sandbox_url: str) -> None:
    page.goto(f"{sandbox_url}/_sandbox/docs")
    items = page.locator("ul.documents > li")
    expect(items).to_have_count(len(DOCUMENTS))
    for name, title in DOCUMENTS.items():
        item = items.filter(has_text=title)
        expect(item.get_by_role("link", name=title)).to_have_attribute(
            "href", f"/_sandbox/docs/{name}"
        )
        expect(item.get_by_role("link", name="Raw JSON")).to_have_attribute(
            "href", f"/_sandbox/docs/{name}.json"
        )
    items.first.get_by_role("link", name=DOCUMENTS["control"]).click()
    expect(page.locator(".opblock").first).to_be_visible()


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_every_document_renders(page: Page, sandbox_url: str, name: str) -> None:
    page.goto(f"{sandbox_url}/_sandbox/docs/{name}")
    expect(page.locator(".info .title")).to_contain_text(DOCUMENTS[name])
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page).to_have_title(re.compile(re.escape(DOCUMENTS[name])))  # set by docs.js


def test_the_control_page_executes_against_the_sandbox(page: Page, sandbox_url: str) -> None:
    page.goto(f"{sandbox_url}/_sandbox/docs/control")
    body = execute(operation(page, "GET", "/_sandbox/clock"))
    assert '"now"' in body


def test_writes_start_from_harmless_examples(page: Page, sandbox_url: str, namespace: str) -> None:
    # Not Swagger UI's sample of the schema (`"all": true` would reset every namespace).
    page.goto(f"{sandbox_url}/_sandbox/docs/control")
    reset = operation(page, "POST", "/_sandbox/reset")
    expect(reset.locator("textarea.body-param__text")).to_have_value("{}")
    reset.locator('tr[data-param-name="X-Sandbox-Namespace"] input').fill(namespace)
    assert json.loads(execute(reset)) == {"reset": [namespace]}  # a same-site write: allowed
    advance = operation(page, "POST", "/_sandbox/clock/advance")
    expect(advance.locator("textarea.body-param__text")).to_have_value('{\n  "seconds": 60\n}')


def test_a_vendor_page_gets_a_token_and_authorizes_with_it(page: Page, sandbox_url: str) -> None:
    page.goto(f"{sandbox_url}/_sandbox/docs/pontcentral")
    token_call = operation(page, "POST", "/api/v1/auth/token")
    token_call.locator("textarea.body-param__text").fill(
        json.dumps({"client_id": "demo-partner", "client_secret": "demo-secret"})
    )
    token = json.loads(execute(token_call))["data"]["access_token"]
    assert token.startswith("pcpa_")
    authorize(page, token)
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if "/api/v1/products" in r.url else None)
    body = execute(operation(page, "GET", "/api/v1/products"))
    assert json.loads(body)["success"] is True
    assert [r.headers.get("authorization") for r in sent] == [f"Bearer {token}"]


def test_korus_keycloak_token_form_then_authorize(page: Page, sandbox_url: str) -> None:
    page.goto(f"{sandbox_url}/_sandbox/docs/korus")
    token_call = operation(page, "POST", "/realms/korusticket/protocol/openid-connect/token")
    fields = {"client_id": "demo-client", "client_secret": "demo-secret", "refresh_token": ""}
    for field, value in fields.items():
        token_call.locator(f'tr[data-property-name="{field}"] input[type=text]').fill(value)
    token = json.loads(execute(token_call))["access_token"]
    authorize(page, token)
    body = execute(operation(page, "GET", "/v1/ticketing/catalogs"))
    assert json.loads(body)["@type"] == "Collection"


def test_booqable_api_key_through_authorize(page: Page, sandbox_url: str) -> None:
    page.goto(f"{sandbox_url}/_sandbox/docs/booqable")
    authorize(page, "demo-api-key")
    # As they come: the served copy starts `fields` and `filter` empty (no 400 on a sample).
    listing = operation(page, "GET", "/api/boomerang/products")
    expect(listing.locator('tr[data-param-name="filter"] textarea')).to_have_value("{}")
    assert json.loads(execute(listing))["data"]


def test_with_a_control_token_kept_the_control_page_loads_and_executes(
    page: Page, locked_url: str
) -> None:
    keep_token(page, TOKEN)
    page.goto(f"{locked_url}/_sandbox/docs/control")
    body = execute(operation(page, "GET", "/_sandbox/clock"))
    assert '"now"' in body


def test_the_control_token_never_goes_to_a_vendor(page: Page, locked_url: str) -> None:
    keep_token(page, TOKEN)
    sent: list[Request] = []
    page.on("request", lambda r: sent.append(r) if "/api/v1/" in r.url else None)
    page.goto(f"{locked_url}/_sandbox/docs/pontcentral")  # its JSON needs the token too
    token_call = operation(page, "POST", "/api/v1/auth/token")
    token_call.locator("textarea.body-param__text").fill(
        json.dumps({"client_id": "demo-partner", "client_secret": "demo-secret"})
    )
    execute(token_call)
    assert [r.headers.get("authorization") for r in sent] == [None]


def test_without_a_token_the_page_asks_for_it_once_and_keeps_it(
    page: Page, console: Console, locked_url: str
) -> None:
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept(TOKEN)

    page.on("dialog", answer)
    page.goto(f"{locked_url}/_sandbox/docs/control")
    expect(page.locator(".opblock").first).to_be_visible()
    assert len(asked) == 1, asked
    assert "control token" in asked[0]
    assert page.evaluate(f"sessionStorage.getItem({json.dumps(TOKEN_KEY)})") == TOKEN
    body = execute(operation(page, "GET", "/_sandbox/clock"))
    assert '"now"' in body
    # The one 401 that made it ask is the browser's own line in the console; nothing else.
    refused = [e for e in console.errors if "status of 401" in e and "control.json" in e]
    assert len(refused) == 1, console.errors
    console.errors.remove(refused[0])


def test_a_rendered_page_is_not_blank(page: Page, sandbox_url: str, tmp_path: Path) -> None:
    # Pixels, without Pillow: a PNG compresses a blank page to almost nothing, so the page's
    # screenshot is compared with an empty page's of the same size, taken the same way.
    page.goto("about:blank")
    blank = page.screenshot(path=tmp_path / "blank.png")
    page.goto(f"{sandbox_url}/_sandbox/docs/booqable")
    expect(page.locator(".opblock").first).to_be_visible()
    shot = page.screenshot(path=tmp_path / "booqable.png")
    assert (tmp_path / "booqable.png").stat().st_size == len(shot)
    assert len(shot) > 10 * len(blank), (len(shot), len(blank))
