"""Use cases for billing: practice settings, catalogue, sessions, invoices, credit notes, payments.

Each takes a unit of work and commits once; a failure raises a CodedError and writes nothing.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from core.billing import (
    BILLABLE_SESSION_STATUSES,
    ZERO,
    DocType,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PracticeSettings,
    Service,
    Session,
    SessionStatus,
    money,
)
from core.errors import CodedError
from core.identifiers import tax_code as tax_code_id
from core.identifiers import vat as vat_id
from core.invoicing import with_totals, withholding_default
from core.services import now

PRACTICE_KEY = "practice"


def to_decimal(value, field: str) -> Decimal:
    """A user's number ('80', '80,50', 80) as Decimal, or a CodedError naming the field."""
    if isinstance(value, Decimal):
        return value
    text = str(value if value is not None else "").strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CodedError("error.not_a_number", field=field, value=value) from None
    if not number.is_finite():
        raise CodedError("error.not_a_number", field=field, value=value)
    return number


# practice ---------------------------------------------------------------------------------------
def get_practice(uow) -> PracticeSettings:
    with uow:
        raw = uow.settings.get(PRACTICE_KEY, "")
    return PracticeSettings(**json.loads(raw)) if raw else PracticeSettings()


def save_practice(uow, values: dict) -> PracticeSettings:
    """Check and store the practice settings; its own identifiers are checked like a client's."""
    try:
        practice = PracticeSettings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CodedError(
            "error.practice_invalid", field=".".join(map(str, first["loc"])), reason=first["msg"]
        ) from None
    checked = {}
    for name, module in (("tax_code", tax_code_id), ("vat_number", vat_id)):
        if getattr(practice, name):  # raises InvalidIdentifier with its reason
            checked[name] = module.validate(getattr(practice, name), practice.country or "IT")
    practice = practice.model_copy(update=checked)
    with uow:
        uow.settings.set(PRACTICE_KEY, practice.model_dump_json())
        uow.commit()
    return practice


# catalogue and sessions -------------------------------------------------------------------------
def save_service(uow, values: dict) -> Service:
    if not str(values.get("name") or "").strip():
        raise CodedError("error.service_name")
    values = {**values, "price": money(to_decimal(values.get("price", 0), "price"))}
    with uow:
        service = uow.billing.save_service(Service(**values))
        uow.commit()
    return service


def list_services(uow, *, include_inactive: bool = False) -> list[Service]:
    with uow:
        return uow.billing.services(include_inactive=include_inactive)


def _usable_client(uow, number: int):
    card = uow.clients.get(number)
    if card.in_trash:
        raise CodedError("error.in_trash", number=number)
    if not card.active:
        raise CodedError("error.client_inactive", number=number)
    return card


def add_session(uow, client_number: int, session_date: datetime.date, *, service_id=None, **values) -> Session:
    """Record a session; without a price, the service's price is used."""
    with uow:
        _usable_client(uow, client_number)
        service = uow.billing.service(service_id) if service_id else None
        if service_id and service is None:
            raise CodedError("error.service_not_found", id=service_id)
        price = values.pop("price", None)
        price = money(to_decimal(price, "price")) if price not in (None, "") else (service.price if service else ZERO)
        if price < 0:
            raise CodedError("error.negative_amount", field="price")
        description = values.pop("description", "") or (service.name if service else "")
        session = uow.billing.add_session(
            Session(
                client_number=client_number,
                session_date=session_date,
                service_id=service_id,
                description=description,
                price=price,
                **values,
            )
        )
        uow.commit()
    return session


def set_session_status(uow, session_id: int, status: str) -> Session:
    """Done, to bill, cancelled or no-show; an invoiced session keeps its status (its invoice says it)."""
    if status not in {s.value for s in SessionStatus}:
        raise CodedError("error.session_status", status=status)
    with uow:
        session = uow.billing.session(session_id)
        if session.invoice_id is not None:
            raise CodedError("error.session_invoiced", date=session.session_date)
        uow.billing.set_session_status(session_id, status)
        uow.commit()
    return session.model_copy(update={"status": status})


def client_sessions(uow, client_number: int) -> list[Session]:
    with uow:
        return uow.billing.sessions(client_number)


# invoices ---------------------------------------------------------------------------------------
def parse_lines(lines: Iterable[dict | InvoiceLine]) -> list[InvoiceLine]:
    result = []
    for position, raw in enumerate(lines, start=1):
        if isinstance(raw, InvoiceLine):
            result.append(raw)
            continue
        if not str(raw.get("description") or "").strip():
            raise CodedError("error.line_description", line=position)
        values = dict(raw)
        for name in ("quantity", "unit_price", "discount_pct", "vat_rate"):
            if values.get(name) not in (None, ""):
                values[name] = to_decimal(values[name], name)
            else:
                values.pop(name, None)
        line = InvoiceLine(**values)
        if line.quantity <= 0 or line.unit_price < 0 or not (0 <= line.discount_pct <= 100):
            raise CodedError("error.line_amounts", line=position)
        if line.vat_rate < 0 or line.vat_rate > 100 or (line.vat_rate == 0 and not line.vat_nature):
            raise CodedError("error.line_vat", line=position)
        result.append(line)
    if not result:
        raise CodedError("error.no_lines")
    return result


