"""NORMALISE + VALIDATE for one source row: from the cells and the mapping to card values and messages.

Pure functions over plain values: no database, no screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from core.i18n import t
from core.identifiers import sdi, tax_code
from core.models import ClientKind
from core.validation import CardCheck, check_card
from importers import fields as F
from importers.normalise import (
    clean,
    country_code,
    date_order,
    kind_of,
    looks_like_company,
    parse_date,
    postal_code,
    proper_case,
    split_address,
    split_full_name,
    vat_number,
)

LIST_SEPARATORS = (" ::: ", ";", ",", "\n")
NAME_FIELDS = ("first_name", "last_name", "company_name", "city", "birth_place", "street")


@dataclass
class Message:
    column: str
    value: str
    message: str


@dataclass
class CardRow:
    """A source row turned into card values, with what was wrong with it."""

    values: dict = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    rejected: bool = False
    flagged: bool = False
    check: CardCheck | None = None


_TRUE = {"true", "1", "yes", "y", "si", "sì", "s", "x", "vero", "attivo", "active", "on", "sim", "verdadero"}
_FALSE = {"false", "0", "no", "n", "falso", "non attivo", "inattivo", "inactive", "off", "nao", "não", ""}


def truthy(value: str) -> bool | None:
    text = value.strip().lower()
    return True if text in _TRUE else False if text in _FALSE else None


class TargetCells:
    """A table's cells by target (the first column mapped to it), cleaned; its date columns read day- or
    month-first as each whole column says (`dated`: the targets that hold dates)."""

    def __init__(self, header: list[str], rows, targets: list[str], dated: tuple[str, ...]) -> None:
        self.header, self.targets = header, targets
        self.col = {target: i for i, target in reversed(list(enumerate(targets)))}
        self.orders = {i: date_order(clean(r[i]) for r in rows if i < len(r))
                       for i, target in enumerate(targets) if target in dated}  # fmt: skip

    def __call__(self, row: list[str], target: str) -> str:
        i = self.col.get(target)
        return clean(row[i]) if i is not None and i < len(row) else ""

    def date(self, row: list[str], target: str):
        return parse_date(self(row, target), self.orders.get(self.col.get(target), "dmy"))

    def column(self, target: str) -> str:
        """The source column a target is read from (the target itself when none is mapped to it)."""
        return self.header[self.col[target]] if target in self.col else target

    def client_targets(self) -> list[str]:
        """The targets that say who an invoice's client is, the others ignored; the invoice's client name read as
        "Name Surname"."""
        targets = [tg if tg in F.CARD_TARGETS or tg in F.SPLIT_TARGETS else F.IGNORE for tg in self.targets]
        if "invoice_client" in self.col:
            targets[self.col["invoice_client"]] = F.FULL_NAME_FIRST_LAST
        return targets


def split_cell(value: str) -> list[str]:
    for sep in LIST_SEPARATORS:
        if sep in value:
            return [p.strip() for p in value.split(sep) if p.strip() and p.strip() != "*"]
    return [value]


def tax_or_vat_field(value: str) -> str:
    """Which field a "CF / P.IVA" cell holds: 16 characters or letters make a tax code, digits a VAT number."""
    compact = value.replace(" ", "").upper()
    return "tax_code" if len(compact) == 16 or not compact.replace("IT", "", 1).isdigit() else "vat_number"


def _collect(header: list[str], row: list[str], targets: list[str], date_orders: dict[int, str]) -> CardRow:
    out = CardRow()
    values = out.values
    full_names: list[tuple[str, bool]] = []
    for index, (name, target) in enumerate(zip(header, targets, strict=True)):
        value = clean(row[index]) if index < len(row) else ""
        if not value or target == F.IGNORE:
            continue
        if target in ("emails", "phones", "tags"):
            values.setdefault(target, []).extend(split_cell(value) if target != "phones" else [value])
        elif target in (F.FULL_NAME_LAST_FIRST, F.FULL_NAME_FIRST_LAST):
            full_names.append((value, target == F.FULL_NAME_LAST_FIRST))
        elif target == F.TAX_OR_VAT:
            values.setdefault(tax_or_vat_field(value), value)
        elif target == F.CUSTOM_JSON:
            try:
                kept = json.loads(value)
            except ValueError:
                kept = None
            if isinstance(kept, dict):
                out.custom.update({str(k): str(v) for k, v in kept.items()})
            else:
                out.custom[name] = value
        elif target == F.FULL_ADDRESS:
            for key, part in split_address(value).items():
                values.setdefault(key, part)
        elif target in F.FLAG_TARGETS:
            flag = truthy(value)
            if flag is None:
                out.custom[name] = value
            else:
                values[target] = flag
        elif target == F.KIND:
            kind = kind_of(value)
            if kind:
                values["kind"] = kind
            else:
                out.custom[name] = value
        elif target == "birth_date":
            born = parse_date(value, date_orders.get(index, "dmy"))
            if born:
                values["birth_date"] = born
            else:
                out.custom[name] = value
                out.messages.append(Message(name, value, "import.msg.bad_date"))
        elif target == F.NOTES:
            out.notes.append(value if len([t for t in targets if t == F.NOTES]) == 1 else f"{name}: {value}")
        elif target in F.CARD_TARGETS:
            if values.get(target) and values[target] != value:
                out.custom[name] = value  # a second column for the same field: kept, not overwritten
            else:
                values[target] = value
        else:  # custom, or invoice fields met in a client table
            out.custom[name] = value
    for text, last_first in full_names:
        if looks_like_company(text) or values.get("kind") in (ClientKind.COMPANY, ClientKind.PUBLIC_ADMINISTRATION):
            values.setdefault("company_name", text)
        elif not (values.get("first_name") or values.get("last_name")):
            first, last = split_full_name(proper_case(text), last_first, values.get("tax_code", ""))
            values["first_name"], values["last_name"] = first, last
        elif text not in (f"{values.get('first_name', '')} {values.get('last_name', '')}".strip(),):
            values.setdefault("company_name", text)
    return out


def decide_kind(kind: str, has_person: bool, company: str, has_vat: bool, company_like: bool, sdi_length: int) -> str:
    """The card's kind when the file does not say it: a company name wins over a person's when it looks
    like one or comes with a VAT number; a 6-character SDI code is a public office."""
    if kind:
        return kind
    if company and (not has_person or company_like or has_vat):
        return ClientKind.PUBLIC_ADMINISTRATION if sdi_length == 6 else ClientKind.COMPANY
    if not has_person and has_vat:
        return ClientKind.COMPANY
    return ClientKind.PRIVATE


def _decide_kind(values: dict) -> str:
    company = values.get("company_name", "")
    return decide_kind(values.get("kind", ""), bool(values.get("first_name") or values.get("last_name")), company,
                       bool(values.get("vat_number")), looks_like_company(company),
                       len(sdi.compact(values.get("sdi_code", ""))))  # fmt: skip


def _normalise(values: dict) -> None:
    for name in NAME_FIELDS:
        if values.get(name):
            values[name] = proper_case(values[name])
    values["country"] = country_code(values.get("country", "")) or "IT"
    if len(values["country"]) != 2:
        values["country"] = "IT"  # unknown country name: kept in the notes by the caller
    if values.get("postal_code"):
        values["postal_code"] = postal_code(values["postal_code"], values["country"])
    if values.get("vat_number"):
        values["vat_number"] = vat_number(values["vat_number"], values["country"])
    if values.get("province") and len(values["province"]) == 2:
        values["province"] = values["province"].upper()
    elif values.get("province") and values["country"] == "IT":
        values["province_name"] = values.pop("province")  # "Padova": kept, a sigla is needed
    tax = values.get("tax_code", "")
    if tax and values["country"] != "IT" and len(tax.replace(" ", "")) == 16 and tax_code.is_valid(tax, "IT"):
        values["tax_country_hint"] = "IT"


def card_row(
    header: list[str],
    row: list[str],
    targets: list[str],
    *,
    date_orders: dict[int, str],
    strict: bool,
    lang: str,
    region: str = "IT",
    unmapped: str = F.CUSTOM,
) -> CardRow:
    """Map, normalise and check one row. A row whose identifiers fail keeps its original values and is
    flagged for review (rejected instead when `strict`); a row with no usable name is rejected."""
    out = _collect(header, row, targets, date_orders)
    original_country = next((clean(row[i]) for i, tg in enumerate(targets) if tg == "country" and i < len(row)), "")
    if original_country and len(country_code(original_country)) != 2:
        out.custom.setdefault("country", original_country)
    return finish(out, strict=strict, lang=lang, region=region, unmapped=unmapped,
                  columns=lambda name: source_column(header, targets, name))  # fmt: skip


def values_row(values: dict, *, strict: bool, lang: str, region: str = "IT") -> CardRow:
    """The same checks for card values that come already split (e-invoice XML, JSON)."""
    out = CardRow(values={k: v for k, v in values.items() if v not in (None, "")})
    return finish(out, strict=strict, lang=lang, region=region, unmapped=F.CUSTOM, columns=lambda name: name)


def finish(out: CardRow, *, strict: bool, lang: str, region: str, unmapped: str, columns) -> CardRow:
    values = out.values
    values["kind"] = _decide_kind(values)
    _normalise(values)
    if values.get("province_name"):
        out.custom["province"] = values.pop("province_name")
    values.pop("tax_country_hint", None)
    if unmapped == F.NOTES and out.custom:
        out.notes.extend(f"{k}: {v}" for k, v in out.custom.items())
        out.custom = {}
    if out.notes:
        values["notes"] = "\n".join(out.notes)
    home = values.get("country") if len(values.get("country", "")) == 2 and values.get("country") != "IT" else region
    check = check_card(values, quick=True, region=home)  # a client abroad: phones without prefix are from there
    out.check = check
    name_codes = {"error.name_required", "error.kind.invalid"}
    if any(i.code in name_codes for issues in check.errors.values() for i in issues):
        out.rejected = True
        out.messages.append(Message("", "", t("import.msg.no_name", lang)))
    else:
        for name, issues in check.errors.items():
            value = values.get(name, "")
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            for issue in issues:
                out.messages.append(Message(columns(name), shown, t(issue.code, lang, **issue.params)))
        if check.errors:
            out.rejected, out.flagged = strict, not strict
        if any(m.message == "import.msg.bad_date" for m in out.messages):
            out.flagged = True
    for message in out.messages:
        if message.message.startswith("import.msg."):
            message.message = t(message.message, lang, value=message.value)
    return out


def source_column(header: list[str], targets: list[str], field_name: str) -> str:
    for name, target in zip(header, targets, strict=True):
        if target == field_name or (field_name in ("tax_code", "vat_number") and target == F.TAX_OR_VAT):
            return name
    return field_name


def review_reason(row: CardRow) -> str:
    return "; ".join(f"{m.column}: {m.message}" if m.column else m.message for m in row.messages)
