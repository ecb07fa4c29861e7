"""SQL of the import pipeline: the match index, batches and their undo records, invoice history, mappings."""

from __future__ import annotations

import contextlib
import datetime
import json
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

if TYPE_CHECKING:  # pandas is loaded by DuckDB when a frame is asked for, not by every import
    import pandas as pd

from core.store.billing import refresh_last_invoice_dates
from core.store.repository import CLIENT_COLUMNS, _quoted, client_from_row


class ImportRepository:
    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cursor = cursor

    @contextlib.contextmanager
    def bulk_writing(self):
        """Settings for writing many cards at once, restored after: DuckDB flushes each row group as it fills
        (a million cards held until the end would take some 450 MB more), and one thread writes (at a million
        cards, 5.2 s and 811 MB peak against 6.3 s and 860 MB with two threads; at 100,000, 0.18 against 0.27 s).
        Both settings belong to the database, so another session's queries meanwhile run on one thread too."""
        threads = self.cursor.execute("SELECT current_setting('threads')").fetchone()[0]
        self.cursor.execute("SET write_buffer_row_group_count = 1")
        self.cursor.execute("SET threads = 1")
        try:
            yield
        finally:
            self.cursor.execute("RESET write_buffer_row_group_count")
            self.cursor.execute(f"SET threads = {int(threads)}")

    def match_batches(self, size: int = 25_000):
        """Every card outside the trash, in the order they were stored, with what matching needs (its first phone
        as `phone`), as Arrow record batches of up to `size` cards (larger batches leave more memory scattered)."""
        yield from self.cursor.execute(
            """SELECT client_number, tax_code, vat_country, vat_number, emails, phones[1] AS phone, display_name,
                      postal_code, city
               FROM clients WHERE deleted_at IS NULL"""
        ).to_arrow_reader(size)

    def get_many(self, numbers: list[int]) -> dict:
        if not numbers:
            return {}
        rows = self.cursor.execute(
            f"SELECT {_quoted(CLIENT_COLUMNS)} FROM clients WHERE client_number IN (SELECT unnest(?))", [numbers]
        ).fetchall()
        cards = [client_from_row(r) for r in rows]
        return {c.client_number: c for c in cards}

    def new_numbers(self, count: int) -> list[int]:
        if count == 0:
            return []
        found = self.cursor.execute("SELECT nextval('client_number_seq') AS n FROM range(?)", [count]).fetchnumpy()
        return found["n"].tolist()

    def new_batch_id(self) -> int:
        return self.cursor.execute("SELECT nextval('import_batch_seq')").fetchone()[0]

    def add_batch(self, batch_id: int, at, user: str, files: list[str], options: dict, counts: dict) -> None:
        names = ("rows_read", "created", "updated", "skipped", "rejected", "flagged", "duplicates")
        self.cursor.execute(
            f"""INSERT INTO import_batches (batch_id, started_at, user_name, files, options, {", ".join(names)})
                VALUES (?, ?, ?, ?, ?, {", ".join("?" for _ in names)})""",
            [batch_id, at, user, json.dumps(files), json.dumps(options), *(counts[n] for n in names)],
        )

    def add_created(self, batch_id: int, numbers: list[int], at, user: str, changes: str) -> None:
        """The history entry and batch item of every card an import created, written in two statements."""
        if not numbers:
            return
        created = pa.table({"client_number": pa.array(numbers, pa.int32())})  # noqa: F841
        self.cursor.execute(
            "INSERT INTO client_history (client_number, changed_at, user_name, action, changes) "
            "SELECT client_number, ?, ?, 'created', ? FROM created",
            [at, user, changes],
        )
        self.cursor.execute(
            "INSERT INTO import_batch_items SELECT ?, client_number, 'created', NULL, 1 FROM created", [batch_id]
        )

    def add_items(self, items: list[dict]) -> None:
        if not items:
            return
        batch = pa.Table.from_pylist(  # noqa: F841
            items,
            schema=pa.schema([("batch_id", pa.int32()), ("client_number", pa.int32()), ("action", pa.string()),
                              ("previous", pa.string()), ("version_after", pa.int32())]),
        )  # fmt: skip
        self.cursor.execute("INSERT INTO import_batch_items SELECT * FROM batch")

    def add_history(self, entries: list[dict]) -> None:
        if not entries:
            return
        batch = pa.Table.from_pylist(  # noqa: F841
            entries,
            schema=pa.schema([("client_number", pa.int32()), ("changed_at", pa.timestamp("us")),
                              ("user_name", pa.string()), ("action", pa.string()), ("changes", pa.string())]),
        )  # fmt: skip
        self.cursor.execute(
            "INSERT INTO client_history (client_number, changed_at, user_name, action, changes) SELECT * FROM batch"
        )

    def invoice_keys(self) -> set[tuple]:
        rows = self.cursor.execute("SELECT client_number, number, issue_date FROM imported_invoices").fetchall()
        return set(rows)

    def add_invoices(self, invoices: list[dict]) -> None:
        if not invoices:
            return
        import pandas as pd

        frame = pd.DataFrame(invoices)  # noqa: F841
        self.cursor.execute(
            """INSERT INTO imported_invoices (batch_id, client_number, number, issue_date, document_type, currency,
                                              net, vat, total, paid_date, paid_amount, last_paid_on, source, extra)
               SELECT batch_id, client_number, number, issue_date, document_type, currency,
                      net::DECIMAL(18,2), vat::DECIMAL(18,2), total::DECIMAL(18,2), paid_date,
                      paid_amount::DECIMAL(18,2), last_paid_on::DATE, source, extra
               FROM frame"""
        )

    def invoices_numbered(self, keys: list[str]) -> list[dict]:
        """The imported invoices whose number, without spaces and upper-cased, is one of `keys`: each with its
        card's name and the payments imports applied to it (`paid`: [(date, amount)], undone imports left out)."""
        if not keys:
            return []
        frame = self.cursor.execute(
            """SELECT h.id, h.client_number, c.display_name AS client_name, h.number, h.issue_date, h.currency,
                      h.total, h.paid_date, h.paid_amount, h.last_paid_on,
                      upper(replace(h.number, ' ', '')) AS number_key,
                      coalesce((SELECT list((p.paid_on, p.amount) ORDER BY p.seq) FROM import_payment_items p
                                JOIN import_batches b USING (batch_id)
                                WHERE p.invoice_id = h.id AND b.status <> 'undone'), []) AS paid
               FROM imported_invoices h LEFT JOIN clients c USING (client_number)
               WHERE upper(replace(h.number, ' ', '')) IN (SELECT unnest(?))
               ORDER BY h.id""",
            [keys],
        ).fetchall()
        names = ("id", "client_number", "client_name", "number", "issue_date", "currency", "total", "paid_date",
                 "paid_amount", "last_paid_on", "number_key", "paid")  # fmt: skip
        return [dict(zip(names, row, strict=True)) for row in frame]

    def invoice_ids(self, batch_id: int) -> dict[tuple, int]:
        """{(client number, number, issue date): id} of the invoices a batch added."""
        rows = self.cursor.execute(
            "SELECT client_number, number, issue_date, min(id) FROM imported_invoices WHERE batch_id = ? GROUP BY ALL",
            [batch_id],
        ).fetchall()
        return {(c, n, d): i for c, n, d, i in rows}

    def set_paid(self, states: list[dict]) -> None:
        """Give imported invoices their payment state: [{id, paid_date, paid_amount, last_paid_on}]."""
        if not states:
            return
        batch = pa.Table.from_pylist(  # noqa: F841
            states, schema=pa.schema([("id", pa.int64()), ("paid_date", pa.date32()),
                                      ("paid_amount", pa.decimal128(18, 2)), ("last_paid_on", pa.date32())]),
        )  # fmt: skip
        self.cursor.execute(
            """UPDATE imported_invoices h SET paid_date = s.paid_date, paid_amount = s.paid_amount,
                                              last_paid_on = s.last_paid_on
               FROM batch s WHERE h.id = s.id"""
        )

    def add_payment_items(self, items: list[dict]) -> None:
        if not items:
            return
        date, money = pa.date32(), pa.decimal128(18, 2)
        batch = pa.Table.from_pylist(  # noqa: F841
            items,
            schema=pa.schema([("batch_id", pa.int32()), ("seq", pa.int32()), ("invoice_id", pa.int64()),
                              ("paid_on", date), ("amount", money), ("previous_paid_date", date),
                              ("previous_paid_amount", money), ("previous_last_paid_on", date), ("paid_date", date),
                              ("paid_amount", money), ("last_paid_on", date)]),
        )  # fmt: skip
        self.cursor.execute("INSERT INTO import_payment_items BY NAME SELECT * FROM batch")

    def undo_payments(self, batch_id: int) -> list[int]:
        """Put back the payment state of the invoices a batch paid, where no later change came after it; returns
        the ids of the invoices put back."""
        rows = self.cursor.execute(
            """WITH ends AS (
                   SELECT invoice_id, arg_min(previous_paid_date, seq) AS p_date,
                          arg_min(previous_paid_amount, seq) AS p_amount, arg_min(previous_last_paid_on, seq) AS p_on,
                          arg_max(paid_date, seq) AS a_date, arg_max(paid_amount, seq) AS a_amount,
                          arg_max(last_paid_on, seq) AS a_on
                   FROM import_payment_items WHERE batch_id = ? GROUP BY invoice_id)
               UPDATE imported_invoices h SET paid_date = e.p_date, paid_amount = e.p_amount, last_paid_on = e.p_on
               FROM ends e
               WHERE h.id = e.invoice_id AND h.paid_date IS NOT DISTINCT FROM e.a_date
                     AND h.paid_amount IS NOT DISTINCT FROM e.a_amount AND h.last_paid_on IS NOT DISTINCT FROM e.a_on
               RETURNING h.id""",
            [batch_id],
        ).fetchall()
        return sorted(r[0] for r in rows)

    def refresh_last_invoice_dates(self, numbers: list[int]) -> None:
        refresh_last_invoice_dates(self.cursor, numbers)

    def saved_mapping(self, signature: str) -> dict | None:
        row = self.cursor.execute("SELECT mapping FROM import_mappings WHERE signature = ?", [signature]).fetchone()
        return json.loads(row[0]) if row else None

    def save_mapping(self, signature: str, mapping: dict, at: datetime.datetime) -> None:
        self.cursor.execute(
            """INSERT INTO import_mappings (signature, mapping, updated_at) VALUES (?, ?, ?)
               ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at""",
            [signature, json.dumps(mapping), at],
        )

    def batch(self, batch_id: int) -> dict | None:
        frame = self.cursor.execute("SELECT * FROM import_batches WHERE batch_id = ?", [batch_id]).df()
        return None if frame.empty else frame.iloc[0].to_dict()

    def batch_items(self, batch_id: int) -> list[tuple]:
        return self.cursor.execute(
            "SELECT client_number, action, previous, version_after FROM import_batch_items WHERE batch_id = ?",
            [batch_id],
        ).fetchall()

    def delete_batch_invoices(self, batch_id: int) -> list[int]:
        rows = self.cursor.execute(
            "DELETE FROM imported_invoices WHERE batch_id = ? RETURNING client_number", [batch_id]
        ).fetchall()
        return sorted({r[0] for r in rows})

    def mark_undone(self, batch_id: int, at) -> None:
        self.cursor.execute(
            "UPDATE import_batches SET status = 'undone', undone_at = ? WHERE batch_id = ?", [at, batch_id]
        )


def list_batches(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return conn.cursor().execute("SELECT * FROM import_batches ORDER BY batch_id DESC").df()


def invoices_of(conn: duckdb.DuckDBPyConnection, client_number: int) -> pd.DataFrame:
    return (
        conn.cursor()
        .execute(
            """SELECT number, issue_date, document_type, currency, net, vat, total, paid_date, paid_amount, source
               FROM imported_invoices WHERE client_number = ? ORDER BY issue_date DESC, number DESC""",
            [client_number],
        )
        .df()
    )
