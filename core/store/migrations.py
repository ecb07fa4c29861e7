"""Numbered schema migrations, applied in order and recorded in `schema_migrations`.

Never edit a migration that has shipped: add the next number.
"""

from __future__ import annotations

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
]
