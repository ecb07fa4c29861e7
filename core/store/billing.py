"""Services, sessions, invoices and payments over one DuckDB cursor (inside a unit of work)."""

from __future__ import annotations

import datetime
import json

import duckdb

from core.billing import Invoice, InvoiceLine, Payment, Service, Session
from core.errors import CodedError

_INVOICE_COLUMNS = tuple(n for n in Invoice.model_fields if n not in ("lines", "practice"))
_LINE_COLUMNS = tuple(InvoiceLine.model_fields)
_SERVICE_COLUMNS = tuple(Service.model_fields)
_SESSION_COLUMNS = tuple(Session.model_fields)
_PAYMENT_COLUMNS = tuple(Payment.model_fields)


def _names(columns) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _marks(columns) -> str:
    return ", ".join("?" for _ in columns)


class BillingRepository:
    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor

    # services -------------------------------------------------------------------------------------
    def save_service(self, service: Service) -> Service:
        if service.id is None:
            service = service.model_copy(update={"id": self._next("service_seq")})
        data = service.model_dump()
        self.cursor.execute(
            f"INSERT OR REPLACE INTO services ({_names(_SERVICE_COLUMNS)}) VALUES ({_marks(_SERVICE_COLUMNS)})",
            [data[c] for c in _SERVICE_COLUMNS],
        )
        return service

    def services(self, *, include_inactive: bool = False) -> list[Service]:
        where = "" if include_inactive else "WHERE active"
        rows = self.cursor.execute(f"SELECT {_names(_SERVICE_COLUMNS)} FROM services {where} ORDER BY name").fetchall()
        return [Service(**dict(zip(_SERVICE_COLUMNS, r, strict=True))) for r in rows]

    def service(self, service_id: int) -> Service | None:
        row = self.cursor.execute(f"SELECT {_names(_SERVICE_COLUMNS)} FROM services WHERE id = ?", [service_id])
        row = row.fetchone()
        return Service(**dict(zip(_SERVICE_COLUMNS, row, strict=True))) if row else None

    # sessions -------------------------------------------------------------------------------------
    def add_session(self, session: Session) -> Session:
        session = session.model_copy(update={"id": self._next("session_seq")})
        data = session.model_dump()
        self.cursor.execute(
            f"INSERT INTO sessions ({_names(_SESSION_COLUMNS)}) VALUES ({_marks(_SESSION_COLUMNS)})",
            [data[c] for c in _SESSION_COLUMNS],
        )
        return session

    def sessions(self, client_number: int, ids: list[int] | None = None) -> list[Session]:
        sql = f"SELECT {_names(_SESSION_COLUMNS)} FROM sessions WHERE client_number = ?"
        params: list = [client_number]
        if ids is not None:
            sql += " AND id IN (SELECT unnest(?))"
            params.append(ids)
        rows = self.cursor.execute(sql + " ORDER BY session_date DESC, id DESC", params).fetchall()
        return [Session(**dict(zip(_SESSION_COLUMNS, r, strict=True))) for r in rows]

    def session(self, session_id: int) -> Session:
        row = self.cursor.execute(f"SELECT {_names(_SESSION_COLUMNS)} FROM sessions WHERE id = ?", [session_id])
        row = row.fetchone()
        if row is None:
            raise CodedError("error.session_not_found", id=session_id)
        return Session(**dict(zip(_SESSION_COLUMNS, row, strict=True)))

    def set_session_status(self, session_id: int, status: str) -> None:
        self.cursor.execute("UPDATE sessions SET status = ? WHERE id = ? AND invoice_id IS NULL", [status, session_id])

    def link_sessions(self, ids: list[int], invoice_id: int | None) -> None:
        self.cursor.execute("UPDATE sessions SET invoice_id = ? WHERE id IN (SELECT unnest(?))", [invoice_id, ids])

    # invoices -------------------------------------------------------------------------------------
    def new_invoice_id(self) -> int:
        return self._next("invoice_seq")

    def add_invoice(self, invoice: Invoice, at: datetime.datetime) -> None:
        data = invoice.model_dump()
        names = (*_INVOICE_COLUMNS, "practice", "service_ids", "created_at", "updated_at")
        values = [data[c] for c in _INVOICE_COLUMNS]
        values += [json.dumps(invoice.practice, default=str), _service_ids(invoice), at, at]
        self.cursor.execute(f"INSERT INTO invoices ({_names(names)}) VALUES ({_marks(names)})", values)
        self._write_lines(invoice)

    def save_invoice(self, invoice: Invoice, expected_version: int, at: datetime.datetime) -> Invoice:
        """Rewrite the invoice and its lines if nobody changed it since `expected_version`."""
        data = invoice.model_dump()
        names = [c for c in _INVOICE_COLUMNS if c not in ("id", "version")]
        assignments = ", ".join(f'"{n}" = ?' for n in names)
        row = self.cursor.execute(
            f"UPDATE invoices SET {assignments}, practice = ?, service_ids = ?, updated_at = ?, version = version + 1 "
            "WHERE id = ? AND version = ? RETURNING version",
            [data[n] for n in names]
            + [json.dumps(invoice.practice, default=str), _service_ids(invoice), at, invoice.id, expected_version],
        ).fetchone()
        if row is None:
            self.invoice(invoice.id)  # raises when it is gone
            raise CodedError("error.invoice_changed", number=invoice.number or invoice.id)
        self.cursor.execute("DELETE FROM invoice_lines WHERE invoice_id = ?", [invoice.id])
        self._write_lines(invoice)
        return invoice.model_copy(update={"version": row[0]})

    def _write_lines(self, invoice: Invoice) -> None:
        names = ("invoice_id", "position", *_LINE_COLUMNS, "net")
        rows = [
            [invoice.id, i, *(line.model_dump()[c] for c in _LINE_COLUMNS), line.net]
            for i, line in enumerate(invoice.lines, start=1)
        ]
        if rows:
            self.cursor.executemany(f"INSERT INTO invoice_lines ({_names(names)}) VALUES ({_marks(names)})", rows)

    def invoice(self, invoice_id: int) -> Invoice:
        row = self.cursor.execute(
            f"SELECT {_names(_INVOICE_COLUMNS)}, practice FROM invoices WHERE id = ?", [invoice_id]
        ).fetchone()
        if row is None:
            raise CodedError("error.invoice_not_found", id=invoice_id)
        data = dict(zip(_INVOICE_COLUMNS, row[:-1], strict=True))
        data["practice"] = json.loads(row[-1] or "{}")
        lines = self.cursor.execute(
            f"SELECT {_names(_LINE_COLUMNS)} FROM invoice_lines WHERE invoice_id = ? ORDER BY position", [invoice_id]
        ).fetchall()
        data["lines"] = [InvoiceLine(**dict(zip(_LINE_COLUMNS, r, strict=True))) for r in lines]
        return Invoice(**data)

    def next_seq(self, year: int) -> int:
        """The next number of the year: one more than the highest, so numbers never skip or repeat."""
        (last,) = self.cursor.execute("SELECT coalesce(max(seq), 0) FROM invoices WHERE year = ?", [year]).fetchone()
        return last + 1

    def last_issue_date(self, year: int) -> datetime.date | None:
        return self.cursor.execute(
            "SELECT max(issue_date) FROM invoices WHERE year = ? AND status <> 'draft'", [year]
        ).fetchone()[0]

    def delete_invoice(self, invoice_id: int) -> None:
        self.cursor.execute("DELETE FROM invoice_lines WHERE invoice_id = ?", [invoice_id])
        self.cursor.execute("UPDATE sessions SET invoice_id = NULL WHERE invoice_id = ?", [invoice_id])
        self.cursor.execute("DELETE FROM invoices WHERE id = ?", [invoice_id])

    def has_issued(self, client_number: int) -> bool:
        (count,) = self.cursor.execute(
            "SELECT count(*) FROM invoices WHERE status <> 'draft' AND (client_number = ? OR payer_number = ?)",
            [client_number, client_number],
        ).fetchone()
        return count > 0

    def purge_clients(self, numbers: list[int]) -> None:
        """Remove drafts, sessions and imported history of purged cards (issued invoices block a delete)."""
        ids = "SELECT id FROM invoices WHERE client_number IN (SELECT unnest(?)) AND status = 'draft'"
        self.cursor.execute(f"DELETE FROM invoice_lines WHERE invoice_id IN ({ids})", [numbers])
        self.cursor.execute("DELETE FROM invoices WHERE id IN (" + ids + ")", [numbers])
        self.cursor.execute("DELETE FROM sessions WHERE client_number IN (SELECT unnest(?))", [numbers])
        self.cursor.execute("DELETE FROM imported_invoices WHERE client_number IN (SELECT unnest(?))", [numbers])

    def refresh_last_invoice_date(self, client_number: int) -> None:
        refresh_last_invoice_dates(self.cursor, [client_number])

    # payments -------------------------------------------------------------------------------------
    def add_payment(self, payment: Payment, at: datetime.datetime) -> Payment:
        """Record a payment; it carries its invoice's professional and services for the Finance filters."""
        payment = payment.model_copy(update={"id": self._next("payment_seq")})
        data = payment.model_dump()
        names = (*_PAYMENT_COLUMNS, "professional", "service_ids", "created_at")
        self.cursor.execute(
            f"""INSERT INTO payments ({_names(names)})
                SELECT {_marks(_PAYMENT_COLUMNS)}, i.professional, i.service_ids, ? FROM invoices i WHERE i.id = ?""",
            [data[c] for c in _PAYMENT_COLUMNS] + [at, payment.invoice_id],
        )
        self._refresh_paid(payment.invoice_id)
        return payment

    def delete_payment(self, payment_id: int) -> int | None:
        row = self.cursor.execute("DELETE FROM payments WHERE id = ? RETURNING invoice_id", [payment_id]).fetchone()
        if row:
            self._refresh_paid(row[0])
        return row[0] if row else None

    def payments(self, invoice_id: int) -> list[Payment]:
        rows = self.cursor.execute(
            f"SELECT {_names(_PAYMENT_COLUMNS)} FROM payments WHERE invoice_id = ? ORDER BY paid_on, id", [invoice_id]
        ).fetchall()
        return [Payment(**dict(zip(_PAYMENT_COLUMNS, r, strict=True))) for r in rows]

    def _refresh_paid(self, invoice_id: int) -> None:
        self.cursor.execute(
            """UPDATE invoices SET
                   paid = (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = ?),
                   bonus_paid = (SELECT coalesce(sum(amount), 0) FROM payments WHERE invoice_id = ? AND method = 'bonus')
               WHERE id = ?""",
            [invoice_id, invoice_id, invoice_id],
        )

    def _next(self, sequence: str) -> int:
        return self.cursor.execute(f"SELECT nextval('{sequence}')").fetchone()[0]


def _service_ids(invoice: Invoice) -> list[int]:
    return sorted({line.service_id for line in invoice.lines if line.service_id is not None})


def refresh_last_invoice_dates(cursor: duckdb.DuckDBPyConnection, numbers: list[int]) -> None:
    """Each card's last invoice date, from invoices made here and imported history alike."""
    if numbers:
        cursor.execute(
            """UPDATE clients SET last_invoice_date = (
                   SELECT max(issue_date) FROM invoice_facts f
                   WHERE f.client_number = clients.client_number AND f.doc_type = 'invoice')
               WHERE client_number IN (SELECT unnest(?))""",
            [numbers],
        )
