"""The client card. Plain pydantic models: no screen, no database."""

from __future__ import annotations

import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class ClientKind(StrEnum):
    PRIVATE = "private"
    COMPANY = "company"
    PUBLIC_ADMINISTRATION = "public_administration"


# Fields a person edits on the form, in the order the card shows them.
TEXT_FIELDS = (
    "first_name",
    "last_name",
    "company_name",
    "tax_code",
    "vat_country",
    "vat_number",
    "sdi_code",
    "pec",
    "street",
    "postal_code",
    "city",
    "province",
    "country",
    "birth_place",
    "notes",
)
LIST_FIELDS = ("emails", "phones", "tags")
FLAG_FIELDS = ("attention", "no_reminders", "ts_opposition", "psych_bonus")
EDITABLE_FIELDS = ("kind", *TEXT_FIELDS, *LIST_FIELDS, "birth_date", *FLAG_FIELDS)


class Client(BaseModel):
    """A client card as stored. Identifiers are kept compact; screens format them."""

    model_config = ConfigDict(str_strip_whitespace=True, use_enum_values=True)

    client_number: int | None = None
    kind: ClientKind
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    tax_code: str = ""
    vat_country: str = "IT"
    vat_number: str = ""
    sdi_code: str = ""
    pec: str = ""
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    street: str = ""
    postal_code: str = ""
    city: str = ""
    province: str = ""
    country: str = "IT"
    birth_date: datetime.date | None = None
    birth_place: str = ""
    sex: str = ""
    tags: list[str] = Field(default_factory=list)
    notes: str = ""
    attention: bool = False
    no_reminders: bool = False
    ts_opposition: bool = False
    psych_bonus: bool = False
    active: bool = True
    needs_review: bool = False
    review_reason: str = ""
    missing_fields: list[str] = Field(default_factory=list)
    last_invoice_date: datetime.date | None = None
    custom_fields: dict[str, str] = Field(default_factory=dict)  # columns kept from imports
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    deleted_at: datetime.datetime | None = None
    version: int = 0

    @property
    def display_name(self) -> str:
        return display_name(self.kind, self.first_name, self.last_name, self.company_name)

    @property
    def incomplete(self) -> bool:
        return bool(self.missing_fields)

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    def editable_values(self) -> dict:
        return {name: getattr(self, name) for name in EDITABLE_FIELDS}


def display_name(kind: str, first_name: str, last_name: str, company_name: str) -> str:
    """'Rossi Mario' for persons (surname first, as registries sort), the name for the others."""
    person = " ".join(part for part in (last_name, first_name) if part)
    if kind == ClientKind.PRIVATE:
        return person or company_name
    return company_name or person


def display_names(kinds, first_names, last_names, company_names):
    """`display_name` of many cards at once, computed by Arrow (an Arrow array of text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    first, last, company = (pa.array(v, pa.string()) for v in (first_names, last_names, company_names))
    both = pc.binary_join_element_wise(last, first, " ")
    person = pc.if_else(pc.equal(last, ""), first, pc.if_else(pc.equal(first, ""), last, both))
    text = {k: k.value if isinstance(k, ClientKind) else k for k in set(kinds)}  # each kind's text, once
    private = pc.equal(pa.array(list(map(text.__getitem__, kinds)), pa.string()), ClientKind.PRIVATE.value)
    return pc.if_else(private, pc.if_else(pc.equal(person, ""), company, person),
                      pc.if_else(pc.equal(company, ""), person, company))  # fmt: skip


class HistoryEntry(BaseModel):
    client_number: int
    at: datetime.datetime
    user_name: str
    action: str  # created, changed, deactivated, reactivated, deleted, restored
    changes: dict[str, list] = Field(default_factory=dict)  # field -> [old, new]
