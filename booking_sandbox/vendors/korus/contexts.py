"""The JSON-LD contexts and the Hydra API documentation every Korus response points to (§8.9).

Each document names `"@context": "/contexts/<ShortName>"` and carries
`Link: <…/docs.jsonld>; rel="…hydra/core#apiDocumentation"` (§8.2). API Platform serves both
publicly: `GET /contexts/{shortName}` (JsonLd ContextAction -> ContextBuilder::getResourceContext)
and `GET /docs.jsonld` (Hydra DocumentationNormalizer). So does the sandbox, without a token.

What API Platform 4 writes, and so what a JSON-LD processor gets from these contexts:
- A resource context is `getBaseContext()` (`@vocab` = `<base>/docs.jsonld#`, `hydra` = the Hydra
  namespace) then one term per serialized property, `"<prop>": "<ShortName>/<prop>"`; a relation
  written as an IRI (ApiProperty readableLink false) gets `{"@id": …, "@type": "@id"}` instead.
  The identifier (`id`, not writable) is skipped. Embedded non-resource objects (ReservationItem,
  OrderCustomer, …) have no context of their own: their keys resolve against the top-level one.
- With `hydra_prefix: false` (the v4 default, which Korus runs, §8.1) ContextBuilder adds **no**
  term for the collection keys: `member`, `totalItems`, `view`, `search`, `Collection`,
  `PartialCollectionView`, `IriTemplate`, … fall through to `@vocab` and expand to
  `<base>/docs.jsonld#member` and so on, not to Hydra IRIs. The full Hydra context
  (`ApiPlatform\\JsonLd\\HYDRA_CONTEXT`) is only inlined into `/docs.jsonld`. The sandbox keeps
  that behaviour rather than "fixing" it, so a client expanding Korus documents meets what it
  will meet in production. Nothing is lost either way: `@vocab` catches every key.
- The inline `@context` of a top-level output DTO (the bulk endpoints, §5.1/§6.1) is the same
  builder over the DTO's class short name: see `anonymous_context`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from booking_sandbox.vendors.korus.inputs import base_url
from booking_sandbox.vendors.korus.wire import error_response, not_found, respond

HYDRA_NS = "http://www.w3.org/ns/hydra/core#"
DOCS_PATH = "/docs.jsonld"
CONTEXTS_PATH = "/contexts/"
TITLE = "KorusTicket API"
DESCRIPTION = "KorusTicket API documentation"
IDENTIFIER = "id"  # every Korus resource's identifier; ContextBuilder skips it

Document = dict[str, Any]


@dataclass(frozen=True)
class Operation:
    method: str
    collection: bool = False


GET_COLLECTION = Operation("GET", collection=True)
GET = Operation("GET")
POST = Operation("POST", collection=True)
PATCH = Operation("PATCH")


@dataclass(frozen=True)
class Resource:
    """One API Platform resource: its serialized properties, in the order Korus writes them.

    `links` are the properties whose value is another resource's IRI (or a list of them).
    `operations` only feed /docs.jsonld.
    """

    properties: tuple[str, ...]
    links: frozenset[str] = frozenset()
    operations: tuple[Operation, ...] = ()
    description: str | None = None
    subclass_of: str | None = None


def _resource(
    properties: str,
    links: str = "",
    operations: Sequence[Operation] = (),
    description: str | None = None,
    subclass_of: str | None = None,
) -> Resource:
    names = tuple(properties.split())
    linked = frozenset(links.split())
    assert linked <= set(names), linked - set(names)
    return Resource(names, linked, tuple(operations), description, subclass_of)


# Short name -> resource, from the reference's field lists (§4-§6; §7-§8 for the two error
# resources). The endpoints render exactly these names; the contexts list them in this order.
# Undocumented ones are sandbox choices: TicketingProduct (§10.12) mirrors the fixtures' product;
# TicketingOfferTicketSession (§10.6) has `startsAt`/`endsAt` as the fixtures do, and the
# session's stock as `availableQuantity` like the availability endpoint (§4.5).
RESOURCES: dict[str, Resource] = {
    "TicketingCatalog": _resource(
        "id createdAt lastSyncedAt name", operations=[GET_COLLECTION], description="A catalog."
    ),
    "TicketingProductBase": _resource(
        "id name disabled description shortDescription termsOfUse useSession timezone recurring"
        " beneficiaryInfoMayBeRequired instantDocumentDelivery maxAmountPerOrder universe venue"
        " medias",
        operations=[GET_COLLECTION],
    ),
    "TicketingProduct": _resource("id name description disabled", operations=[GET_COLLECTION]),
    # Option values (§4.2) and forms (§4.7): members and fields are sandbox choices (options.py,
    # forms.py); fields and choices are resources embedded in their form.
    "TicketingProductBaseOptionValue": _resource("id code name", operations=[GET_COLLECTION]),
    "Form": _resource("id code fields", operations=[GET]),
    "FormField": _resource("id code label type required choices"),
    "FormFieldChoice": _resource("id value label"),
    "TicketingOffer": _resource(
        "id date availabilityCheckRequired realtimePriceRequired price product tickets"
        " availableQuantity",
        operations=[GET_COLLECTION],
    ),
    "TicketingOfferPrice": _resource("amountInclTax amountExclTax currency", operations=[GET]),
    "TicketingOfferAvailability": _resource(
        "availableQuantity sessionsAvailability", operations=[GET]
    ),
    "TicketingOfferTicket": _resource(
        "id name description dateAccess form requiredBeneficiaryFields"
        " beneficiaryDesignationDeadline beneficiaryAmendable",
        "form",
        operations=[GET_COLLECTION, GET],
    ),
    "TicketingOfferTicketSession": _resource(
        "id startsAt endsAt status availableQuantity", operations=[GET_COLLECTION, GET]
    ),
    "BookingReservation": _resource(
        "expired catalog id createdAt totalAmountInclTax totalAmountExclTax expiresAt items"
        " organization order seatsArrangement releasable status",
        "catalog organization order",
        operations=[GET_COLLECTION, POST, GET],
    ),
    "BookingOrder": _resource(
        "id createdAt catalog organization reference externalReference connectorReference"
        " totalAmountInclTax totalAmountExclTax reservation customer status cancelledAt notes"
        " items documents",
        "catalog organization reservation documents",
        operations=[GET_COLLECTION, POST, GET],
    ),
    "BookingOrderItemTicket": _resource(
        "id ticket session voucher occursAt requiredBeneficiaryFields beneficiary"
        " beneficiaryDesignationDeadline beneficiaryAmendable status seating",
        "ticket session",
        operations=[GET, PATCH],
    ),
    "BookingOrderDocument": _resource(
        "id downloadableAt temporaryUrl cachedLanguage", operations=[GET_COLLECTION, GET, PATCH]
    ),
    "Error": _resource(
        "title detail status instance type description",
        description="A representation of common errors.",
        subclass_of="hydra:Error",
    ),
    "ConstraintViolationList": _resource(
        "status violations detail description type title instance",
        description="Unprocessable entity",
    ),
}


def base_context(base_url: str) -> Document:
    """ContextBuilder::getBaseContext: `@vocab` is the absolute URL of the api_doc route."""
    return {"@vocab": f"{base_url.rstrip('/')}{DOCS_PATH}#", "hydra": HYDRA_NS}


def _terms(short_name: str, resource: Resource) -> Document:
    terms: Document = {}
    for name in resource.properties:
        if name == IDENTIFIER:
            continue
        iri = f"{short_name}/{name}"
        terms[name] = {"@id": iri, "@type": "@id"} if name in resource.links else iri
    return terms


def resource_context(short_name: str, base_url: str) -> Document:
    """The body of `GET /contexts/{short_name}`; KeyError for an unknown short name."""
    return {"@context": {**base_context(base_url), **_terms(short_name, RESOURCES[short_name])}}


def anonymous_context(short_name: str, properties: Sequence[str], base_url: str) -> Document:
    """The inline `@context` of a top-level output DTO (getAnonymousResourceContext, §5.1).

    `anonymous_context("CreateOrderBulkOutput", ["orders"], base)` is the object to put under
    `@context`, before `@type` and the genid `@id`.
    """
    return {**base_context(base_url), **_terms(short_name, Resource(tuple(properties)))}


# /docs.jsonld. The shape of API Platform's Hydra DocumentationNormalizer, simplified:
# - keys carry the `hydra:` prefix (the normalizer's hydra_prefix: true form, which any JSON-LD
#   processor expands without Hydra's own context); with Korus's hydra_prefix: false the real
#   document writes the bare terms (`title`, `supportedClass`, …) and inlines Hydra's whole
#   context to define them;
# - the first `@context` entry is the excerpt of that Hydra context the document uses, not all
#   of it (API Platform >= 4.2 inlines HYDRA_CONTEXT['@context'] there);
# - no Entrypoint class and no `hydra:entrypoint` (the sandbox serves no entrypoint), so the
#   collection and POST operations sit on their class instead of on the entrypoint's properties;
# - properties carry no `range`, and are all readable, not writeable, not required.
_HYDRA_TERMS: Document = {
    "hydra": HYDRA_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "schema": "http://schema.org/",
    "label": "rdfs:label",
    "returns": {"@id": "hydra:returns", "@type": "@vocab"},
    "expects": {"@id": "hydra:expects", "@type": "@vocab"},
}

_DESCRIPTIONS = {
    ("GET", True): "Retrieves the collection of {} resources.",
    ("GET", False): "Retrieves a {} resource.",
    ("POST", True): "Creates a {} resource.",
    ("PATCH", False): "Updates the {} resource.",
}
_ACTIONS = {"GET": "schema:FindAction", "POST": "schema:CreateAction"}


def _operation(short_name: str, operation: Operation) -> Document:
    method, collection = operation.method, operation.collection
    kind: str | list[str] = "hydra:Operation"
    if method in _ACTIONS:
        kind = ["hydra:Operation", _ACTIONS[method]]
    document: Document = {"@type": kind}
    if method in ("POST", "PATCH"):
        document["expects"] = short_name
    suffix = "Collection" if collection and method == "GET" else ""
    document["hydra:description"] = _DESCRIPTIONS[method, collection].format(short_name)
    document["hydra:method"] = method
    document["hydra:title"] = f"{method.lower()}{short_name}{suffix}"
    document["returns"] = "hydra:Collection" if suffix else short_name
    return document  # keys in ksort order, as the normalizer leaves them


def _property(short_name: str, name: str, resource: Resource) -> Document:
    return {
        "@type": "hydra:SupportedProperty",
        "hydra:property": {
            "@id": f"#{short_name}/{name}",
            "@type": "hydra:Link" if name in resource.links else "rdf:Property",
            "label": name,
            "domain": f"#{short_name}",
        },
        "hydra:title": name,
        "hydra:required": False,
        "hydra:readable": True,
        "hydra:writeable": False,
    }


def _class(short_name: str, resource: Resource) -> Document:
    document: Document = {
        "@id": f"#{short_name}",
        "@type": "hydra:Class",
        "hydra:title": short_name,
        "hydra:supportedProperty": [
            _property(short_name, name, resource)
            for name in resource.properties
            if name != IDENTIFIER
        ],
        "hydra:supportedOperation": [_operation(short_name, op) for op in resource.operations],
    }
    if resource.description is not None:
        document["hydra:description"] = resource.description
    if resource.subclass_of is not None:
        document["subClassOf"] = resource.subclass_of
    return document


def documentation(base_url: str) -> Document:
    """The body of `GET /docs.jsonld`."""
    context = [
        _HYDRA_TERMS,
        {
            "@vocab": base_context(base_url)["@vocab"],
            "schema": "https://schema.org/",
            "domain": {"@id": "rdfs:domain", "@type": "@id"},
            "range": {"@id": "rdfs:range", "@type": "@id"},
            "subClassOf": {"@id": "rdfs:subClassOf", "@type": "@id"},
        },
    ]
    return {
        "@context": context,
        "@id": DOCS_PATH,
        "@type": "hydra:ApiDocumentation",
        "hydra:title": TITLE,
        "hydra:description": DESCRIPTION,
        "hydra:supportedClass": [_class(name, r) for name, r in RESOURCES.items()],
    }


def _base(request: Request) -> str:
    return base_url(request)


async def context(request: Request) -> Response:
    base = _base(request)
    short_name = request.path_params["shortName"]
    # The route is `/contexts/{shortName}{._format}`: `.jsonld` is the one format it accepts.
    short_name = short_name.removesuffix(".jsonld")
    if short_name not in RESOURCES:
        return error_response(not_found(), base)
    return respond(resource_context(short_name, base), base_url=base)


async def docs(request: Request) -> Response:
    base = _base(request)
    return respond(documentation(base), base_url=base)


def routes() -> list[Route]:
    return [
        Route(DOCS_PATH, docs, methods=["GET"], name="korus.docs"),
        Route(f"{CONTEXTS_PATH}{{shortName}}", context, methods=["GET"], name="korus.context"),
    ]
