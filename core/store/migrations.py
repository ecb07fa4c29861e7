"""Numbered schema migrations, applied in order and recorded in `schema_migrations`.

Never edit a migration that has shipped: add the next number.
"""

from __future__ import annotations

# The parts of the money views that more than one migration states, written in as @NAME@ (`_with_views`).
_CARTELLA_INVOICE_FACTS = """
            SELECT 'cartella' AS origin, i.id, i.client_number, i.issue_date,
                   coalesce(i.due_date, i.issue_date) AS due_date, i.doc_type, i.professional,
                   (CASE WHEN i.doc_type = 'credit_note' THEN -1 ELSE 1 END) * i.net AS net,
                   (CASE WHEN i.doc_type = 'credit_note' THEN -1 ELSE 1 END) * i.total AS total,
                   (CASE WHEN i.doc_type = 'credit_note' THEN -1 ELSE 1 END) * i.amount_due AS amount_due,
                   (CASE WHEN i.doc_type = 'credit_note' THEN -1 ELSE 1 END) * i.paid AS paid,
                   i.status = 'cancelled' OR i.doc_type = 'credit_note' AS settled, i.service_ids,
                   CASE WHEN i.doc_type = 'invoice' THEN i.bonus_amount - i.bonus_paid ELSE 0 END AS bonus_open
            FROM invoices i WHERE i.status <> 'draft'
"""
_IMPORTED_INVOICE_FACTS = """
            UNION ALL
            SELECT 'imported', h.id, h.client_number, h.issue_date, CAST(h.issue_date + INTERVAL 30 DAY AS DATE),
                   CASE WHEN h.document_type = 'TD04' THEN 'credit_note' ELSE 'invoice' END, '',
                   (CASE WHEN h.document_type = 'TD04' THEN -1 ELSE 1 END)
                       * abs(coalesce(h.net, h.total - coalesce(h.vat, 0))),
                   (CASE WHEN h.document_type = 'TD04' THEN -1 ELSE 1 END) * abs(h.total),
                   (CASE WHEN h.document_type = 'TD04' THEN -1 ELSE 1 END) * abs(h.total),
"""
_CARTELLA_PAYMENT_FACTS = """
            SELECT 'cartella' AS origin, p.invoice_id, p.client_number, p.paid_on, p.amount, p.method,
                   p.professional, p.service_ids
            FROM payments p
"""


# What each payment an import applied (and that was not undone) added to its imported invoice's paid amount. Written
# into payment_facts as a subquery, not a CTE: DuckDB materialises a view's CTE at every read, and the amounts stay
# DECIMAL(18, 2) as payments' do (a CTE, or a widened type, took the monthly report from 76 to 100-200 ms at 5M
# invoices).
_IMPORTED_INSTALMENTS = """SELECT p.invoice_id, p.paid_on,
                   CASE WHEN p.paid_date IS NOT NULL THEN abs(h.total) ELSE coalesce(p.paid_amount, 0) END
                   - CASE WHEN p.previous_paid_date IS NOT NULL THEN abs(h.total)
                          ELSE coalesce(p.previous_paid_amount, 0) END AS amount
               FROM import_payment_items p
               JOIN import_batches b ON b.batch_id = p.batch_id AND b.status <> 'undone'
               JOIN imported_invoices h ON h.id = p.invoice_id"""


def _with_views(sql: str) -> str:
    for name, text in (("CARTELLA_INVOICE_FACTS", _CARTELLA_INVOICE_FACTS),
                       ("IMPORTED_INVOICE_FACTS", _IMPORTED_INVOICE_FACTS),
                       ("CARTELLA_PAYMENT_FACTS", _CARTELLA_PAYMENT_FACTS)):  # fmt: skip
        sql = sql.replace(f"            @{name}@\n", text.lstrip("\n"))
    return sql


MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "clients, history, settings",
        """
        CREATE SEQUENCE client_number_seq START 1;
        CREATE SEQUENCE history_id_seq START 1;
        CREATE TABLE clients (
            client_number INTEGER PRIMARY KEY,
            kind VARCHAR NOT NULL CHECK (kind IN ('private', 'company', 'public_administration')),
            first_name VARCHAR NOT NULL DEFAULT '',
            last_name VARCHAR NOT NULL DEFAULT '',
            company_name VARCHAR NOT NULL DEFAULT '',
            display_name VARCHAR NOT NULL,
            tax_code VARCHAR NOT NULL DEFAULT '',
            vat_country VARCHAR NOT NULL DEFAULT 'IT',
            vat_number VARCHAR NOT NULL DEFAULT '',
            sdi_code VARCHAR NOT NULL DEFAULT '',
            pec VARCHAR NOT NULL DEFAULT '',
            emails VARCHAR[] NOT NULL DEFAULT [],
            phones VARCHAR[] NOT NULL DEFAULT [],
            street VARCHAR NOT NULL DEFAULT '',
            postal_code VARCHAR NOT NULL DEFAULT '',
            city VARCHAR NOT NULL DEFAULT '',
            province VARCHAR NOT NULL DEFAULT '',
            country VARCHAR NOT NULL DEFAULT 'IT',
            birth_date DATE,
            birth_place VARCHAR NOT NULL DEFAULT '',
            sex VARCHAR NOT NULL DEFAULT '',
            tags VARCHAR[] NOT NULL DEFAULT [],
            notes VARCHAR NOT NULL DEFAULT '',
            attention BOOLEAN NOT NULL DEFAULT false,
            no_reminders BOOLEAN NOT NULL DEFAULT false,
            ts_opposition BOOLEAN NOT NULL DEFAULT false,
            psych_bonus BOOLEAN NOT NULL DEFAULT false,
            active BOOLEAN NOT NULL DEFAULT true,
            needs_review BOOLEAN NOT NULL DEFAULT false,
            review_reason VARCHAR NOT NULL DEFAULT '',
            missing_fields VARCHAR[] NOT NULL DEFAULT [],
            last_invoice_date DATE,
            search_text VARCHAR NOT NULL DEFAULT '',
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            deleted_at TIMESTAMP,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE client_history (
            id BIGINT PRIMARY KEY DEFAULT nextval('history_id_seq'),
            client_number INTEGER NOT NULL,
            changed_at TIMESTAMP NOT NULL,
            user_name VARCHAR NOT NULL DEFAULT '',
            action VARCHAR NOT NULL,
            changes JSON NOT NULL
        );
        CREATE TABLE settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
        """,
    ),
    (
        2,
        "imports: batches, undo records, saved mappings, invoice history, custom fields",
        """
        ALTER TABLE clients ADD COLUMN custom_fields VARCHAR DEFAULT '{}';
        CREATE SEQUENCE import_batch_seq START 1;
        CREATE SEQUENCE imported_invoice_seq START 1;
        CREATE TABLE import_batches (
            batch_id INTEGER PRIMARY KEY,
            started_at TIMESTAMP NOT NULL,
            user_name VARCHAR NOT NULL DEFAULT '',
            files VARCHAR NOT NULL,
            options VARCHAR NOT NULL,
            rows_read INTEGER NOT NULL,
            created INTEGER NOT NULL,
            updated INTEGER NOT NULL,
            skipped INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            flagged INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            status VARCHAR NOT NULL DEFAULT 'done',
            undone_at TIMESTAMP
        );
        CREATE TABLE import_batch_items (
            batch_id INTEGER NOT NULL,
            client_number INTEGER NOT NULL,
            action VARCHAR NOT NULL,
            previous VARCHAR,
            version_after INTEGER NOT NULL
        );
        CREATE TABLE import_mappings (
            signature VARCHAR PRIMARY KEY,
            mapping VARCHAR NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE imported_invoices (
            id BIGINT PRIMARY KEY DEFAULT nextval('imported_invoice_seq'),
            batch_id INTEGER NOT NULL,
            client_number INTEGER NOT NULL,
            number VARCHAR NOT NULL,
            issue_date DATE NOT NULL,
            document_type VARCHAR NOT NULL DEFAULT 'TD01',
            currency VARCHAR NOT NULL DEFAULT 'EUR',
            net DECIMAL(18, 2),
            vat DECIMAL(18, 2),
            total DECIMAL(18, 2) NOT NULL,
            paid_date DATE,
            source VARCHAR NOT NULL,
            extra VARCHAR NOT NULL DEFAULT '{}'
        );
        """,
    ),
    (
        3,
        "money: services, sessions, invoices and lines, payments; facts views over invoices and imported history",
        _with_views("""
        CREATE SEQUENCE service_seq START 1;
        CREATE SEQUENCE session_seq START 1;
        CREATE SEQUENCE invoice_seq START 1;
        CREATE SEQUENCE payment_seq START 1;
        CREATE TABLE services (
            id INTEGER PRIMARY KEY,
            name VARCHAR NOT NULL,
            price DECIMAL(18, 2) NOT NULL DEFAULT 0,
            duration_minutes INTEGER NOT NULL DEFAULT 50,
            vat_rate DECIMAL(5, 2) NOT NULL DEFAULT 0,
            vat_nature VARCHAR NOT NULL DEFAULT '',
            active BOOLEAN NOT NULL DEFAULT true
        );
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            client_number INTEGER NOT NULL,
            session_date DATE NOT NULL,
            service_id INTEGER,
            description VARCHAR NOT NULL DEFAULT '',
            professional VARCHAR NOT NULL DEFAULT '',
            price DECIMAL(18, 2) NOT NULL DEFAULT 0,
            status VARCHAR NOT NULL CHECK (status IN ('done', 'to_bill', 'cancelled', 'no_show')),
            invoice_id INTEGER
        );
        CREATE TABLE invoices (
            id INTEGER PRIMARY KEY,
            client_number INTEGER NOT NULL,
            payer_number INTEGER,
            doc_type VARCHAR NOT NULL CHECK (doc_type IN ('invoice', 'credit_note')),
            status VARCHAR NOT NULL CHECK (status IN ('draft', 'issued', 'cancelled')),
            number VARCHAR NOT NULL DEFAULT '',
            year INTEGER,
            seq INTEGER,
            issue_date DATE NOT NULL,
            due_date DATE,
            currency VARCHAR NOT NULL DEFAULT 'EUR',
            regime VARCHAR NOT NULL DEFAULT 'ordinario',
            withholding BOOLEAN NOT NULL DEFAULT false,
            bonus_amount DECIMAL(18, 2) NOT NULL DEFAULT 0,
            professional VARCHAR NOT NULL DEFAULT '',
            notes VARCHAR NOT NULL DEFAULT '',
            related_invoice_id INTEGER,
            related_number VARCHAR NOT NULL DEFAULT '',
            net DECIMAL(18, 2) NOT NULL DEFAULT 0,
            surcharge DECIMAL(18, 2) NOT NULL DEFAULT 0,
            vat DECIMAL(18, 2) NOT NULL DEFAULT 0,
            stamp_duty DECIMAL(18, 2) NOT NULL DEFAULT 0,
            withholding_amount DECIMAL(18, 2) NOT NULL DEFAULT 0,
            total DECIMAL(18, 2) NOT NULL DEFAULT 0,
            amount_due DECIMAL(18, 2) NOT NULL DEFAULT 0,
            paid DECIMAL(18, 2) NOT NULL DEFAULT 0,
            bonus_paid DECIMAL(18, 2) NOT NULL DEFAULT 0,  -- received from the state (method 'bonus')
            practice VARCHAR NOT NULL DEFAULT '{}',
            service_ids INTEGER[] NOT NULL DEFAULT [],  -- the catalogue services on its lines (filters)
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE invoice_lines (
            invoice_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            description VARCHAR NOT NULL,
            quantity DECIMAL(12, 3) NOT NULL,
            unit_price DECIMAL(18, 2) NOT NULL,
            discount_pct DECIMAL(5, 2) NOT NULL DEFAULT 0,
            vat_rate DECIMAL(5, 2) NOT NULL DEFAULT 0,
            vat_nature VARCHAR NOT NULL DEFAULT '',
            net DECIMAL(18, 2) NOT NULL,
            service_id INTEGER,
            session_id INTEGER
        );
        CREATE TABLE payments (
            id INTEGER PRIMARY KEY,
            invoice_id INTEGER NOT NULL,
            client_number INTEGER NOT NULL,
            paid_on DATE NOT NULL,
            amount DECIMAL(18, 2) NOT NULL,
            method VARCHAR NOT NULL CHECK (method IN ('cash', 'card', 'bank_transfer', 'bonus', 'other')),
            note VARCHAR NOT NULL DEFAULT '',
            -- copied from the (locked) invoice, so the Finance filters need no join over millions of rows
            professional VARCHAR NOT NULL DEFAULT '',
            service_ids INTEGER[] NOT NULL DEFAULT [],
            created_at TIMESTAMP NOT NULL
        );
        -- One row per document that counts for money: invoices made here (issued or cancelled) and
        -- imported history. Credit notes are negative. amount_due is what the client owes the practice.
        CREATE VIEW invoice_facts AS
            @CARTELLA_INVOICE_FACTS@
            @IMPORTED_INVOICE_FACTS@
                   CASE WHEN h.paid_date IS NULL THEN 0 ELSE
                       (CASE WHEN h.document_type = 'TD04' THEN -1 ELSE 1 END) * abs(h.total) END,
                   h.document_type = 'TD04', []::INTEGER[], 0
            FROM imported_invoices h;
        CREATE VIEW payment_facts AS
            @CARTELLA_PAYMENT_FACTS@
            UNION ALL
            SELECT 'imported', h.id, h.client_number, h.paid_date,
                   (CASE WHEN h.document_type = 'TD04' THEN -1 ELSE 1 END) * abs(h.total), 'imported',
                   '', []::INTEGER[]
            FROM imported_invoices h WHERE h.paid_date IS NOT NULL;
        """),
    ),
    (
        4,
        "clients: the name's sort key stored (lower case), so a broad search does not fold every name it sorts",
        """
        ALTER TABLE clients ADD COLUMN sort_name VARCHAR DEFAULT '';
        UPDATE clients SET sort_name = lower(display_name);
        """,
    ),
    (
        5,
        "imported payments: what was paid of an imported invoice not paid in full, and the undo records of payments "
        "imported onto invoices already in the history",
        _with_views("""
        ALTER TABLE imported_invoices ADD COLUMN paid_amount DECIMAL(18, 2);
        ALTER TABLE imported_invoices ADD COLUMN last_paid_on DATE;
        -- one row per payment an import applied to an imported invoice, with the invoice's payment state before
        -- and after it (undo puts back the first "before" where the last "after" still holds)
        CREATE TABLE import_payment_items (
            batch_id INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            invoice_id BIGINT NOT NULL,
            paid_on DATE NOT NULL,
            amount DECIMAL(18, 2),
            previous_paid_date DATE,
            previous_paid_amount DECIMAL(18, 2),
            previous_last_paid_on DATE,
            paid_date DATE,
            paid_amount DECIMAL(18, 2),
            last_paid_on DATE
        );
        CREATE OR REPLACE VIEW invoice_facts AS
            @CARTELLA_INVOICE_FACTS@
            @IMPORTED_INVOICE_FACTS@
                   (CASE WHEN h.document_type = 'TD04' THEN -1 ELSE 1 END)
                       * CASE WHEN h.paid_date IS NOT NULL THEN abs(h.total) ELSE coalesce(h.paid_amount, 0) END,
                   h.document_type = 'TD04', []::INTEGER[], 0
            FROM imported_invoices h;
        CREATE OR REPLACE VIEW payment_facts AS
            @CARTELLA_PAYMENT_FACTS@
            UNION ALL
            SELECT 'imported', h.id, h.client_number, coalesce(h.paid_date, h.last_paid_on),
                   (CASE WHEN h.document_type = 'TD04' THEN -1 ELSE 1 END)
                       * CASE WHEN h.paid_date IS NOT NULL THEN abs(h.total) ELSE h.paid_amount END, 'imported',
                   '', []::INTEGER[]
            FROM imported_invoices h WHERE h.paid_date IS NOT NULL OR h.paid_amount IS NOT NULL;
        """),
    ),
    (
        6,
        "money views: each payment an import applied to an imported invoice counted on its own date and for its own "
        "amount (instalments were all dated at the latest)",
        _with_views("""
        CREATE OR REPLACE VIEW payment_facts AS
            @CARTELLA_PAYMENT_FACTS@
            UNION ALL
            SELECT 'imported', h.id, h.client_number, i.paid_on,
                   ((CASE WHEN h.document_type = 'TD04' THEN -1 ELSE 1 END) * i.amount)::DECIMAL(18, 2), 'imported',
                   '', []::INTEGER[]
            FROM (@INSTALMENTS@) i JOIN imported_invoices h ON h.id = i.invoice_id
            WHERE i.amount <> 0
            UNION ALL
            -- what is paid and no standing payment record explains (paid in the invoice export itself, or left by
            -- an undone import a later one built on), dated at the invoice's payment
            SELECT 'imported', h.id, h.client_number, h.paid_on,
                   (h.sign * (h.paid - coalesce(c.amount, 0)))::DECIMAL(18, 2), 'imported', '', []::INTEGER[]
            FROM (SELECT id, client_number, coalesce(paid_date, last_paid_on) AS paid_on,
                         CASE WHEN document_type = 'TD04' THEN -1 ELSE 1 END AS sign,
                         CASE WHEN paid_date IS NOT NULL THEN abs(total) ELSE paid_amount END AS paid
                  FROM imported_invoices WHERE paid_date IS NOT NULL OR paid_amount IS NOT NULL) h
            LEFT JOIN (SELECT invoice_id, sum(amount) AS amount FROM (@INSTALMENTS@) GROUP BY invoice_id) c
                ON c.invoice_id = h.id
            WHERE h.paid <> coalesce(c.amount, 0);
        """).replace("@INSTALMENTS@", _IMPORTED_INSTALMENTS),
    ),
]
