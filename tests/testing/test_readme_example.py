"""The README's pytest example, verbatim but for `httpx2` (the test extra) instead of `httpx`."""

import re
from pathlib import Path

import httpx2 as httpx

from booking_sandbox.testing import SandboxClient

TOKEN_PATH = "/realms/korusticket/protocol/openid-connect/token"


def korus_token(base_url: str, headers: dict[str, str], attempts: int = 3) -> str:
    """The system under test: fetch a Korus access token, retrying when Korus answers 5xx."""
    form = {
        "grant_type": "client_credentials",
        "client_id": "demo-client",
        "client_secret": "demo-secret",
    }
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as http:
        for _ in range(attempts):
            response = http.post(TOKEN_PATH, data=form)
            if response.status_code < 500:
                break
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token


def test_token_survives_one_korus_outage(booking_sandbox: SandboxClient) -> None:
    # Korus answers the next token request with a 503, then recovers.
    booking_sandbox.faults.add(status=503, vendor="korus", path=TOKEN_PATH, times=1)

    # The headers put the system under test's requests into this test's namespace.
    token = korus_token(booking_sandbox.url, headers=booking_sandbox.headers)

    assert token
    assert booking_sandbox.count(vendor="korus", status=503) == 1  # the outage was hit...
    assert booking_sandbox.count(vendor="korus", path=TOKEN_PATH) == 2  # ...and retried once


def test_the_readme_shows_this_code() -> None:
    # What readers copy is what runs here: the README's block, `httpx` aside, is in this file.
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    blocks = re.findall(
        r"^```python\n# test_korus_retry.py\n(.*?)^```$", readme, flags=re.MULTILINE | re.DOTALL
    )
    assert len(blocks) == 1, "the README's pytest example (test_korus_retry.py) is missing"
    shown = blocks[0].replace("import httpx\n", "import httpx2 as httpx\n", 1)
    assert shown in Path(__file__).read_text("utf-8")
