"""MATCH and COMMIT: turns read and mapped tables into a plan (`importers.plan`), then writes it in one
transaction, and takes a batch back (undo).

Client tables are planned column by column (`importers.client_table`); `add_client_table_by_rows` and
`place_card` state the same rules one row at a time, for e-invoices and invoice tables and as the reference
the tests hold the column-wise planner to.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from core.errors import CartellaError
from core.i18n import t
from core.models import EDITABLE_FIELDS, Client
from core.services import current_user, now
from core.store.repository import insert_stored
from core.store.uow import UnitOfWork
from core.validation import missing_fields
from importers import fields as F
from importers.client_table import plan_client_table
from importers.mapping import Mapping
from importers.match import build_index
from importers.normalise import clean, date_order, parse_amount
from importers.payments import plan_payment_table, write_payments
from importers.plan import Outcome, Plan
from importers.rows import CardRow, Message, TargetCells, card_row, review_reason

ON_DUPLICATE = ("update", "skip", "create")


class ImportError_(CartellaError):
    code = "import.error"


@dataclass
class Options:
    on_duplicate: str = "update"
    strict: bool = False
    unmapped: str = F.CUSTOM
    lang: str = "en"
    region: str = "IT"
    user: str | None = None
    on_duplicate_of: dict[str, str] = field(default_factory=dict)  # {table source: its own on_duplicate}

    def for_table(self, source: str) -> Options:
        """The options a table is planned with: its own `on_duplicate`, where one was chosen for it."""
        policy = self.on_duplicate_of.get(source)
        if policy is None or policy == self.on_duplicate:
            return self
        if policy not in ON_DUPLICATE:
            raise ValueError(f"on_duplicate must be one of {ON_DUPLICATE}")
        return dataclasses.replace(self, on_duplicate=policy, on_duplicate_of={})


# ---------------------------------------------------------------- planning


def _merge(old: dict, new: dict) -> dict:
    """Imported values fill and replace; lists are united; nothing already on the card is blanked."""
    merged = dict(old)
    for name in (*EDITABLE_FIELDS, "custom_fields"):
        value = new.get(name)
        if value in (None, "", [], {}, False):
            continue
        if isinstance(value, list):
            merged[name] = list(dict.fromkeys([*(old.get(name) or []), *value]))
        elif isinstance(value, dict):
            merged[name] = {**(old.get(name) or {}), **value}
        elif name == "notes" and old.get("notes") and value not in old["notes"]:
            merged[name] = f"{old['notes']}\n{value}"
        else:
            merged[name] = value
    return merged


class Planner:
    def __init__(self, uow: UnitOfWork, options: Options, plan: Plan | None = None) -> None:
        if options.on_duplicate not in ON_DUPLICATE:
            raise ValueError(f"on_duplicate must be one of {ON_DUPLICATE}")
        self.uow = uow
        self.options = options
        self.plan = Plan() if plan is None else plan
        self.index = build_index(uow)
        self._existing: dict[int, Client] = {}
        self._invoice_keys = uow.imports.invoice_keys()
        self._invoice_rows: dict[tuple, dict] = {}

    # cards ------------------------------------------------------------
    def _existing_card(self, number: int) -> Client:
        if number not in self._existing:
            self._existing.update(self.uow.imports.get_many([number]))
        return self._existing[number]

    def _card_from(self, row: CardRow) -> Client:
        check = row.check
        extra = {"custom_fields": row.custom, "missing_fields": check.missing_fields,
                 "active": row.values.get("active", True)}  # fmt: skip
        reasons = [r for r in (row.values.get(F.REVIEW, ""), review_reason(row) if row.flagged else "") if r]
        if reasons:
            extra.update(needs_review=True, review_reason="; ".join(reasons))
        return Client(**check.values, **extra)

    def place_card(self, outcome: Outcome, row: CardRow) -> None:
        """Decide create / update / skip for a checked row, and record it in the plan."""
        card = self._card_from(row)
        values = {**card.model_dump(), "display_name": card.display_name}
        ref = self.index.find(values)
        likely = None if ref is not None else self.index.likely(values)
        outcome.flagged = row.flagged
        if ref is None:
            if likely is not None:
                outcome.duplicate = outcome.flagged = True
                label = likely if isinstance(likely, int) else self.plan.new_cards.name_of(likely)
                note = t("import.msg.likely_duplicate", self.options.lang, other=label)
                outcome.messages.append(Message("", card.display_name, note))
                card = card.model_copy(
                    update={"needs_review": True, "review_reason": "; ".join(filter(None, [card.review_reason, note]))}
                )
            self._create(outcome, card, values)
            return
        outcome.duplicate = True
        if self.options.on_duplicate == "skip":
            outcome.action, outcome.ref, outcome.flagged = "skip", ref, False
        elif self.options.on_duplicate == "create":
            self._create(outcome, card, values)
        else:
            self._update(outcome, ref, card)

    def _create(self, outcome: Outcome, card: Client, values: dict) -> None:
        ref = f"new:{len(self.plan.new_cards)}"
        self.plan.new_cards[ref] = card
        self.index.add(ref, values)
        outcome.action, outcome.ref = "create", ref

    def _update(self, outcome: Outcome, ref, card: Client) -> None:
        if isinstance(ref, str):  # a card this same import creates: merge into it
            before = self.plan.new_cards[ref]
            if isinstance(before, dict):
                before = Client(**before)
            merged = self._merged(before, card)
            changed = merged != before
            self.plan.new_cards[ref] = merged
        else:
            before = self.plan.updates[ref][1] if ref in self.plan.updates else self._existing_card(ref)
            merged = self._merged(before, card)
            changed = merged != before
            if changed:
                original = self.plan.updates[ref][0] if ref in self.plan.updates else before
                self.plan.updates[ref] = (original, merged)
        outcome.action, outcome.ref = ("update" if changed else "skip"), ref
        if not changed:
            outcome.flagged = False  # nothing of this row was written

    def _merged(self, before: Client, incoming: Client) -> Client:
        data = _merge(before.model_dump(), incoming.model_dump())  # both sides already checked: no re-check
        review = incoming.needs_review or before.needs_review
        reason = "; ".join(filter(None, dict.fromkeys([before.review_reason, incoming.review_reason])))
        return before.model_copy(
            update={**{k: data[k] for k in (*EDITABLE_FIELDS, "custom_fields")},
                    "missing_fields": missing_fields(data), "needs_review": review, "review_reason": reason}
        )  # fmt: skip

    # client tables ----------------------------------------------------
    def add_client_table(self, source: str, header: list[str], rows: list[list[str]], row_numbers: list[int],
                         mapping: Mapping, progress: Callable[[int], None] | None = None) -> None:  # fmt: skip
        """Plan a client table column by column (`importers.client_table`), as `add_client_table_by_rows` would."""
        plan_client_table(self, source, header, rows, row_numbers, mapping, progress)

    def add_client_table_by_rows(self, source: str, header: list[str], rows: Iterable[list[str]], row_numbers: list[int],
                         mapping: Mapping, progress: Callable[[int], None] | None = None) -> None:  # fmt: skip
        targets = [mapping.targets()[h] for h in header]
        rows = list(rows)
        orders = {
            i: date_order(clean(r[i]) for r in rows if i < len(r))
            for i, target in enumerate(targets)
            if target in ("birth_date", "invoice_date", "invoice_paid_date")
        }
        for n, (row, line) in enumerate(zip(rows, row_numbers, strict=True)):
            outcome = Outcome(source, line, "reject", row, header)
            self.plan.outcomes.append(outcome)
            checked = card_row(header, row, targets, date_orders=orders, strict=self.options.strict,
                               lang=self.options.lang, region=self.options.region, unmapped=self.options.unmapped)  # fmt: skip
            outcome.messages.extend(checked.messages)
            if checked.rejected:
                outcome.flagged = False
            else:
                self.place_card(outcome, checked)
            if progress and n % 1000 == 0:
                progress(n)

    # tables of no client records ---------------------------------------
    def add_other_table(self, source: str, header: list[str], rows: Sequence[list[str]], row_numbers: list[int],
                        mapping: Mapping) -> None:  # fmt: skip
        """A known program's table that holds no client records (`Mapping.table_kind` "other"): every row is
        rejected, with what the table is, unless the user maps its columns."""
        profile = F.PROFILES[mapping.profile]
        said = t(profile["not_clients"], self.options.lang, program=profile["label"])
        for index, line in enumerate(row_numbers):
            outcome = Outcome(source, line, "reject", None, header, rows=rows, index=index)
            outcome.messages.append(Message("", "", said))
            self.plan.outcomes.append(outcome)

    # invoice history --------------------------------------------------
    def add_invoice(self, outcome: Outcome, client_row: CardRow | None, client_ref, invoice: dict, *,
                    lines: bool = False, issuer: str = "") -> None:  # fmt: skip
        """Link an invoice to its card (creating a quick card when none matches) and plan it. With `lines` the
        rows of one invoice (same card, number and date) are its lines, summed; else each is the whole document,
        and the same document again (from the same `issuer`, when known) is counted once."""
        if client_ref is None and client_row is not None and not client_row.rejected:
            card_outcome = Outcome(outcome.file, outcome.row, "reject", [], [])
            self.place_card(card_outcome, client_row)
            client_ref = card_outcome.ref
            outcome.flagged = outcome.flagged or card_outcome.flagged
            outcome.messages.extend(card_outcome.messages)
        if client_ref is None:
            outcome.action = "reject"
            outcome.messages.append(
                Message("", invoice.get("number", ""), t("import.msg.no_client", self.options.lang))
            )
            return
        key = (client_ref, invoice["number"], invoice["issue_date"], issuer)
        existing_key = (client_ref, invoice["number"], invoice["issue_date"]) if isinstance(client_ref, int) else None
        if existing_key in self._invoice_keys:
            outcome.action, outcome.duplicate, outcome.ref = "skip", True, client_ref
            return
        if key in self._invoice_rows and not lines:  # the same document twice (a file exported twice, say)
            outcome.action, outcome.duplicate, outcome.ref = "skip", True, client_ref
            outcome.messages.append(Message("", invoice["number"], t("import.msg.same_document", self.options.lang,
                                                                     number=invoice["number"])))  # fmt: skip
            return
        if key in self._invoice_rows:  # one more line of an invoice already planned (one row per line item)
            planned = self._invoice_rows[key]
            for name in ("net", "vat", "total"):
                if invoice.get(name) is not None:
                    planned[name] = (planned.get(name) or Decimal(0)) + invoice[name]
            outcome.action, outcome.ref = "update", client_ref
            return
        invoice = {"paid_amount": None, "last_paid_on": None, **invoice, "client_ref": client_ref}
        self._invoice_rows[key] = invoice
        self.plan.invoices.append(invoice)
        outcome.action, outcome.ref = "create", client_ref

    def invoice_client(self, cells: TargetCells, row: list[str], targets: list[str]) -> tuple[CardRow, object]:
        """The client an invoice table's row names (`cells.client_targets()`), and the card it finds (None for
        none: the row's card is then flagged, to be created from the invoice history)."""
        lang = self.options.lang
        client = card_row(cells.header, row, targets, date_orders={}, strict=False, lang=lang,
                          region=self.options.region, unmapped=F.IGNORE)  # fmt: skip
        client.flagged = False  # an invoice row's client details are not a card to review
        client.messages = []
        ref = None
        if not client.rejected:
            card = self._card_from(client)
            ref = self.index.find({**card.model_dump(), "display_name": card.display_name})
            if ref is None:
                client.flagged = True
                client.messages = [Message("", card.display_name, t("import.msg.card_from_invoice", lang))]
        return client, ref

    def add_invoice_table(self, source: str, header: list[str], rows: list[list[str]], row_numbers: list[int],
                          mapping: Mapping) -> None:  # fmt: skip
        targets = [mapping.targets()[h] for h in header]
        cells = TargetCells(header, rows, targets, ("invoice_date", "invoice_paid_date"))
        client_targets = cells.client_targets()
        # a program known to export whole documents, one a row, repeats none; any other table may list lines
        lines = mapping.profile is None or F.PROFILES[mapping.profile].get("lines", False)
        currency = F.PROFILES[mapping.profile].get("currency", "EUR") if mapping.profile else "EUR"
        lang = self.options.lang
        for row, line in zip(rows, row_numbers, strict=True):
            outcome = Outcome(source, line, "reject", row, header)
            self.plan.outcomes.append(outcome)
            number = cells(row, "invoice_number")
            total, net, vat = (_amount_of_lines(cells(row, target)) for target in ("invoice_total", "invoice_net",
                                                                                   "invoice_vat"))  # fmt: skip
            issue_date = cells.date(row, "invoice_date")
            if total is None and net is not None:
                total = net + (vat or Decimal(0))
            problems = [(h, k) for h, k in (
                ("invoice_number", "import.msg.no_invoice_number" if not number else ""),
                ("invoice_date", "import.msg.bad_date" if issue_date is None else ""),
                ("invoice_total", "import.msg.bad_amount" if total is None else ""),
            ) if k]  # fmt: skip
            if problems:
                for target, key in problems:
                    value = cells(row, target)
                    outcome.messages.append(Message(cells.column(target), value, t(key, lang, value=value)))
                continue
            client, ref = self.invoice_client(cells, row, client_targets)
            kept = set(F.INVOICE_TARGETS) - {"payment_amount"}  # what the invoice holds; the rest is kept as read
            extra = {h: clean(row[i]) for i, h in enumerate(header)
                     if i < len(row) and clean(row[i]) and targets[i] not in kept}  # fmt: skip
            invoice = {
                "number": number, "issue_date": issue_date, "document_type": "TD01", "currency": currency,
                "net": net, "vat": vat, "total": total, "paid_date": cells.date(row, "invoice_paid_date"),
                "source": source, "extra": json.dumps(extra, ensure_ascii=False),
            }  # fmt: skip
            self.add_invoice(outcome, client, ref, invoice, lines=lines)

    def add_payment_table(self, source: str, header: list[str], rows: list[list[str]], row_numbers: list[int],
                          mapping: Mapping) -> None:  # fmt: skip
        """Payments of invoices in the history (`importers.payments`)."""
        plan_payment_table(self, source, header, rows, row_numbers, mapping)


