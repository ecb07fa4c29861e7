"""What is billed: practice settings, services, sessions, invoices, payments. Plain models, Decimal money.

The Italian rules (stamp duty, fund surcharge, withholding, forfettario) live in `core.invoicing`.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """Round to the cent, half up, as Italian invoices do (never through float)."""
    if isinstance(value, float):
        raise TypeError("money is never a float")
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Regime(StrEnum):
    ORDINARY = "ordinario"
    FLAT_RATE = "forfettario"


class SessionStatus(StrEnum):
    DONE = "done"
    TO_BILL = "to_bill"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


BILLABLE_SESSION_STATUSES = (SessionStatus.DONE, SessionStatus.TO_BILL)


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    BONUS = "bonus"
    OTHER = "other"


class DocType(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoiceStatus(StrEnum):
    """Stored states. Paid, partly paid and overdue are read from the balance (see `payment_status`)."""

    DRAFT = "draft"
    ISSUED = "issued"
    CANCELLED = "cancelled"  # only through a credit note


# FatturaPA "Natura" codes for lines without VAT, with the law each one cites.
VAT_NATURES = {
    "N2.2": "vat.nature.n2_2",  # not subject (e.g. forfettario)
    "N4": "vat.nature.n4",  # exempt, e.g. health services art. 10 n. 18 DPR 633/72
    "N3.5": "vat.nature.n3_5",
    "N1": "vat.nature.n1",
}
CURRENCIES = ("EUR", "BRL")


class _Model(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, use_enum_values=True)


class PracticeSettings(_Model):
    """The practice's own card, as printed on its invoices, and how it bills."""

    name: str = ""
    professional: str = ""  # default professional for sessions
    tax_code: str = ""
    vat_number: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    province: str = ""
    country: str = "IT"
    email: str = ""
    pec: str = ""
    phone: str = ""
    iban: str = ""
    logo_path: str = ""
    currency: str = "EUR"
    regime: Regime = Regime.ORDINARY
    surcharge_rate: Decimal = Decimal("0")  # e.g. 2 (ENPAP contributo integrativo)
    surcharge_label: str = ""
    default_vat_rate: Decimal = Decimal("0")
    default_vat_nature: str = "N4"
    withholding_rate: Decimal = Decimal("20")
    withholding_applies: bool = True  # to companies and public administrations, in the ordinary regime
    stamp_duty_to_client: bool = True
    number_prefix: str = "{year}/"
    payment_days: int = Field(default=30, ge=0, le=365)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if value not in CURRENCIES:
            raise ValueError(f"currency must be one of {', '.join(CURRENCIES)}")
        return value


class Service(_Model):
    id: int | None = None
    name: str = Field(min_length=1)
    price: Decimal = ZERO
    duration_minutes: int = Field(default=50, ge=0)
    vat_rate: Decimal = Decimal("0")
    vat_nature: str = "N4"
    active: bool = True


class Session(_Model):
    id: int | None = None
    client_number: int
    session_date: datetime.date
    service_id: int | None = None
    description: str = ""
    professional: str = ""
    price: Decimal = ZERO
    status: SessionStatus = SessionStatus.DONE
    invoice_id: int | None = None


class InvoiceLine(_Model):
    description: str = Field(min_length=1)
    quantity: Decimal = Decimal("1")
    unit_price: Decimal = ZERO
    discount_pct: Decimal = Decimal("0")
    vat_rate: Decimal = Decimal("0")
    vat_nature: str = ""  # empty when VAT applies
    service_id: int | None = None
    session_id: int | None = None

    @property
    def net(self) -> Decimal:
        gross = self.quantity * self.unit_price
        return money(gross - gross * self.discount_pct / 100)


class Invoice(_Model):
    id: int | None = None
    client_number: int
    payer_number: int | None = None  # who pays when it is not the client (a minor's guardian)
    doc_type: DocType = DocType.INVOICE
    status: InvoiceStatus = InvoiceStatus.DRAFT
    number: str = ""
    year: int | None = None
    seq: int | None = None
    issue_date: datetime.date
    due_date: datetime.date | None = None
    currency: str = "EUR"
    regime: Regime = Regime.ORDINARY
    withholding: bool = False
    bonus_amount: Decimal = ZERO  # share paid by the state (psychologist bonus)
    professional: str = ""
    notes: str = ""
    related_invoice_id: int | None = None  # the invoice a credit note cancels
    related_number: str = ""
    lines: list[InvoiceLine] = Field(default_factory=list)
    # Totals, computed by core.invoicing.compute and stored with the invoice.
    net: Decimal = ZERO
    surcharge: Decimal = ZERO
    vat: Decimal = ZERO
    stamp_duty: Decimal = ZERO
    withholding_amount: Decimal = ZERO
    total: Decimal = ZERO
    amount_due: Decimal = ZERO
    paid: Decimal = ZERO
    practice: dict = Field(default_factory=dict)  # the practice settings as they were at issue
    version: int = 0

    @property
    def balance(self) -> Decimal:
        return money(self.amount_due - self.paid)

    @property
    def editable(self) -> bool:
        return self.status == InvoiceStatus.DRAFT


class Payment(_Model):
    id: int | None = None
    invoice_id: int
    client_number: int
    paid_on: datetime.date
    amount: Decimal
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER
    note: str = ""


def state_of(status: str, doc_type: str, amount_due: Decimal, paid: Decimal, due_date, today: datetime.date) -> str:
    """draft, cancelled, paid, partly_paid, overdue or issued (not yet due): the one rule screens and lists use."""
    if status != InvoiceStatus.ISSUED:
        return str(status)
    if doc_type == DocType.CREDIT_NOTE:
        return "issued"
    if amount_due - paid <= 0:
        return "paid"
    if due_date and today > due_date:
        return "overdue"
    return "partly_paid" if paid > 0 else "issued"


def payment_status(invoice: Invoice, today: datetime.date | None = None) -> str:
    return state_of(invoice.status, invoice.doc_type, invoice.amount_due, invoice.paid, invoice.due_date,
                    today or datetime.date.today())  # fmt: skip
