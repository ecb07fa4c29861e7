"""Demo billing: a psychologists' practice, its services, sessions, invoices and payments over two years.

Built with the same rules as real invoices (core.invoicing), numbered per year in date order, and written
in bulk (a few statements, not one per row) inside the demo's transaction.
"""

from __future__ import annotations

import datetime
import json
import random
from decimal import Decimal

from core.billing import Invoice, InvoiceLine, PracticeSettings, Service
from core.invoicing import with_totals, withholding_default
from core.models import Client

PRACTICE = PracticeSettings(
    name="Studio di Psicologia Dott.ssa Elena Conti",
    professional="Elena Conti",
    tax_code="CNTLNE80A41H501H",
    vat_number="12345670587",
    street="Via dei Mille 12",
    postal_code="00185",
    city="Roma",
    province="RM",
    email="studio@example.it",
    iban="IT60X0542811101000000123456",
    surcharge_rate=Decimal("2"),
    surcharge_label="Contributo integrativo ENPAP 2%",
    default_vat_nature="N4",
)
SERVICES = [
    Service(id=1, name="Colloquio psicologico individuale", price=Decimal("80.00"), vat_nature="N4"),
    Service(id=2, name="Colloquio di coppia", price=Decimal("110.00"), duration_minutes=75, vat_nature="N4"),
    Service(id=3, name="Valutazione psicodiagnostica", price=Decimal("200.00"), duration_minutes=120, vat_nature="N4"),
    Service(
        id=4, name="Formazione aziendale (giornata)", price=Decimal("600.00"), vat_rate=Decimal("22"), vat_nature=""
    ),
]
PROFESSIONALS = ("Elena Conti", "Marco Ferri")
MAX_BILLED_CLIENTS = 150


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = []
    for back in range(months, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        starts.append(datetime.date(year, month + 1, 1))
    return starts


def generate(cards: list[Client], seed: int, today: datetime.date) -> dict[str, list[dict]]:
    """Rows for services, sessions, invoices, invoice_lines and payments (plain dicts, Decimal money)."""
    rng = random.Random(seed + 7)
    # Client no. 1 (Giulia) stays unbilled: the first-time tour deletes and restores her.
    billed = [c for c in cards if c.active and c.deleted_at is None and c.client_number > 1][:MAX_BILLED_CLIENTS]
    sessions = []
    session_id = 0
    for card in billed:
        service = SERVICES[3] if card.kind != "private" else rng.choice(SERVICES[:3])
        professional = rng.choice(PROFESSIONALS)
        for month in _month_starts(today, rng.randint(2, 22))[:: rng.choice((1, 1, 2))]:
            for _ in range(rng.randint(1, 3 if card.kind == "private" else 1)):
                day = month + datetime.timedelta(days=rng.randint(0, 27))
                if day > today:
                    continue
                session_id += 1
                status = "done" if rng.random() > 0.06 else rng.choice(("cancelled", "no_show"))
                sessions.append(
                    {
                        "id": session_id,
                        "client_number": card.client_number,
                        "session_date": day,
                        "service_id": service.id,
                        "description": service.name,
                        "professional": professional,
                        "price": service.price,
                        "status": status,
                        "invoice_id": None,
                    }
                )
    # One invoice per client and month of done sessions; the last week's stay unbilled ("to bill").
    groups: dict[tuple, list[dict]] = {}
    for session in sessions:
        if session["status"] != "done":
            continue
        if session["session_date"] > today - datetime.timedelta(days=7):
            session["status"] = "to_bill"
            continue
        groups.setdefault((session["client_number"], session["session_date"].replace(day=1)), []).append(session)
    by_number = {c.client_number: c for c in billed}
    invoices = []
    for (number, _month), items in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        last = max(s["session_date"] for s in items)
        issue = min(today, last + datetime.timedelta(days=rng.randint(0, 4)))
        card = by_number[number]
        lines = [
            InvoiceLine(
                description=f"{s['description']} – {s['session_date']:%d/%m/%Y}",
                unit_price=s["price"],
                vat_rate=SERVICES[s["service_id"] - 1].vat_rate,
                vat_nature=SERVICES[s["service_id"] - 1].vat_nature,
                service_id=s["service_id"],
                session_id=s["id"],
            )
            for s in sorted(items, key=lambda s: s["session_date"])
        ]
        invoice = Invoice(
            client_number=number,
            issue_date=issue,
            due_date=issue + datetime.timedelta(days=PRACTICE.payment_days),
            withholding=withholding_default(PRACTICE, card.kind),
            professional=items[0]["professional"],
            lines=lines,
            status="issued",
        )
        invoice = with_totals(invoice, PRACTICE)
        if card.psych_bonus and rng.random() < 0.5:
            invoice = invoice.model_copy(update={"bonus_amount": min(invoice.amount_due, Decimal("50.00"))})
        invoices.append((invoice, items))
    return {"sessions": sessions, **_numbered(invoices, rng, today)}


def _numbered(invoices: list[tuple[Invoice, list[dict]]], rng: random.Random, today: datetime.date) -> dict:
    invoices.sort(key=lambda pair: pair[0].issue_date)
    seq: dict[int, int] = {}
    rows, lines, payments = [], [], []
    practice = PRACTICE.model_dump(mode="json")
    now = datetime.datetime.combine(today, datetime.time(9))
    for invoice_id, (invoice, items) in enumerate(invoices, start=1):
        year = invoice.issue_date.year
        seq[year] = seq.get(year, 0) + 1
        for item in items:
            item["invoice_id"] = invoice_id
        age = (today - invoice.issue_date).days
        received = []
        if rng.random() < (0.985 if age > 90 else 0.8 if age > 30 else 0.35):
            paid_on = min(today, invoice.issue_date + datetime.timedelta(days=rng.randint(0, 45)))
            remaining = invoice.amount_due
            if invoice.bonus_amount:
                received.append((invoice.bonus_amount, "bonus"))
                remaining -= invoice.bonus_amount
            if age < 60 and rng.random() < 0.2:  # partly paid, recently
                remaining = (remaining / 2).quantize(Decimal("0.01"))
            if remaining:
                received.append((remaining, rng.choice(("bank_transfer", "bank_transfer", "card", "cash"))))
            for amount, method in received:
                payments.append(
                    {
                        "id": len(payments) + 1,
                        "invoice_id": invoice_id,
                        "client_number": invoice.client_number,
                        "paid_on": paid_on,
                        "amount": amount,
                        "method": method,
                        "note": "",
                        "professional": invoice.professional,
                        "service_ids": sorted({line.service_id for line in invoice.lines if line.service_id}),
                        "created_at": now,
                    }
                )
        paid = sum((amount for amount, _ in received), Decimal("0.00"))
        bonus_paid = sum((amount for amount, method in received if method == "bonus"), Decimal("0.00"))
        number = f"{year}/{seq[year]:04d}"
        data = invoice.model_dump(exclude={"lines", "practice"})
        rows.append(
            {
                **data,
                "id": invoice_id,
                "year": year,
                "seq": seq[year],
                "number": number,
                "paid": paid,
                "bonus_paid": bonus_paid,
                "practice": json.dumps(practice),
                "service_ids": sorted({line.service_id for line in invoice.lines if line.service_id}),
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        for position, line in enumerate(invoice.lines, start=1):
            lines.append({"invoice_id": invoice_id, "position": position, **line.model_dump(), "net": line.net})
    return {"invoices": rows, "invoice_lines": lines, "payments": payments}


def write(cursor, cards: list[Client], seed: int, today: datetime.date) -> int:
    """Write the demo practice and its billing in the caller's transaction. Returns the invoices written."""
    import pyarrow as pa

    data = generate(cards, seed, today)
    cursor.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('practice', ?)", [PRACTICE.model_dump_json()])
    data["services"] = [s.model_dump() for s in SERVICES]
    for table, rows in data.items():
        if not rows:
            continue
        arrow = pa.Table.from_pylist(rows)  # noqa: F841 (read by DuckDB below)
        cursor.execute(f"INSERT INTO {table} BY NAME SELECT * FROM arrow")
    for table, sequence in (("services", "service_seq"), ("sessions", "session_seq"), ("invoices", "invoice_seq"),
                            ("payments", "payment_seq")):  # fmt: skip
        if data[table]:
            cursor.execute(f"SELECT max(nextval('{sequence}')) FROM range(?)", [len(data[table])])
    cursor.execute(
        """UPDATE clients SET last_invoice_date = f.last FROM
               (SELECT client_number, max(issue_date) AS last FROM invoices GROUP BY ALL) f
           WHERE clients.client_number = f.client_number"""
    )
    return len(data["invoices"])