def _amount_of_lines(text: str) -> Decimal | None:
    """An amount, or the sum of the amounts of a document's lines ("10.00; 5.00", as nested lines are read from
    XML); None when any part is not an amount."""
    parts = [parse_amount(part) for part in text.split(";")] if ";" in text else [parse_amount(text)]
    return None if any(p is None for p in parts) else sum(parts, Decimal(0))


# ---------------------------------------------------------------- commit and undo


def _changes(before: dict, after: dict) -> dict:
    def plain(v):
        return v.isoformat() if isinstance(v, (datetime.date, datetime.datetime)) else v

    return {n: [plain(before.get(n)), plain(after.get(n))] for n in EDITABLE_FIELDS if before.get(n) != after.get(n)}


def commit(uow: UnitOfWork, plan: Plan, options: Options, at: datetime.datetime | None = None) -> int:
    """Write the plan inside the caller's unit of work (not committed here). Returns the batch id."""
    at = at or now()
    user = current_user() if options.user is None else options.user
    batch_id = uow.imports.new_batch_id()
    refs = list(plan.new_cards)
    numbers = dict(zip(refs, uow.imports.new_numbers(len(refs)), strict=True))
    # block by block: a million cards in one statement would be about 1 s quicker but hold some 450 MB more
    with uow.imports.bulk_writing():
        for batch in plan.new_cards.stored_batches(numbers):
            insert_stored(uow.cursor, batch, skip_unnumbered=True, created_at=at, updated_at=at, version=1)
    uow.imports.add_created(batch_id, list(numbers.values()), at, user, json.dumps({"import": [None, batch_id]}))
    history, items = [], []
    for number, (original, merged) in plan.updates.items():
        saved = uow.clients.save(merged.model_copy(update={"updated_at": at}), original.version)
        changes = _changes(original.model_dump(), merged.model_dump())
        changes["import"] = [None, batch_id]
        history.append({"client_number": number, "changed_at": at, "user_name": user, "action": "changed",
                        "changes": json.dumps(changes, default=str)})  # fmt: skip
        items.append({"batch_id": batch_id, "client_number": number, "action": "updated",
                      "previous": original.model_dump_json(), "version_after": saved.version})  # fmt: skip
    uow.imports.add_history(history)
    uow.imports.add_items(items)
    invoices = []
    for invoice in plan.invoices:
        ref = invoice["client_ref"]
        number = numbers[ref] if isinstance(ref, str) else ref
        invoices.append({**{k: v for k, v in invoice.items() if k != "client_ref"}, "client_number": number,
                         "batch_id": batch_id})  # fmt: skip
    uow.imports.add_invoices(invoices)
    write_payments(uow, plan, batch_id, numbers)
    uow.imports.refresh_last_invoice_dates(sorted({i["client_number"] for i in invoices}))
    chosen = {"on_duplicate": options.on_duplicate, "strict": options.strict, "unmapped": options.unmapped}
    if options.on_duplicate_of:
        chosen["on_duplicate_of"] = options.on_duplicate_of
    uow.imports.add_batch(batch_id, at, user, plan.files, chosen, plan.counts())
    return batch_id


