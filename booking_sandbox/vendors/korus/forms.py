"""`GET /v1/forms/{id}`, "Show a form" (reference §4.7, doc dev/1.0.10).

A form collects extra data for a ticket (`TicketingOfferTicket.form` names it). The reference
shows `@context, @id, @type, id, code, fields[]`; the field and choice shapes are the sandbox's
choices (docs/vendors/korus.md), built on what it does document:
- a field is a resource embedded with its IRI `/v1/forms/{formId}/fields/{fieldId}` (the IRI
  reservation bodies send in `formData.fields[].field`): `@id, @type: FormField, id, code,
  label, type, required, choices`; `type` is one of the value formats the reservation page lists
  (text, bool, integer, decimal, date, time, datetime, single_choice, multi_choice);
- a choice ("predefined option") is `@id` (`.../fields/{fieldId}/choices/{id}`), `@type:
  FormFieldChoice, id, value, label`; `value` is what a reservation passes. Fields that are not
  choices have `choices: []`.
Labels follow Accept-Language, then the owning catalog's defaultLanguage. Forms live in the
catalogs of the fixture: a form of another organization's catalog is a 404, as an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors.korus.catalog import SECTION, catalog_of
from booking_sandbox.vendors.korus.http import Call
from booking_sandbox.vendors.korus.offer_views import Texts
from booking_sandbox.vendors.korus.wire import not_found, respond

FORMS = "/v1/forms"
CONTEXT = "Form"
Record = dict[str, Any]
Document = dict[str, Any]
_CACHE = "korus.forms"  # in the namespace's `derived` indexes


@dataclass(frozen=True)
class OwnedForm:
    form: Record
    catalog: Record


def forms_of(space: Namespace) -> dict[str, OwnedForm]:
    index = catalog_of(space)
    return space.derive(
        SECTION,
        _CACHE,
        lambda: {
            form["id"]: OwnedForm(form, catalog)
            for catalog in index.catalogs.values()
            for form in catalog.get("forms", [])
        },
    )


def form_doc(form: Record, text: Texts) -> Document:
    path = f"{FORMS}/{form['id']}"
    return {
        "@context": f"/contexts/{CONTEXT}",
        "@id": path,
        "@type": CONTEXT,
        "id": form["id"],
        "code": form["code"],
        "fields": [_field(f"{path}/fields/{field['id']}", field, text) for field in form["fields"]],
    }


def _field(path: str, field: Record, text: Texts) -> Document:
    return {
        "@id": path,
        "@type": "FormField",
        "id": field["id"],
        "code": field["code"],
        "label": text(field["label"]),
        "type": field["type"],
        "required": field.get("required", False),
        "choices": [
            {
                "@id": f"{path}/choices/{choice['id']}",
                "@type": "FormFieldChoice",
                "id": choice["id"],
                "value": choice["value"],
                "label": text(choice.get("label", choice["value"])),
            }
            for choice in field.get("choices", [])
        ],
    }


async def get_form(call: Call) -> Response:
    found = forms_of(call.space).get(call.request.path_params["id"])
    if found is None or found.catalog["organization"] != call.organization:
        raise not_found()
    header = call.request.headers.get("accept-language", "")
    text = Texts(header, found.catalog.get("defaultLanguage", "fr"))
    return respond(form_doc(found.form, text), base_url=call.base_url)
