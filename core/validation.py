"""Checking a client card: field errors, warnings, and what invoicing still needs.

`check_card` is the one entry point used by forms, services and (for single rows) importers. Every
problem is attached to its field as an `Issue` (a message key plus parameters) so each screen can say
it in the user's language next to the field it concerns.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from core.errors import InvalidIdentifier
from core.identifiers import address, email, person, phone, sdi, tax_code, vat
from core.models import FLAG_FIELDS, LIST_FIELDS, TEXT_FIELDS, Client, ClientKind, display_name


class Issue(NamedTuple):
    code: str
    params: dict[str, Any] = {}


@dataclass
class CardCheck:
    values: dict[str, Any]  # the normalised values (compact identifiers), errors or not
    errors: dict[str, list[Issue]] = field(default_factory=dict)
    warnings: dict[str, list[Issue]] = field(default_factory=dict)
    missing_fields: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, bucket: dict[str, list[Issue]], name: str, code: str, **params: Any) -> None:
        bucket.setdefault(name, []).append(Issue(code, params))

    def to_client(self, **extra: Any) -> Client:
        return Client(**self.values, missing_fields=self.missing_fields, **extra)


ADDRESS_FIELDS = ("street", "postal_code", "city")


def split_list(value: Any) -> list[str]:
    """Lists come from forms as text ('a@x.it, b@y.it' or one per line) or as lists."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else str(value).replace(";", "\n").replace(",", "\n").split("\n")
    seen: list[str] = []
    for item in items:
        text = str(item).strip()
        if text and text not in seen:
            seen.append(text)
    return seen


def _parse_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip())


def _normalise(data: Mapping[str, Any]) -> tuple[dict[str, Any], CardCheck]:
    values: dict[str, Any] = {}
    check = CardCheck(values)
    kind = str(data.get("kind") or "").strip()
    if kind not in {k.value for k in ClientKind}:
        check.add(check.errors, "kind", "error.kind.invalid")
        kind = ClientKind.PRIVATE.value
    values["kind"] = kind
    for name in TEXT_FIELDS:
        raw = data.get(name)
        values[name] = "" if raw is None else str(raw).strip()
    values["country"] = values["country"] or "IT"
    values["vat_country"] = values["vat_country"] or values["country"]
    for name in LIST_FIELDS:
        values[name] = split_list(data.get(name))
    for name in FLAG_FIELDS:
        values[name] = bool(data.get(name, False))
    try:
        values["birth_date"] = _parse_date(data.get("birth_date"))
    except ValueError:
        values["birth_date"] = None
        check.add(check.errors, "birth_date", "error.date.invalid", value=str(data.get("birth_date")))
    values["sex"] = ""
    return values, check


def _check_field(check: CardCheck, name: str, fn: Callable[[str], str]) -> None:
    value = check.values.get(name)
    if not value:
        return
    try:
        check.values[name] = fn(value)
    except InvalidIdentifier as exc:
        check.add(check.errors, name, exc.code, **{"value": value, **exc.params})


def _check_list(check: CardCheck, name: str, fn: Callable[[str], str]) -> None:
    cleaned = []
    for item in check.values[name]:
        try:
            cleaned.append(fn(item))
        except InvalidIdentifier as exc:
            check.add(check.errors, name, exc.code, **{"value": item, **exc.params})
            cleaned.append(item)
    check.values[name] = list(dict.fromkeys(cleaned))


