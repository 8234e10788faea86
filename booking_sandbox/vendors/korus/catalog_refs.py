"""Cross-references of the Korus fixture's product bases, option values and forms, which JSON
Schema cannot state (pools.problems runs them with the other catalog checks)."""

from __future__ import annotations

from collections.abc import Iterable

from booking_sandbox.vendors.adapter import Document
from booking_sandbox.vendors.crossref import Problems, resolves, unique

FORM_IRI = "/v1/forms/"


def problems(doc: Document) -> Problems:
    found: Problems = []
    forms: list[tuple[str, str]] = []
    values: list[tuple[str, str]] = []
    for c, catalog in enumerate(doc["catalogs"]):
        where = f"$.catalogs[{c}]"
        found += _products(where, catalog)
        for b, base in enumerate(catalog.get("productBases", [])):
            found += _options(f"{where}.productBases[{b}]", base, values)
        own = {form["id"] for form in catalog.get("forms", [])}
        for f, form in enumerate(catalog.get("forms", [])):
            forms.append((f"{where}.forms[{f}]", form["id"]))
            found += _form(f"{where}.forms[{f}]", form)
        for o, offer in enumerate(catalog["offers"]):
            for t, ticket in enumerate(offer["tickets"]):
                iri = ticket.get("form")
                if iri is not None and iri.removeprefix(FORM_IRI) not in own:
                    path = f"{where}.offers[{o}].tickets[{t}].form"
                    found.append((path, f"unknown form {iri!r} (not a form of this catalog)"))
    return found + unique(forms, "form") + unique(values, "option value")


def _products(where: str, catalog: Document) -> Problems:
    """productBase names a base of the catalog; a value of an option the base declares is one
    of the declared values."""
    bases = {b["id"]: b for b in catalog.get("productBases", [])}
    found = resolves(
        (
            (f"{where}.products[{p}].productBase", product["productBase"])
            for p, product in enumerate(catalog["products"])
            if "productBase" in product
        ),
        set(bases),
        "product base",
    )
    for p, product in enumerate(catalog["products"]):
        base = bases.get(product.get("productBase", ""), {})
        declared = {o["code"]: {v["code"] for v in o["values"]} for o in base.get("options", [])}
        for option, code in product.get("optionValues", {}).items():
            if option in declared and code not in declared[option]:
                path = f"{where}.products[{p}].optionValues.{option}"
                found.append((path, f"unknown value {code!r} of option {option!r} of its base"))
    return found


def _options(where: str, base: Document, values: list[tuple[str, str]]) -> Problems:
    """Option codes once per base, value codes once per option; value ids go to `values`."""
    options = base.get("options", [])
    found = _once(where, "options", options, "code", "option")
    for o, option in enumerate(options):
        path = f"{where}.options[{o}]"
        values += [(f"{path}.values[{v}]", value["id"]) for v, value in enumerate(option["values"])]
        found += _once(path, "values", option["values"], "code", "option value code")
    return found


def _form(where: str, form: Document) -> Problems:
    found = _once(where, "fields", form["fields"], "id", "field")
    found += _once(where, "fields", form["fields"], "code", "field code")
    for i, field in enumerate(form["fields"]):
        choices = field.get("choices", [])
        found += _once(f"{where}.fields[{i}]", "choices", choices, "id", "choice")
        found += _once(f"{where}.fields[{i}]", "choices", choices, "value", "choice value")
    return found


def _once(where: str, key: str, items: Iterable[Document], field: str, what: str) -> Problems:
    return unique(((f"{where}.{key}[{i}]", item[field]) for i, item in enumerate(items)), what)
