"""Photos (DOCS-HEAD `_photos.md`): `GET /photos` and `/photos/{id}` (`include=owner`),
from the fixtures' `photos` (none by default: an empty list).

A fixture photo names its owner (a product group or a bundle) and a `photo_url`; the sandbox
stores no image, so `original_url`, `large_url`, `xlarge_url` and `photo.url` are that URL,
`preview`, `width` and `height` null. The owner's `photo_id`/`photo_url` follow
(catalog_extras.py). Written through photo_writes.py.
"""

from __future__ import annotations

from booking_sandbox.vendors.booqable.catalog_extras import PHOTO_OWNERS
from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Ref,
    Rel,
    Resource,
    Store,
    owned,
    register,
)

KIND = "photos"


def owner(store: Store, record: AnyRecord) -> list[Ref]:
    kind = record.get("owner_type")
    if not isinstance(kind, str):
        return []
    found = store.find(kind, record.get("owner_id"))
    return [(kind, found)] if found is not None else []


def photos_of(owner_type: str) -> Rel:
    """An owner's `photos` (DOCS-HEAD; the 2022 docs had none: written when included)."""

    def resolve(store: Store, record: AnyRecord) -> list[Ref]:
        return [
            (KIND, p)
            for p in store.children(KIND, "owner_id", record["id"])
            if p["owner_type"] == owner_type
        ]

    return Rel(KIND, True, (KIND,), resolve, listed=False, related=owned(KIND, owner_type))


# The docs' example order.
_ATTRIBUTES = (
    "created_at", "updated_at", "original_url", "large_url", "xlarge_url", "coordinates",
    "alt_text", "preview", "position", "width", "height", "photo", "owner_id", "owner_type",
)  # fmt: skip

PHOTOS = Resource(
    KIND,
    _ATTRIBUTES,
    (Rel("owner", False, PHOTO_OWNERS, owner, related="{owner_type}/{owner_id}"),),
    {
        "id": "uuid",
        "created_at": "datetime",
        "updated_at": "datetime",
        "owner_id": "uuid",
        "owner_type": "enum",
    },
)
register(PHOTOS)