def create_draft(
    uow,
    client_number: int,
    lines: Iterable[dict | InvoiceLine],
    *,
    issue_date: datetime.date | None = None,
    payer_number: int | None = None,
    withholding: bool | None = None,
    bonus_amount=0,
    professional: str = "",
    notes: str = "",
    session_ids: list[int] | None = None,
    at=None,
) -> Invoice:
    """A draft invoice for the client; its numbers are final only when it is issued."""
    practice = get_practice(uow)
    parsed = parse_lines(lines)
    at = at or now()
    with uow:
        card = _usable_client(uow, client_number)
        payer = _usable_client(uow, payer_number) if payer_number else card
        invoice = Invoice(
            id=uow.billing.new_invoice_id(),
            client_number=client_number,
            payer_number=payer_number if payer_number and payer_number != client_number else None,
            issue_date=issue_date or at.date(),
            currency=practice.currency,
            regime=practice.regime,
            withholding=withholding_default(practice, payer.kind) if withholding is None else withholding,
            bonus_amount=money(to_decimal(bonus_amount or 0, "bonus_amount")),
            professional=professional or practice.professional,
            notes=notes,
            lines=parsed,
            version=1,
        )
        invoice = _checked_totals(invoice, practice)
        uow.billing.add_invoice(invoice, at)
        if session_ids:
            uow.billing.link_sessions(session_ids, invoice.id)
        uow.commit()
    return invoice


def _checked_totals(invoice: Invoice, practice: PracticeSettings) -> Invoice:
    invoice = with_totals(invoice, practice)
    if invoice.bonus_amount < 0 or invoice.bonus_amount > invoice.amount_due:
        raise CodedError("error.bonus_amount", due=invoice.amount_due)
    return invoice


def update_draft(uow, invoice_id: int, expected_version: int, *, lines=None, at=None, **values) -> Invoice:
    practice = get_practice(uow)
    parsed = parse_lines(lines) if lines is not None else None
    if "bonus_amount" in values:
        values["bonus_amount"] = money(to_decimal(values["bonus_amount"] or 0, "bonus_amount"))
    at = at or now()
    with uow:
        current = uow.billing.invoice(invoice_id)
        if current.version != expected_version:
            raise CodedError("error.invoice_changed", number=current.number or current.id)
        if not current.editable:
            raise CodedError("error.invoice_locked", number=current.number)
        update = {**values, **({"lines": parsed} if parsed is not None else {})}
        invoice = current.model_copy(update=update)
        _usable_client(uow, invoice.client_number)
        if invoice.payer_number:
            _usable_client(uow, invoice.payer_number)
        invoice = _checked_totals(invoice, practice)
        invoice = uow.billing.save_invoice(invoice, expected_version, at)
        uow.commit()
    return invoice


def invoice_unbilled(uow, client_number: int, session_ids: list[int], **options) -> Invoice:
    """One draft invoice from the chosen sessions (done or to bill, not yet invoiced)."""
    if not session_ids:
        raise CodedError("error.no_sessions")
    with uow:
        sessions = uow.billing.sessions(client_number, session_ids)
        services = {s.id: s for s in uow.billing.services(include_inactive=True)}
    if len(sessions) != len(set(session_ids)):
        raise CodedError("error.sessions_not_found")
    practice = get_practice(uow)
    lines = []
    for session in sorted(sessions, key=lambda s: (s.session_date, s.id)):
        if session.invoice_id is not None or session.status not in BILLABLE_SESSION_STATUSES:
            raise CodedError("error.session_not_billable", date=session.session_date)
        service = services.get(session.service_id)
        rate = service.vat_rate if service else practice.default_vat_rate
        nature = service.vat_nature if service else practice.default_vat_nature
        lines.append(
            InvoiceLine(
                description=f"{session.description} – {session.session_date:%d/%m/%Y}",
                unit_price=session.price,
                vat_rate=rate,
                vat_nature="" if rate else nature or "N4",
                service_id=session.service_id,
                session_id=session.id,
            )
        )
    professional = options.pop("professional", "") or next((s.professional for s in sessions if s.professional), "")
    return create_draft(uow, client_number, lines, session_ids=list(session_ids), professional=professional, **options)


def delete_draft(uow, invoice_id: int) -> None:
    with uow:
        invoice = uow.billing.invoice(invoice_id)
        if not invoice.editable:
            raise CodedError("error.invoice_locked", number=invoice.number)
        uow.billing.delete_invoice(invoice_id)
        uow.commit()


