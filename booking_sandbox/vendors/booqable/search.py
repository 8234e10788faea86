"""Advanced search: `POST /{resource}/search` (reference §3.6, §4.1 Search).

The body carries what a list takes in its query string (`filter`, with its `conditions` tree,
`fields`, `include`, `sort`, `page`, `stats`/`meta`); the query string, when it has the same
parameter, wins (filters of both apply). The answer is the list's. Every documented example
asks `fields[<type>]=id` and is answered with bare `{"id": …}` objects and no `meta`
(DOCS-2024 and DOCS-HEAD alike): that exact request gets that exact shape; `meta` is added
only when stats were asked for.
"""

from __future__ import annotations

from starlette.responses import Response

from booking_sandbox.vendors.booqable import listing
from booking_sandbox.vendors.booqable import query as graphiti
from booking_sandbox.vendors.booqable.http import Call, Handler
from booking_sandbox.vendors.booqable.http import _query as query_string
from booking_sandbox.vendors.booqable.jsonapi import REGISTRY, Record, document
from booking_sandbox.vendors.booqable.wire import respond

# The documented searches (§3.6) whose lists are generic (views.listed); `items` has its own
# listing (items.py), `documents` no list in the sandbox.
SEARCHABLE = ("orders", "customers", "product_groups", "products", "bundles", "plannings")


def searched(kind: str) -> Handler:
    async def handler(call: Call) -> Response:
        resource = REGISTRY[kind]
        query = graphiti.parse(query_string(call.request), call.body, search=True)
        query.era, query.links = call.query.era, call.query.links
        records = listing.select(call.store, resource, call.store.all(kind), query)
        meta = listing.stats(resource, records, query)
        page = listing.page(records, query)
        if query.fields.get(kind) == ["id"] and not query.include:
            found: Record = {"data": [{"id": record["id"]} for record in page]}
            if meta is not None:
                found["meta"] = meta
            return respond(found)
        return respond(document(call.store, resource, page, query, meta))

    return handler
