"""MATCH and COMMIT for a table of payments (`fields.table_kind` "payments": an invoice's number and when, and
perhaps how much, was paid): each row pays an invoice of the history, one already imported or one the same
import brings. Its client, or its invoice date, tells apart invoices of the same number.

An invoice is paid when its payments reach its total (a row with no amount pays it whole); until then what was
paid is kept (`paid_amount`, `last_paid_on`) and the row is flagged. The same payment twice counts once, so
the same file imported again changes nothing. Undo gives each invoice its payment state back
(`ImportRepository.undo_payments`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from core.i18n import format_date, format_money, t
from core.search import fold
from importers import fields as F
from importers.normalise import parse_amount
from importers.plan import Outcome
from importers.rows import Message, TargetCells

if TYPE_CHECKING:
    from core.store.uow import UnitOfWork
    from importers.mapping import Mapping

CENT = Decimal("0.005")  # payments within half a cent of the total pay it
SAME_CLIENT = 90  # rapidfuzz token-sort ratio from which two client names are the same client


def number_key(number: str) -> str:
    """An invoice number as payments are matched to it: without spaces, upper-cased."""
    return number.replace(" ", "").upper()


@dataclass
class PaidState:
    """An invoice a payment table may pay: where it is, whose it is, and its payment state (paid date, amount paid
    short of the total, date of the latest payment) as this import has made it so far."""

    key: tuple  # ("stored", id) or ("planned", its position in `Plan.invoices`)
    client_ref: Any
    client_name: str
    issue_date: datetime.date
    total: Decimal
    currency: str
    now: tuple
    seen: set = field(default_factory=set)  # (date, amount) of the payments it has had


def _candidates(planner, keys: list[str]) -> dict[str, list[PaidState]]:
    """The invoices numbered as `keys`, stored or planned by this import, each as its `PaidState` (the one this
    import already holds for it, if an earlier table paid it)."""
    plan = planner.plan
    found: dict[str, list[PaidState]] = {}
    wanted = set(keys)
    for row in planner.uow.imports.invoices_numbered(keys):
        key = ("stored", row["id"])
        state = plan.paid.get(key)
        if state is None:
            paid = (row["paid_date"], row["paid_amount"], row["last_paid_on"])
            state = PaidState(key, row["client_number"], row["client_name"] or "", row["issue_date"],
                              abs(row["total"]), row["currency"], paid, {(d, a) for d, a in row["paid"]})  # fmt: skip
        found.setdefault(row["number_key"], []).append(state)
    for position, invoice in enumerate(plan.invoices):
        number = number_key(invoice["number"])
        if number not in wanted:
            continue
        key = ("planned", position)
        state = plan.paid.get(key)
        if state is None:
            ref = invoice["client_ref"]
            name = plan.new_cards.name_of(ref) if isinstance(ref, str) else planner._existing_card(ref).display_name
            paid = (invoice["paid_date"], invoice.get("paid_amount"), invoice.get("last_paid_on"))
            state = PaidState(key, ref, name, invoice["issue_date"], abs(invoice["total"]), invoice["currency"], paid)
        found.setdefault(number, []).append(state)
    return found


def _of_client(found: list[PaidState], ref, name: str) -> list[PaidState]:
    if ref is not None:
        return [s for s in found if s.client_ref == ref]
    folded = fold(name)
    return [s for s in found if folded and fuzz.token_sort_ratio(fold(s.client_name), folded) >= SAME_CLIENT]


def plan_payment_table(planner, source: str, header: list[str], rows: list[list[str]], row_numbers: list[int],
                       mapping: Mapping) -> None:  # fmt: skip
    """Plan every row of a payment table: the invoice it pays ("update"), the same payment again ("skip"), or
    why it pays none ("reject": no such invoice, several, a bad date or amount)."""
    targets = [mapping.targets()[h] for h in header]
    cells = TargetCells(header, rows, targets, ("invoice_date", "invoice_paid_date"))
    client_targets = cells.client_targets()
    names_client = any(target != F.IGNORE for target in client_targets)
    amount_of = "payment_amount" if "payment_amount" in cells.col else "invoice_total"
    lang, plan = planner.options.lang, planner.plan
    candidates = _candidates(planner, sorted({number_key(cells(row, "invoice_number")) for row in rows} - {""}))
    for row, line in zip(rows, row_numbers, strict=True):
        outcome = Outcome(source, line, "reject", row, header)
        plan.outcomes.append(outcome)
        text = {target: cells(row, target) for target in ("invoice_number", "invoice_paid_date", "invoice_date")}
        number, amount_text = text["invoice_number"], cells(row, amount_of)
        paid_on = cells.date(row, "invoice_paid_date")
        issued = cells.date(row, "invoice_date") if text["invoice_date"] else None
        amount = parse_amount(amount_text) if amount_text else None
        problems = [(target, value, key) for target, value, key in (
            ("invoice_number", number, "" if number else "import.msg.no_invoice_number"),
            ("invoice_paid_date", text["invoice_paid_date"], "" if paid_on else
             "import.msg.bad_date" if text["invoice_paid_date"] else "import.msg.no_paid_date"),
            (amount_of, amount_text, "import.msg.bad_amount" if amount_text and amount is None else ""),
            ("invoice_date", text["invoice_date"], "import.msg.bad_date" if text["invoice_date"] and not issued else ""),
        ) if key]  # fmt: skip
        for target, value, key in problems:
            outcome.messages.append(Message(cells.column(target), value, t(key, lang, value=value)))
        if problems:
            continue
        found = candidates.get(number_key(number), [])
        chosen = found
        if names_client and found:
            client, ref = planner.invoice_client(cells, row, client_targets)
            if client.rejected:  # no name: its tax code, VAT number or e-mail may still say whose it is
                ref, name = planner.index.find(client.values), ""
            else:
                name = planner._card_from(client).display_name
            chosen = _of_client(found, ref, name) or found
            if chosen is found and (ref is not None or name):
                outcome.flagged = True
                others = ", ".join(sorted({s.client_name for s in found}))
                outcome.messages.append(Message("", name, t("import.msg.payment_other_client", lang, number=number,
                                                             client=others)))  # fmt: skip
        if issued is not None:
            chosen = [s for s in chosen if s.issue_date == issued]
        if len(chosen) > 1:
            chosen = [s for s in chosen if s.issue_date <= paid_on] or chosen
        if len(chosen) != 1:
            key = "import.msg.payment_no_invoice" if not chosen else "import.msg.payment_ambiguous"
            outcome.flagged = False
            outcome.messages.append(Message(cells.column("invoice_number"), number,
                                            t(key, lang, number=number, count=len(chosen))))  # fmt: skip
            continue
        _pay(plan, outcome, chosen[0], number, paid_on, amount, lang)


def _pay(plan, outcome: Outcome, state: PaidState, number: str, paid_on: datetime.date, amount: Decimal | None,
         lang: str) -> None:  # fmt: skip
    """Apply one payment to an invoice's state, and record it in the plan."""
    outcome.ref = state.client_ref

    def money(amount: Decimal) -> str:
        return format_money(amount, state.currency, lang)

    paid_date, paid_amount, last_paid_on = state.now
    if (paid_on, amount) in state.seen or (amount is None and paid_date == paid_on):
        outcome.action, outcome.duplicate, outcome.flagged = "skip", True, False  # this payment, already had
        return
    if paid_date is not None:
        outcome.action, outcome.duplicate, outcome.flagged = "skip", True, True
        outcome.messages.append(Message("", number, t("import.msg.already_paid", lang, number=number,
                                                      date=format_date(paid_date, lang))))  # fmt: skip
        return
    latest = max(paid_on, last_paid_on) if last_paid_on else paid_on
    so_far = (paid_amount or Decimal(0)) + amount if amount is not None else None
    if so_far is None or so_far >= state.total - CENT:
        after = (latest, None, latest)
        if so_far is not None and so_far > state.total + CENT:
            outcome.flagged = True
            outcome.messages.append(Message("", str(so_far), t("import.msg.paid_more", lang, number=number,
                                                               paid=money(so_far), total=money(state.total))))  # fmt: skip
    else:
        after = (None, so_far, latest)
        outcome.flagged = True
        outcome.messages.append(Message("", str(amount), t("import.msg.paid_part", lang, number=number,
                                                           paid=money(so_far), total=money(state.total))))  # fmt: skip
    plan.payments.append((state.key, paid_on, amount, state.now, after))
    state.now = after
    state.seen.add((paid_on, amount))
    plan.paid[state.key] = state
    if state.key[0] == "planned":  # an invoice this import adds: it is written as paid
        invoice = plan.invoices[state.key[1]]
        invoice["paid_date"], invoice["paid_amount"], invoice["last_paid_on"] = after
    outcome.action = "update"


