"""Catalog browsing: GET /v1/ticketing/catalogs and .../{catalogId}/product_bases."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.korus import hydra
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.wire import KorusError, respond

CATALOGS = "/v1/ticketing/catalogs"


async def list_catalogs(call: Call) -> Response:
    page = hydra.page_of(call.request)
    mine = sorted(call.catalog.catalogs_of(call.organization), key=lambda c: c["createdAt"])
    if hydra.descending(call.request, "createdAt"):
        mine.reverse()
    members = [
        {
            "@id": f"{CATALOGS}/{c['id']}",
            "@type": "TicketingCatalog",
            "id": c["id"],
            "createdAt": c["createdAt"],
            "name": c["name"],
        }
        for c in page.slice(mine)
    ]
    document = hydra.collection(
        call.request, "TicketingCatalog", members, len(mine), page, hydra.search(CATALOGS)
    )
    return respond(document, base_url=call.base_url)


async def list_product_bases(call: Call) -> Response:
    catalog_id = call.request.path_params["catalogId"]
    catalog = call.catalog.own_catalog(call.organization, catalog_id)
    page = hydra.page_of(call.request)
    with_disabled = _boolean(call.request.query_params.get("withDisabled"))
    bases = [b for b in catalog["productBases"] if with_disabled or not b["disabled"]]
    path = f"{CATALOGS}/{catalog_id}/product_bases"
    members = [
        {
            "@id": f"{path}/{b['id']}",
            "@type": "TicketingProductBase",
            "id": b["id"],
            "name": b["name"],
            "disabled": b["disabled"],
        }
        for b in page.slice(bases)
    ]
    document = hydra.collection(
        call.request, "TicketingProductBase", members, len(bases), page, hydra.search(path)
    )
    return respond(document, base_url=call.base_url)


def _boolean(value: Any) -> bool:
    """API Platform's BooleanFilter reading: true/1 and false/0; anything else is a 400."""
    if value is None:
        return False
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise KorusError(400, 'Query parameter "withDisabled" must be one of "true", "false", "1", "0"')
