"""Photos: create, update and delete (DOCS-HEAD `_photos.md`), in the namespace's catalog
document (its `photos`, as the fixtures hold them).

The sandbox stores no image (photos.py): a photo is its URL. `remote_photo_url` is stored as
given; `photo_base64` (plain base64 or a `data:` URL, as the docs' example sends) must decode,
and the photo's URL becomes `http://sandbox.booqable.localhost/photos/<id>/original`;
`original_filename` and `photo` are accepted and not stored. The owner's `photo_id` and
`photo_url` follow (catalog_extras.py): its first photo by position unless it chose another.

Choices where the docs are silent (docs/vendors/booqable.md):
- A new photo needs an owner of its `owner_type` (422 `owner must exist`) and an image
  (422 `photo can't be blank`; undecodable base64: 422 `photo is invalid`); `position`
  defaults to after the owner's last photo, `coordinates` to `{"x": 0, "y": 0}` (the docs'
  create example). `coordinates` is a hash of `x` and `y` numbers (else 422 invalid).
- `owner_id`/`owner_type` are `readonly-after-create`: another value is a 400.
- DELETE removes the photo (200 with it as it stood); an owner or product that chose it as
  its `photo_id` falls back to its first remaining photo, or none.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import catalog_writes as cw
from booking_sandbox.vendors.booqable.catalog_extras import PHOTO_OWNERS
from booking_sandbox.vendors.booqable.errors import not_found, unwritable_attribute
from booking_sandbox.vendors.booqable.http import Call
from booking_sandbox.vendors.booqable.jsonapi import check_includes, document
from booking_sandbox.vendors.booqable.photos import PHOTOS
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON, respond, timestamp

Record = dict[str, Any]
KIND = "photos"
UPLOADED = "http://sandbox.booqable.localhost/photos/{id}/original"
WRITABLE = {
    "alt_text": "string?",
    "coordinates": "hash",
    "original_filename": "string?",
    "owner_id": "uuid",
    "owner_type": "enum",
    "photo": "hash?",
    "photo_base64": "string?",
    "position": "integer",
    "remote_photo_url": "string?",
}
_DATA_URL = re.compile(r"^data:[\w/+.-]*;base64,")


async def create(call: Call) -> Response:
    check_includes(PHOTOS, call.query.include)
    values = attributes_of(call, KIND, WRITABLE)
    doc = cw.document(call.store)
    now = timestamp(call.now)
    ident = call.space.ids.uuid4()
    photo: Record = {"id": ident, "created_at": now, "updated_at": now}
    kind, owner_id = values.get("owner_type"), values.get("owner_id")
    photo.update(owner_id=owner_id, owner_type=kind)
    problems = cw.check(kind in PHOTO_OWNERS, ("owner_type", *cw.NOT_LISTED))
    if not problems and not any(o["id"] == owner_id for o in _owners(doc, str(kind))):
        problems.append(("owner", *cw.MISSING))
    url, found = _url(values, ident)
    problems += found + cw.check(url is not None or found != [], ("photo", *cw.BLANK))
    problems += _coordinates(values)
    cw.raise_problems(problems)
    siblings = [p["position"] for p in call.store.children(KIND, "owner_id", owner_id)]
    photo.update(
        photo_url=url,
        position=values.get("position", max(siblings, default=0) + 1),
        alt_text=values.get("alt_text"),
        coordinates=values.get("coordinates", {"x": 0, "y": 0}),
    )
    doc.setdefault(KIND, []).append(photo)
    cw.commit(call.store)
    return _answer(call, ident, 201)


async def update(call: Call) -> Response:
    current = _photo(cw.document(call.store), call.path_id)
    check_includes(PHOTOS, call.query.include)
    values = attributes_of(call, KIND, WRITABLE)
    for name in ("owner_id", "owner_type"):
        if values.get(name, current[name]) != current[name]:
            raise unwritable_attribute(f"data.attributes.{name}")
    url, problems = _url(values, current["id"])
    cw.raise_problems(problems + _coordinates(values))
    changes: Record = {k: values[k] for k in ("position", "alt_text", "coordinates") if k in values}
    current.update(changes, updated_at=timestamp(call.now))
    if url is not None:
        current["photo_url"] = url
    cw.commit(call.store)
    return _answer(call, current["id"])


async def delete(call: Call) -> Response:
    doc = cw.document(call.store)
    current = _photo(doc, call.path_id)
    check_includes(PHOTOS, call.query.include)
    shown = call.store.find(KIND, current["id"])
    assert shown is not None
    body = document(call.store, PHOTOS, shown, call.query)
    doc[KIND] = [p for p in doc[KIND] if p is not current]
    # A choice naming it would no longer import: the owner falls back to its first photo.
    chooser = [*doc.get("product_groups", []), *doc.get("bundles", [])]
    chooser += [p for g in doc.get("product_groups", []) for p in g.get("products", [])]
    for record in chooser:
        if record.get("photo_id") == current["id"]:
            record["photo_id"] = None
    cw.commit(call.store)
    return respond(body, 200, PLAIN_JSON)


def _url(values: Record, ident: str) -> tuple[str | None, list[cw.Problem]]:
    """The image's URL the request gives (None: it gives none), or why it is refused."""
    values.pop("original_filename", None)
    values.pop("photo", None)
    remote, encoded = values.get("remote_photo_url"), values.get("photo_base64")
    if encoded is not None:
        try:
            base64.b64decode(_DATA_URL.sub("", encoded.strip()), validate=True)
        except (binascii.Error, ValueError):
            return None, [("photo", *cw.INVALID)]
        return UPLOADED.format(id=ident), []
    if remote is not None:
        return (remote, []) if remote.strip() else (None, [("photo", *cw.INVALID)])
    return None, []


def _coordinates(values: Record) -> list[cw.Problem]:
    found = values.get("coordinates")
    if found is None:
        return []
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in found.values())
    return cw.check(set(found) <= {"x", "y"} and numbers, ("coordinates", *cw.INVALID))


def _owners(doc: Record, kind: str) -> list[Record]:
    found: list[Record] = doc.get(kind, [])
    return found


def _photo(doc: Record, ident: Any) -> Record:
    found: Record | None = next((p for p in doc.get(KIND, []) if p["id"] == ident), None)
    if found is None:
        raise not_found()
    return found


def _answer(call: Call, ident: str, status: int = 200) -> Response:
    record = call.store.find(KIND, ident)
    assert record is not None
    return respond(document(call.store, PHOTOS, record, call.query), status)