def undo(uow: UnitOfWork, batch_id: int, at: datetime.datetime | None = None) -> dict[str, list[int]]:
    """Take a batch back: cards it created are removed, cards it updated get their previous values back.

    A card edited by hand after the import is left as it is (and listed under 'kept'), so undo never
    destroys later work.
    """
    at = at or now()
    batch = uow.imports.batch(batch_id)
    if batch is None:
        raise ImportError_("import.undo.unknown", batch=batch_id)
    if batch["status"] == "undone":
        raise ImportError_("import.undo.already", batch=batch_id)
    result = {"removed": [], "restored": [], "kept": []}
    uow.imports.delete_batch_invoices(batch_id)
    result["unpaid"] = uow.imports.undo_payments(batch_id)  # invoices given their payment state back
    items = uow.imports.batch_items(batch_id)
    current = uow.imports.get_many([i[0] for i in items])
    for number, action, previous, version_after in items:
        card = current.get(number)
        if card is None:
            continue
        if card.version != version_after:
            result["kept"].append(number)
        elif action == "created":
            uow.clients.purge([number])
            result["removed"].append(number)
        else:
            before = Client.model_validate_json(previous)
            uow.clients.save(before.model_copy(update={"version": card.version, "updated_at": at}), card.version)
            uow.history.add_raw(number, at, current_user(), "changed", {"undo_import": [batch_id, None]})
            result["restored"].append(number)
    invoice_clients = [n for n in current if n not in result["removed"]]
    uow.imports.refresh_last_invoice_dates(invoice_clients)
    uow.imports.mark_undone(batch_id, at)
    return result