def _assign_number(uow, invoice: Invoice, practice: PracticeSettings, issue_date: datetime.date) -> Invoice:
    year = issue_date.year
    last = uow.billing.last_issue_date(year)
    if last and issue_date < last:
        raise CodedError("error.issue_date_order", date=issue_date, last=last)
    seq = uow.billing.next_seq(year)
    prefix = practice.number_prefix.replace("{year}", str(year))
    return invoice.model_copy(
        update={
            "year": year,
            "seq": seq,
            "number": f"{prefix}{seq:04d}",
            "issue_date": issue_date,
            "status": InvoiceStatus.ISSUED,
            "practice": practice.model_dump(mode="json"),
        }
    )


def issue_invoice(uow, invoice_id: int, *, issue_date: datetime.date | None = None, at=None) -> Invoice:
    """Number the draft (next of its year, no gaps, in date order) and lock it."""
    practice = get_practice(uow)
    at = at or now()
    with uow:
        draft = uow.billing.invoice(invoice_id)
        if not draft.editable:
            raise CodedError("error.invoice_locked", number=draft.number)
        when = issue_date or draft.issue_date
        invoice = _checked_totals(draft.model_copy(update={"regime": practice.regime}), practice)
        invoice = _assign_number(uow, invoice, practice, when)
        invoice = invoice.model_copy(update={"due_date": when + datetime.timedelta(days=practice.payment_days)})
        invoice = uow.billing.save_invoice(invoice, draft.version, at)
        uow.billing.refresh_last_invoice_date(invoice.client_number)
        uow.commit()
    return invoice


def credit_note(uow, invoice_id: int, *, issue_date: datetime.date | None = None, at=None) -> Invoice:
    """Cancel an issued invoice the only lawful way: a credit note for all of it, numbered like invoices."""
    practice = get_practice(uow)
    at = at or now()
    with uow:
        original = uow.billing.invoice(invoice_id)
        if original.status != InvoiceStatus.ISSUED or original.doc_type != DocType.INVOICE:
            raise CodedError("error.cannot_credit", number=original.number or original.id)
        note = original.model_copy(
            update={
                "id": uow.billing.new_invoice_id(),
                "doc_type": DocType.CREDIT_NOTE,
                "status": InvoiceStatus.DRAFT,
                "related_invoice_id": original.id,
                "related_number": original.number,
                "paid": ZERO,
                "bonus_amount": ZERO,
                "version": 1,
            }
        )
        when = issue_date or at.date()
        practice_then = PracticeSettings(**original.practice) if original.practice else practice
        note = _assign_number(uow, with_totals(note, practice_then), practice, when)
        note = note.model_copy(update={"due_date": when, "practice": original.practice or note.practice})
        uow.billing.add_invoice(note, at)
        uow.billing.save_invoice(original.model_copy(update={"status": InvoiceStatus.CANCELLED}), original.version, at)
        uow.billing.link_sessions([line.session_id for line in original.lines if line.session_id], None)
        uow.billing.refresh_last_invoice_date(original.client_number)
        uow.commit()
    return note


def get_invoice(uow, invoice_id: int) -> Invoice:
    with uow:
        return uow.billing.invoice(invoice_id)


# payments ---------------------------------------------------------------------------------------
def add_payment(
    uow, invoice_id: int, amount, paid_on: datetime.date, method: str = PaymentMethod.BANK_TRANSFER, note="", at=None
) -> Payment:
    """Record money received; partial payments add up, an amount over the balance is refused."""
    value = money(to_decimal(amount, "amount"))
    if value <= 0:
        raise CodedError("error.payment_amount")
    if method not in {m.value for m in PaymentMethod}:
        raise CodedError("error.payment_method", method=method)
    at = at or now()
    with uow:
        invoice = uow.billing.invoice(invoice_id)
        if invoice.status != InvoiceStatus.ISSUED or invoice.doc_type != DocType.INVOICE:
            raise CodedError("error.payment_not_issued", number=invoice.number or invoice.id)
        if value > invoice.balance:
            raise CodedError("error.payment_over_balance", balance=invoice.balance)
        if paid_on < invoice.issue_date:
            raise CodedError("error.payment_before_issue", date=invoice.issue_date)
        payment = uow.billing.add_payment(
            Payment(
                invoice_id=invoice_id,
                client_number=invoice.client_number,
                paid_on=paid_on,
                amount=value,
                method=method,
                note=note,
            ),
            at,
        )
        uow.commit()
    return payment


def delete_payment(uow, payment_id: int) -> None:
    with uow:
        uow.billing.delete_payment(payment_id)
        uow.commit()


def invoice_payments(uow, invoice_id: int) -> list[Payment]:
    with uow:
        return uow.billing.payments(invoice_id)
