"""GET /api/v1/products and /api/v1/products/{productCode}: the partner's active products."""

from __future__ import annotations

from starlette.responses import Response

from booking_sandbox.vendors.pontcentral import views
from booking_sandbox.vendors.pontcentral.catalog import PontCatalog, Record
from booking_sandbox.vendors.pontcentral.http import Call, query_params
from booking_sandbox.vendors.pontcentral.validation import Vine
from booking_sandbox.vendors.pontcentral.wire import PontError, respond


async def list_products(call: Call) -> Response:
    query = query_params(call.request, Vine())
    mine = call.catalog.listed.get(call.partner["id"], [])
    shown, pagination = views.paged(mine, query["page"], query["limit"])
    return respond(
        {
            "success": True,
            "products": [views.product(p) for p in shown],
            "pagination": pagination,
        }
    )


async def get_product(call: Call) -> Response:
    code = call.request.path_params["productCode"]
    item = own_product(call.catalog, call.partner, code)
    return respond({"success": True, "product": views.product_detail(call.catalog, item)})


async def missing_code(call: Call) -> Response:
    """`GET /products/` (empty code): the product-detail page's 400 row, word for word."""
    raise PontError(400, "INVALID_REQUEST", "Missing product code")


def own_product(catalog: PontCatalog, partner: Record, code: str) -> Record:
    """Another partner's product, or an inactive one, is not found (reference §2)."""
    item = catalog.products.get(code)
    if item is None or item["partnerId"] != partner["id"] or not item["active"]:
        raise PontError(404, "NOT_FOUND", f"Product {code} not found")
    return item
