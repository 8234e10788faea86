"""Secrets the journal must not show: any JSON type, any spelling, multipart parts, headers."""

from __future__ import annotations

import json

import pytest

from booking_sandbox.traffic import masking
from booking_sandbox.traffic.journal import BODY_LIMIT
from tests.korus.conftest import TOKEN
from tests.traffic.conftest import Vendors

PONT_TOKEN = "/api/v1/auth/token"
SECRET = "s3cr3t-9f2c"  # what must never show up in the journal


def _sent_json(vendors: Vendors, raw: str) -> str:
    vendors.api.post(PONT_TOKEN, content=raw, headers={"Content-Type": "application/json"})
    entries = vendors.journal()
    body: str = entries[-1]["request"]["body"]
    return body


@pytest.mark.parametrize(
    "value",
    [
        "1234567890",
        f'["{SECRET}", 42]',
        f'{{"value": "{SECRET}", "n": [1, {{"]": "}}"}}]}}',
        "true",
    ],
)
def test_a_secret_of_any_json_type_is_masked_whole(vendors: Vendors, value: str) -> None:
    raw = f'{{"client_id": "demo-partner", "client_secret": {value}, "scope": null}}'
    assert _sent_json(vendors, raw) == (
        '{"client_id": "demo-partner", "client_secret": "***", "scope": null}'
    )


@pytest.mark.parametrize(
    "name",
    [
        "client-secret",
        "clientSecret",
        "Client-Secret",
        "CLIENT_SECRET",
        "passwd",
        "private_key",
        "privateKey",
        "client_assertion",
        "x-auth-token",
        "apiSecret",
    ],
)
def test_secret_names_match_whatever_their_spelling(vendors: Vendors, name: str) -> None:
    raw = f'{{"client_id":"demo-partner","{name}":"{SECRET}","n":{{"{name}":null}}}}'
    assert _sent_json(vendors, raw) == (
        f'{{"client_id":"demo-partner","{name}":"***","n":{{"{name}":"***"}}}}'
    )
    form = f"grant_type=client_credentials&client_id=demo-client&{name}={SECRET}"
    vendors.api.post(
        TOKEN, content=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert vendors.journal()[-1]["request"]["body"] == form.replace(SECRET, "***")


def test_a_non_string_secret_cut_by_the_body_limit_stays_masked(vendors: Vendors) -> None:
    padding = "p" * (BODY_LIMIT - 60)
    raw = f'{{"client_id":"demo-partner","pad":"{padding}","client_secret":[{"1" * 100}]}}'
    body = _sent_json(vendors, raw)
    assert vendors.journal()[-1]["request"]["truncated"] is True
    assert body.endswith('"client_secret":"***"')
    assert "111" not in body


def test_multipart_parts_named_like_secrets_are_masked(vendors: Vendors) -> None:
    fields = {"grant_type": "client_credentials", "client_id": "demo-client"}
    files = {
        "client_secret": (None, SECRET),
        "Client-Secret": (None, SECRET),
        "note": ("note.json", json.dumps({"password": SECRET, "keep": "me"}), "text/plain"),
    }
    vendors.api.post(TOKEN, data=fields, files=files)
    [entry] = vendors.journal()
    body = entry["request"]["body"]
    assert entry["request"]["headers"]["content-type"].startswith("multipart/form-data")
    assert SECRET not in body
    assert body.count("\r\n\r\n***\r\n") == 2  # the parts' content, their framing kept
    assert '{"password": "***", "keep": "me"}' in body  # a file part is masked as a body
    assert "demo-client" in body


def test_a_multipart_body_cut_inside_a_secret_part_does_not_leak(vendors: Vendors) -> None:
    padding = "p" * (BODY_LIMIT - 300)
    files = {"pad": (None, padding), "client_secret": (None, SECRET * 100)}
    vendors.api.post(TOKEN, data={"grant_type": "client_credentials"}, files=files)
    [entry] = vendors.journal()
    assert entry["request"]["truncated"] is True
    assert SECRET[:4] not in entry["request"]["body"]
    assert entry["request"]["body"].endswith("\r\n\r\n***")


@pytest.mark.parametrize(
    "name",
    [
        "X-Auth-Token",
        "X-Access-Token",
        "X-Api-Token",
        "X-CSRF-Token",
        "X-Amz-Security-Token",
        "X-Api-Key",
        "X-Client-Secret",
        "Private-Key",
    ],
)
def test_credential_headers_are_masked(vendors: Vendors, name: str) -> None:
    extra = {name: SECRET, "Idempotency-Key": "idem-1", "X-Request-Id": "req-1"}
    vendors.booqable.get("/products", headers=extra)
    [entry] = vendors.journal()
    headers = entry["request"]["headers"]
    assert headers[name.lower()] == "***"
    assert (headers["idempotency-key"], headers["x-request-id"]) == ("idem-1", "req-1")
    assert SECRET not in json.dumps(entry)


# ----- the masking functions themselves ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ('{"token": 5, "a": 1}', '{"token": "***", "a": 1}'),
        ('{"token":false}', '{"token":"***"}'),
        ('{"a":"token","b":["token",{"key":{}}]}', '{"a":"token","b":["token",{"key":"***"}]}'),
        ('{"note":"x\\"token\\":1","ok":1}', '{"note":"x\\"token\\":1","ok":1}'),  # in a string
        ('{"client\\u005fsecret":[1]}', '{"client\\u005fsecret":"***"}'),
        ('{"token":{"a":[1,"}"', '{"token":"***"'),  # cut: masked to the end
        ('{"token": 12', '{"token": "***"'),
        ('{"token":"ab\\', '{"token":"***"'),
        ('{"token":', '{"token":'),  # nothing to mask yet
        ('[{"key" : "v"}]', '[{"key" : "***"}]'),
        ('\ufeff{"a":"b=c","token":1}', '\ufeff{"a":"b=c","token":"***"}'),
    ],
)
def test_json_masking(text: str, masked: str) -> None:
    assert masking.body(text) == masked


