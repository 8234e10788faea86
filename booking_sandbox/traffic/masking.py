"""Secrets never reach the journal: credentials in headers, queries and bodies.

Masking works on the text by field name (JSON members, url-encoded fields, multipart parts,
signed-URL parameters), names decoded first (`client%5Fsecret`, `"client\\u005fsecret"`) and
compared without case, `-` or `_` (`Client-Secret` is `client_secret`), so the rest of what the
client sent stays byte for byte. Every scan is linear: bodies come from clients. Bodies may be
cut at the journal's limit: a secret cut short is masked to the end.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, unquote_plus

MASK = "***"
# Compared normalised (see `_norm`): `client_secret`, `client-secret` and `clientSecret` alike.
SECRET_NAMES = frozenset(
    {
        *("clientsecret", "secret", "apisecret", "secretkey", "secretaccesskey"),
        *("password", "passwd", "passphrase", "privatekey"),
        *("clientassertion", "assertion", "codeverifier"),
        *("accesstoken", "refreshtoken", "idtoken", "token", "sessiontoken"),
        *("authtoken", "apitoken", "csrftoken", "xsrftoken"),
        *("apikey", "key", "signature", "xamzsignature"),
    }
)
_HEADERS = frozenset({"authorization", "proxyauthorization", "cookie", "setcookie"})
# Header names ending so are credentials whatever their prefix (X-Amz-Security-Token, ...).
_HEADER_ENDINGS = ("token", "secret", "password", "apikey", "signature")
# Signed URLs inside answers (Korus's temporaryUrl): the signature is a credential.
_URL_SIGNATURE = re.compile(r"([?&](?:Signature|X-Amz-Signature)=)[^&\"\s\\]*")
# A JSON string (one cut at the end of a capped body counts), then perhaps the `:` of a member.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)'
_NAME = re.compile(rf"({_STRING})(\s*:\s*)?", re.S)
_NESTED = re.compile(rf"{_STRING}|[\[\]{{}}]", re.S)
_SCALAR = re.compile(r"[^\s,\]}]*")
_BOUNDARY = re.compile(r"--([0-9A-Za-z'()+_,./:=?-]{1,70})[ \t]*\r?\n")
_PART_NAME = re.compile(r'\bname(\*?)\s*=\s*("(?:[^"\\\r\n]|\\.)*"|[^;\r\n]*)', re.I)


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "").replace("_", "")


def is_secret(name: str) -> bool:
    key = _norm(name)
    # X-Api-Key, x_auth_token: a secret name behind the `x-` of a custom header's name.
    custom = name.strip()[1:2] in ("-", "_") and name.strip()[:1] in ("x", "X")
    return key in SECRET_NAMES or (custom and key[1:] in SECRET_NAMES)


def is_secret_header(name: str) -> bool:
    key = _norm(name)
    return key in _HEADERS or key.endswith(_HEADER_ENDINGS) or is_secret(name)


def header(name: str, value: str) -> str:
    if not is_secret_header(name):
        return value
    scheme, space, _ = value.partition(" ")
    # Keep the scheme: "was it Bearer or Basic?" is a fair question for a test to ask.
    return f"{scheme} {MASK}" if space and name.lower().endswith("authorization") else MASK


def form(text: str) -> str:
    """`a=1&client_secret=x` -> `a=1&client_secret=***` (also a query string)."""
    parts = text.split("&")
    for i, part in enumerate(parts):
        name, equals, _ = part.partition("=")
        if equals and is_secret(unquote_plus(name)):
            parts[i] = f"{name}={MASK}"
    return "&".join(parts)


def _json_name(token: str) -> str:
    raw = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
    if "\\" not in raw:
        return raw
    try:
        name = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return name if isinstance(name, str) else raw


def _value_end(text: str, start: int) -> int:
    """Where the JSON value at `start` ends; the end of the text if it was cut short."""
    if start >= len(text):
        return start
    if text[start] == '"':
        found = _NAME.match(text, start)
        return found.end(1) if found else len(text)
    if text[start] not in "[{":
        found = _SCALAR.match(text, start)
        return found.end() if found else start
    depth, position = 0, start
    while (found := _NESTED.search(text, position)) is not None:
        position = found.end()
        token = found[0]
        if token in ("[", "{"):
            depth += 1
        elif token in ("]", "}"):
            depth -= 1
            if depth == 0:
                return position
    return len(text)


def json_text(text: str) -> str:
    """Secret members' values, whatever their type, become `"***"`; one pass over the text."""
    pieces: list[str] = []
    kept = position = 0  # text[kept:] is not copied yet; scan on from `position`
    while (found := _NAME.search(text, position)) is not None:
        position = found.end()
        if found[2] is None or not is_secret(_json_name(found[1])):
            continue  # a value, or a member whose value may hold secret members: read on
        end = _value_end(text, position)
        if end > position:
            pieces += (text[kept:position], f'"{MASK}"')
            kept = position = end
    return "".join((*pieces, text[kept:])) if pieces else text


def boundary_of(content_type: str | None, text: str) -> str | None:
    """The multipart boundary: the Content-Type's, else the body's first line."""
    if content_type and content_type.lower().lstrip().startswith("multipart/"):
        for param in content_type.split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "boundary" and value.strip().strip('"'):
                return value.strip().strip('"')
    found = _BOUNDARY.match(text)
    return found[1] if found else None


def multipart(text: str, boundary: str) -> str:
    """A secret-named part's content becomes `***`; the other parts are masked as bodies."""
    chunks = text.split(f"--{boundary}")
    for i in range(1, len(chunks)):  # chunks[0] is the preamble
        chunk = chunks[i]
        if chunk.startswith("--"):
            break  # the closing delimiter: what follows is the epilogue
        head_end = chunk.find("\r\n\r\n")
        gap = 4
        if head_end < 0:
            head_end, gap = chunk.find("\n\n"), 2
        if head_end < 0:
            continue  # cut inside the part's headers: no content to show
        start = head_end + gap
        end = len(chunk)
        if i < len(chunks) - 1:  # else no delimiter follows: the body was cut in this part
            end -= 2 if chunk.endswith("\r\n") else 1 if chunk.endswith("\n") else 0
        content = MASK if _secret_part(chunk[:head_end]) else body(chunk[start:end], nested=True)
        chunks[i] = f"{chunk[:start]}{content}{chunk[end:]}"
    return f"--{boundary}".join(chunks)


def _secret_part(head: str) -> bool:
    for line in head.splitlines():
        key, colon, params = line.partition(":")
        if not colon or key.strip().lower() != "content-disposition":
            continue
        found = _PART_NAME.search(params)
        if found is None:
            return False
        value = found[2].strip()
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1] if value.endswith('"') else value[1:])
        if found[1]:  # RFC 5987: charset'language'percent-encoded
            value = unquote(value.rpartition("'")[2])
        return is_secret(value)
    return False


def body(text: str, content_type: str | None = None, *, nested: bool = False) -> str:
    text = _URL_SIGNATURE.sub(rf"\1{MASK}", text)
    boundary = None if nested else boundary_of(content_type, text)
    if boundary is not None and f"--{boundary}" in text:
        return multipart(text, boundary)
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media == "application/x-www-form-urlencoded":  # whatever it looks like: a server reads
        return form(text)  # it as a form (`{=1&client_secret=x` is a client_secret)
    if text.lstrip(" \t\r\n\ufeff")[:1] in ("{", "["):  # (a byte-order mark too)
        return json_text(text)
    return form(text) if "=" in text else json_text(text)