def _check_identifiers(check: CardCheck, region: str) -> None:
    v = check.values
    country = v["country"]
    _check_field(check, "country", address.validate_country)
    _check_field(check, "vat_country", address.validate_country)
    if v["vat_number"]:
        prefix, _number = vat.split(v["vat_number"], v["vat_country"])
        v["vat_country"] = prefix
    _check_field(check, "tax_code", lambda x: tax_code.validate(x, country))
    _check_field(check, "vat_number", lambda x: vat.validate(x, v["vat_country"]))
    _check_field(check, "sdi_code", lambda x: sdi.validate(x, v["kind"]))
    _check_field(check, "pec", lambda x: email.validate(x, "pec"))
    _check_field(check, "postal_code", lambda x: address.validate_postal_code(x, country))
    _check_field(check, "province", lambda x: address.validate_province(x, country))
    _check_list(check, "emails", email.validate)
    _check_list(check, "phones", lambda x: phone.validate(x, region))
    born = v["birth_date"]
    if born and (born > datetime.date.today() or born.year < 1900):
        check.add(check.errors, "birth_date", "error.birth_date.range")
    if (
        v["kind"] == ClientKind.PUBLIC_ADMINISTRATION
        and country == "IT"
        and "tax_code" not in check.errors
        and len(v["tax_code"]) == 16
    ):
        check.add(check.errors, "tax_code", "error.tax_code.pa_numeric")


def _required_fields(kind: str, italian: bool) -> list[tuple[str, ...]]:
    """Groups of fields, each group satisfied by any one member."""
    if kind == ClientKind.PRIVATE:
        return [("first_name",), ("last_name",)]
    if kind == ClientKind.COMPANY:
        groups = [("company_name",), ("vat_number", "tax_code")]
        return groups + ([("sdi_code", "pec")] if italian else [])
    return [("company_name",), ("tax_code",), ("sdi_code",)]


def _invoicing_fields(kind: str, italian: bool) -> list[tuple[str, ...]]:
    groups = list(_required_fields(kind, italian))
    if kind == ClientKind.PRIVATE and italian:
        groups.append(("tax_code",))
    groups += [(name,) for name in ADDRESS_FIELDS]
    if italian:
        groups.append(("province",))
    return groups


def _group_missing(check: CardCheck, group: tuple[str, ...]) -> bool:
    values = check.values
    present = [n for n in group if values.get(n)]
    if group == ("sdi_code", "pec"):
        return not (sdi.is_real_code(values["sdi_code"]) or values["pec"])
    return not present


def _check_required(check: CardCheck, quick: bool) -> None:
    v = check.values
    italian = v["country"] == "IT"
    name_field = "last_name" if v["kind"] == ClientKind.PRIVATE else "company_name"
    if not display_name(v["kind"], v["first_name"], v["last_name"], v["company_name"]):
        check.add(check.errors, name_field, "error.name_required")
    if not quick:
        for group in _required_fields(v["kind"], italian):
            if _group_missing(check, group) and group[0] not in check.errors:
                code = "error.required" if len(group) == 1 else f"error.required_one_of.{'_'.join(group)}"
                check.add(check.errors, group[0], code)
    check.missing_fields = missing_fields(v)


def missing_fields(values: Mapping[str, Any]) -> list[str]:
    """What invoicing still needs on a card whose values are already checked (no identifier is re-checked)."""
    check = CardCheck(dict(values))
    italian = (values.get("country") or "IT") == "IT"
    return [g[0] for g in _invoicing_fields(values["kind"], italian) if _group_missing(check, g)]


def _derive_and_warn(check: CardCheck) -> None:
    v = check.values
    if v["tax_code"] and "tax_code" not in check.errors and len(v["tax_code"]) == 16 and v["country"] == "IT":
        born, sex = person.derive(v["tax_code"])
        v["sex"] = sex
        if v["kind"] == ClientKind.PRIVATE:
            if v["birth_date"] is None and born:
                v["birth_date"] = born
            for name, code in person.mismatches(v["tax_code"], v["first_name"], v["last_name"], v["birth_date"]):
                check.add(check.warnings, name, code)
    if v["kind"] == ClientKind.PRIVATE and len(v["tax_code"]) == 11 and v["country"] == "IT":
        check.add(check.warnings, "tax_code", "warning.private_numeric_cf")


def check_card(data: Mapping[str, Any], *, quick: bool = False, region: str = "IT") -> CardCheck:
    """Normalise and check a card's editable values.

    `quick` is the quick registration: only a name is required; the rest is listed in
    `missing_fields` so the card can say what invoicing will need.
    """
    _values, check = _normalise(data)
    _check_identifiers(check, region)
    _check_required(check, quick)
    _derive_and_warn(check)
    return check