def test_multipart_masking_without_a_content_type() -> None:
    text = (
        "--b0\r\nContent-Disposition: form-data; name*=utf-8''pass%77d\r\n\r\nx\r\n"
        '--b0\r\nContent-Disposition: form-data; filename="name=token"; name="a"\r\n\r\ny\r\n'
        "--b0--\r\nepilogue"
    )
    assert masking.body(text) == text.replace("\r\n\r\nx", "\r\n\r\n***")


def test_a_multipart_body_cut_in_a_parts_headers_shows_no_content() -> None:
    text = '--b0\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--b0\r\nContent-Disp'
    assert masking.body(text, "multipart/form-data; boundary=b0") == text


@pytest.mark.parametrize(
    "hostile",
    [
        '"' * 200_000,
        "{" + '"key":' * 40_000,
        '{"key":' + "[" * 200_000,
        '{"key":[' + '"a",' * 50_000,
        '"a"' + " " * 200_000 + "x",
        "--b\r\n" + '--b\r\nContent-Disposition: form-data; name="key"\r\n\r\nv\r\n' * 4000,
        '--b\r\nContent-Disposition: form-data; name="aa ' * 20_000,
    ],
)
def test_masking_stays_linear_on_hostile_bodies(hostile: str) -> None:
    # A quadratic scan would not finish here; a linear one takes milliseconds.
    masked = masking.body(hostile)
    assert masked == hostile or "***" in masked


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("authorization", True),
        ("x-auth-token", True),
        ("x-xsrf-token", True),
        ("cookie", True),
        ("idempotency-key", False),
        ("x-sandbox-fault", False),
        ("content-type", False),
    ],
)
def test_secret_headers(name: str, secret: bool) -> None:
    assert masking.is_secret_header(name) is secret


def test_a_form_is_masked_as_a_form_whatever_it_starts_with() -> None:
    # Keycloak reads `{=1&client_secret=abc` as a form with a client_secret: so does masking.
    form = "application/x-www-form-urlencoded; charset=utf-8"
    assert masking.body("{=1&client_secret=abc", form) == "{=1&client_secret=***"
    assert masking.body('["x"]&password=p', form) == '["x"]&password=***'