def write_payments(uow: UnitOfWork, plan, batch_id: int, numbers: dict) -> None:
    """Write the payment states of the stored invoices the plan pays, and a record of every payment (the invoices
    the same batch adds are written with theirs already: `numbers` gives their cards' numbers)."""
    if not plan.payments:
        return
    ids = uow.imports.invoice_ids(batch_id) if any(key[0] == "planned" for key in plan.paid) else {}

    def invoice_id(key: tuple) -> int:
        if key[0] == "stored":
            return key[1]
        invoice = plan.invoices[key[1]]
        ref = invoice["client_ref"]
        return ids[(numbers[ref] if isinstance(ref, str) else ref, invoice["number"], invoice["issue_date"])]

    names = ("paid_date", "paid_amount", "last_paid_on")
    uow.imports.set_paid([{"id": key[1], **dict(zip(names, state.now, strict=True))}
                          for key, state in plan.paid.items() if key[0] == "stored"])  # fmt: skip
    uow.imports.add_payment_items([
        {"batch_id": batch_id, "seq": seq, "invoice_id": invoice_id(key), "paid_on": paid_on, "amount": amount,
         **{f"previous_{n}": v for n, v in zip(names, before, strict=True)}, **dict(zip(names, after, strict=True))}
        for seq, (key, paid_on, amount, before, after) in enumerate(plan.payments)
    ])  # fmt: skip


__all__ = ["number_key", "plan_payment_table", "write_payments"]
