"""Product-base option values (reference §4.2) and the offers' `optionValuesContext[]` filter.

`GET /v1/ticketing/catalogs/{catalogId}/product_bases/{productBaseId}/options/{code}/values`
lists the values one option (`seating_category`, `zone`, `price_type`, `days_count`) takes on a
product base. The reference documents the path, the code enum and pagination, not the members;
the sandbox's choices (docs/vendors/korus.md):
- A member is `{@id, @type: TicketingProductBaseOptionValue, id, code, name}`: `code` is the
  machine value products carry (`"adulte"`), `name` its label, localized by Accept-Language.
  Its `@id` is the collection's path plus `/{id}`; no item operation is documented, so GET on it
  is a 404 (API Platform's NotExposed operation answers 404 too).
- A base's values of an option are the ones its fixture entry declares (`options[]`, in that
  order); an option it does not declare takes the distinct values its products carry
  (`products[].optionValues`), in fixture order, with a version-5 UUID derived from them.
- Unknown base, a code outside the enum, or an option the base has neither declared nor used:
  404 "Not Found", as the other catalog reads.

`optionValuesContext[]` takes option value ids or IRIs (what the collection above lists) and
keeps the offers whose product has, for every option named, one of the chosen values: values
of one option are alternatives (OR), options combine (AND). An unknown value matches no product;
empty values are ignored.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.responses import Response

from booking_sandbox.vendors.korus import hydra
from booking_sandbox.vendors.korus import offer_views as views
from booking_sandbox.vendors.korus.catalog import SECTION
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.offer_views import CatalogIndex, Record, Texts
from booking_sandbox.vendors.korus.wire import not_found, respond

CODES = ("seating_category", "zone", "price_type", "days_count")
CONTEXT = "TicketingProductBaseOptionValue"
FILTER = "optionValuesContext[]"
_FILTER_KEY = re.compile(r"optionValuesContext(\[[^\]]*\])?")
_CACHE = "korus.options:"  # + catalog id, in the namespace's `derived` indexes
_DERIVED = uuid.UUID("6f1c2e6a-7b0d-5c43-9a8e-0d2b4f6a8c10")  # namespace of derived value ids


@dataclass(frozen=True)
class OptionValue:
    id: str
    base: str
    option: str  # the option's code, e.g. price_type
    code: str  # the value products carry, e.g. adulte
    name: Any  # a string or a language -> string map


@dataclass(frozen=True)
class OptionIndex:
    values: dict[tuple[str, str], list[OptionValue]]  # (base id, option code) -> its values
    by_id: dict[str, OptionValue]

    def lookup(self, index: CatalogIndex, value: str) -> OptionValue | None:
        """An option value by id or by IRI (the IRI must be the value's own)."""
        if "/" not in value:
            return self.by_id.get(value)
        found = self.by_id.get(value.rpartition("/")[2])
        return found if found is not None and iri(index, found) == value else None


def derived_id(base: str, option: str, code: str) -> str:
    return str(uuid.uuid5(_DERIVED, f"{base}\n{option}\n{code}"))


def build(bases: Iterable[Record], products: Iterable[Record]) -> OptionIndex:
    values: dict[tuple[str, str], list[OptionValue]] = {}
    declared: set[tuple[str, str]] = set()
    for base in bases:
        for option in base.get("options", []):
            key = (base["id"], option["code"])
            declared.add(key)
            values[key] = [
                OptionValue(
                    v["id"], base["id"], option["code"], v["code"], v.get("name", v["code"])
                )
                for v in option["values"]
            ]
    for product in products:
        owner = product.get("productBase")
        for option, code in product.get("optionValues", {}).items():
            if owner is None or (owner, option) in declared:
                continue
            found = values.setdefault((owner, option), [])
            if all(v.code != code for v in found):
                ident = derived_id(owner, option, code)
                found.append(OptionValue(ident, owner, option, code, code))
    by_id = {v.id: v for found in values.values() for v in found}
    return OptionIndex(values, by_id)


def index_of(call: Call, index: CatalogIndex) -> OptionIndex:
    key = _CACHE + index.catalog["id"]
    return call.space.derive(
        SECTION, key, lambda: build(index.bases.values(), index.products.values())
    )


def iri(index: CatalogIndex, value: OptionValue) -> str:
    return f"{index.path}/product_bases/{value.base}/options/{value.option}/values/{value.id}"


def value_doc(index: CatalogIndex, value: OptionValue, text: Texts) -> views.Document:
    return {
        "@id": iri(index, value),
        "@type": CONTEXT,
        "id": value.id,
        "code": value.code,
        "name": text(value.name),
    }


async def list_values(call: Call) -> Response:
    index = views.catalog_index(call, call.request.path_params["catalogId"])
    params = call.request.path_params
    base, code = params["productBaseId"], params["code"]
    found = index_of(call, index).values.get((base, code))
    if base not in index.bases or code not in CODES or found is None:
        raise not_found()
    page = hydra.page_of(call.request)
    text = Texts.of(call, index)
    members = [value_doc(index, v, text) for v in page.slice(found)]
    search = hydra.search(call.request.url.path)
    document = hydra.collection(call.request, CONTEXT, members, len(found), page, search)
    return respond(document, base_url=call.base_url)


def chosen(query: QueryParams) -> list[str]:
    """The filter's non-empty values, under `optionValuesContext[]` (or `[n]`, or bare)."""
    return [v for k, v in query.multi_items() if _FILTER_KEY.fullmatch(k) and v]


def matching(
    offers: list[Record], index: CatalogIndex, options: OptionIndex, wanted: list[str]
) -> list[Record]:
    """The offers whose product has, for every option named, one of the chosen values."""
    groups: dict[str, set[tuple[str, str]]] = {}
    for value in wanted:
        found = options.lookup(index, value)
        if found is not None:
            groups.setdefault(found.option, set()).add((found.base, found.code))
    if not groups:  # only unknown values: they match no product
        return []

    def fits(offer: Record) -> bool:
        product = index.products[offer["product"]]
        carried = product.get("optionValues", {})
        base = product.get("productBase")
        return all((base, carried.get(option)) in allowed for option, allowed in groups.items())

    return [offer for offer in offers if fits(offer)]
