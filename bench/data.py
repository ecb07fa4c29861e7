"""Deterministic legacy exports in the styles users really have, for benchmarks and large tests.

`italian_csv(path, rows, seed)` writes what an Italian practice's old program exports: cp1252, semicolons,
day-first dates, decimal commas, a title row, CAPs and VAT numbers as text, some rows with mistakes.
"""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path

from core.demo import FIRST_F, FIRST_M, IT_CITIES, LAST, STREETS, _codice_fiscale, _partita_iva
from core.search import fold

HEADER = ["Codice", "Cognome", "Nome", "Ragione sociale", "Codice fiscale", "Partita IVA", "Indirizzo", "CAP",
          "Città", "Provincia", "Telefono", "Email", "PEC", "Codice destinatario", "Data di nascita", "Saldo",
          "Note", "Categoria"]  # fmt: skip


_SYLLABLES = ["Bel", "Car", "Col", "Fer", "Gal", "Lom", "Mar", "Pel", "Ros", "San", "Tor", "Vit", "Bon", "Cas",
              "Fab", "Gio", "Len", "Mon", "Nar", "Pes", "Ric", "Sal", "Ter", "Zan", "Ben", "Cor", "Dal", "Mor"]  # fmt: skip
_ENDINGS = ["ini", "etti", "ucci", "oni", "elli", "ato", "one", "ari", "esi", "otti", "ano", "ini", "azzo", "uzzi",
            "ero", "andi", "elli", "ardi", "ieri", "olo"]  # fmt: skip


def _person(rng: random.Random, i: int) -> list[str]:
    """A private client as an old program exports it: every one a different person, names from a large pool."""
    female = rng.random() < 0.6
    first = rng.choice(FIRST_F if female else FIRST_M)
    last = rng.choice(LAST) if rng.random() < 0.2 else rng.choice(_SYLLABLES) + rng.choice(_ENDINGS)
    born = datetime.date(rng.randint(1940, 2015), rng.randint(1, 12), rng.randint(1, 28))
    city, prov, cap, belfiore, _area = rng.choice(IT_CITIES)
    tax = _codice_fiscale(first, last, born, female, belfiore)
    if rng.random() < 0.01:
        tax = tax[:-1] + ("X" if tax[-1] != "X" else "Y")  # a typo: flagged, not lost
    email = fold(f"{first}.{last}{i}@example.it").replace(" ", "").replace("'", "")
    if rng.random() < 0.005:
        email = email.replace("@", "@@")  # a mistyped address: flagged
    name_upper = rng.random() < 0.3  # some programs export names in capitals
    return [
        f"{i + 1:06d}", last.upper() if name_upper else last, first.upper() if name_upper else first, "", tax, "",
        f"{rng.choice(STREETS)} {rng.randint(1, 200)}", f"{cap[:3]}{rng.randint(0, 99):02d}".lstrip("0"), city, prov,
        f"3{rng.choice('234689')}{rng.randint(0, 9)}{rng.randint(1000000, 9999999)}", email, "", "",
        born.strftime("%d/%m/%Y"), f"{rng.randint(0, 500000) / 100:.2f}".replace(".", ","),
        "nota à è ò" if rng.random() < 0.1 else "", rng.choice(["Privato", "Paziente", ""]),
    ]  # fmt: skip


def _company(rng: random.Random, i: int) -> list[str]:
    city, prov, cap, _belfiore, area = rng.choice(IT_CITIES)
    name = f"{rng.choice(['Studio', 'Impianti', 'Condominio', 'Officina', 'Edil'])} {rng.choice(_SYLLABLES)}" \
           f"{rng.choice(_ENDINGS)} {rng.choice(['S.r.l.', 'S.n.c.', 'S.p.A.', ''])}".strip()  # fmt: skip
    vat = _partita_iva(rng)
    return [
        f"{i + 1:06d}", "", "", name, "", vat.lstrip("0") if rng.random() < 0.1 else vat,
        f"{rng.choice(STREETS)} {rng.randint(1, 200)}", cap, city, prov, f"0{area[1:]}{rng.randint(100000, 999999)}",
        f"info{i}@example.it", f"amministrazione{i}@pec.example.it", f"{rng.choice('ABCKMSTUWX')}{rng.randint(0, 999999):06d}",
        "", f"{rng.randint(0, 500000) / 100:.2f}".replace(".", ","), "", "Azienda",
    ]  # fmt: skip


def _rows(count: int, seed: int):
    """Distinct clients (85% persons), with what real exports carry: 1% of rows repeat an earlier client (the
    same tax code: one card, updated), 1% tax codes with a typo, some addresses mistyped, names in capitals,
    CAPs that lost their leading zero, VAT numbers that lost theirs."""
    rng = random.Random(seed)
    earlier: list[list[str]] = []
    for i in range(count):
        if earlier and rng.random() < 0.01:
            row = list(rng.choice(earlier))
            row[0] = f"{i + 1:06d}"
            row[15] = f"{rng.randint(0, 500000) / 100:.2f}".replace(".", ",")
        else:
            row = _person(rng, i) if rng.random() < 0.85 else _company(rng, i)
            if len(earlier) < 1000:
                earlier.append(row)
        yield row


def italian_csv(path: Path, rows: int, seed: int = 7) -> Path:
    path = Path(path)
    with path.open("w", encoding="cp1252", errors="replace", newline="") as handle:
        handle.write("Anagrafica clienti - esportazione del 31/12/2025\r\n\r\n")
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(_rows(rows, seed))
    return path


def italian_xlsx(path: Path, rows: int, seed: int = 7) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Clienti")
    sheet.append(HEADER)
    for row in _rows(rows, seed):
        sheet.append(row)
    book.save(path)
    return Path(path)


def synthetic_clients(path: Path, count: int) -> Path:
    """A database of `count` cards built in SQL (fast at a million), shaped like real ones: mostly private
    persons, some companies and public bodies, some inactive and trashed, the same columns the app writes."""
    from core.store import connect

    conn = connect(path)
    firsts, lasts = FIRST_F + FIRST_M, LAST
    cities = [c[0] for c in IT_CITIES]
    provinces = [c[1] for c in IT_CITIES]
    caps = [c[2] for c in IT_CITIES]
    conn.execute(
        """
        INSERT INTO clients (client_number, kind, first_name, last_name, company_name, display_name, tax_code,
                             vat_number, emails, phones, street, postal_code, city, province, country, active,
                             search_text, sort_name, created_at, updated_at, deleted_at, version)
        WITH base AS (
            SELECT i + 1 AS n, hash(i) AS h,
                   CASE WHEN hash(i) % 100 < 85 THEN 'private' WHEN hash(i) % 100 < 97 THEN 'company'
                        ELSE 'public_administration' END AS kind,
                   list_extract($firsts, (hash(i * 7) % len($firsts))::INT + 1) AS fn,
                   list_extract($lasts, (hash(i * 13) % len($lasts))::INT + 1) AS ln,
                   ((hash(i * 17) % len($cities))::INT + 1) AS ci
            FROM range($count) t(i)
        ), shaped AS (
            SELECT n, h, kind,
                   CASE WHEN kind = 'private' THEN fn ELSE '' END AS first_name,
                   CASE WHEN kind = 'private' THEN ln ELSE '' END AS last_name,
                   CASE WHEN kind = 'private' THEN '' ELSE 'Studio ' || ln || ' ' || n || ' S.r.l.' END AS company_name,
                   upper(substr(ln || 'XXX', 1, 3) || substr(fn || 'XXX', 1, 3)) || lpad((h % 100)::VARCHAR, 2, '0')
                       || 'A' || lpad((h % 28 + 1)::VARCHAR, 2, '0') || 'H501' || chr(65 + (h % 26)::INT) AS tax_code,
                   CASE WHEN kind = 'private' THEN '' ELSE lpad((h % 99999999999)::VARCHAR, 11, '0') END AS vat,
                   [lower(strip_accents(fn || '.' || ln)) || n || '@example.it'] AS emails,
                   ['+393' || lpad((h % 1000000000)::VARCHAR, 9, '0')] AS phones,
                   list_extract($streets, (h % len($streets))::INT + 1) || ' ' || (h % 200 + 1) AS street,
                   list_extract($caps, ci) AS cap, list_extract($cities, ci) AS city, list_extract($provs, ci) AS prov
            FROM base
        )
        SELECT n, kind, first_name, last_name, company_name,
               CASE WHEN kind = 'private' THEN last_name || ' ' || first_name ELSE company_name END,
               tax_code, vat, emails, phones, street, cap, city, prov, 'IT', h % 100 >= 8,
               lower(strip_accents(concat_ws(' ', first_name, last_name, company_name, tax_code, vat, emails[1])))
                   || ' ' || substr(phones[1], 2) || ' ' || substr(phones[1], 4),
               lower(CASE WHEN kind = 'private' THEN last_name || ' ' || first_name ELSE company_name END),
               TIMESTAMP '2020-01-01' + INTERVAL (h % 2000) DAY, TIMESTAMP '2020-01-01' + INTERVAL (h % 2000) DAY,
               CASE WHEN h % 100 = 99 THEN now()::TIMESTAMP - INTERVAL 3 DAY END, 1
        FROM shaped
        """,
        {"firsts": firsts, "lasts": lasts, "cities": cities, "caps": caps, "provs": provinces, "streets": STREETS,
         "count": count},
    )  # fmt: skip
    conn.execute("SELECT max(nextval('client_number_seq')) FROM range(?)", [count])
    conn.close()
    return path


def synthetic_invoices(path: Path, invoices: int, seed: float = 0.42) -> Path:
    """Add `invoices` issued invoices (about 1% credit notes), one line each, and their payments to the
    clients already in `path`, spread over six years: built in SQL, deterministic for a seed."""
    import duckdb

    from core.store import connect

    connect(path).close()  # migrations
    conn = duckdb.connect(str(path))
    conn.execute("SELECT setseed(?)", [seed])
    (clients,) = conn.execute("SELECT max(client_number) FROM clients").fetchone()
    conn.execute(
        """CREATE TEMP TABLE gen AS
           SELECT i AS id,
                  1 + (hash(i * 7919) % ?)::INTEGER AS client_number,
                  DATE '2021-01-01' + (i * 2151 // ?)::INTEGER AS issue_date,  -- up to 2026-11-22
                  ((40 + hash(i * 31) % 460) * 10)::DECIMAL(18, 2) / 10 AS net,
                  CASE WHEN hash(i * 13) % 100 = 0 THEN 'credit_note' ELSE 'invoice' END AS doc_type,
                  ['Elena Conti', 'Marco Ferri', 'Sara Galli'][1 + (hash(i * 17) % 3)::INTEGER] AS professional,
                  1 + (hash(i * 19) % 4)::INTEGER AS service_id,
                  hash(i * 23) % 100 AS luck
           FROM range(1, ? + 1) t(i)""",
        [clients, invoices, invoices],
    )
    conn.execute(
        """INSERT INTO invoices (id, client_number, doc_type, status, number, year, seq, issue_date, due_date,
                                 professional, net, surcharge, stamp_duty, total, amount_due, paid,
                                 service_ids, created_at, updated_at)
           SELECT id, client_number, doc_type, 'issued',
                  year(issue_date) || '/' || lpad(row_number() OVER (PARTITION BY year(issue_date) ORDER BY id)::VARCHAR, 4, '0'),
                  year(issue_date), row_number() OVER (PARTITION BY year(issue_date) ORDER BY id),
                  issue_date, issue_date + 30, professional, net, round(net * 0.02, 2), 2, net + round(net * 0.02, 2) + 2,
                  net + round(net * 0.02, 2) + 2,
                  CASE WHEN doc_type = 'invoice' AND luck < 85 THEN net + round(net * 0.02, 2) + 2 ELSE 0 END,
                  [service_id], issue_date, issue_date
           FROM gen"""
    )
    conn.execute(
        """INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price, vat_nature, net, service_id)
           SELECT id, 1, 'Colloquio', 1, net, 'N4', net, service_id FROM gen"""
    )
    conn.execute(
        """INSERT INTO payments (id, invoice_id, client_number, paid_on, amount, method, professional, service_ids,
                                 created_at)
           SELECT row_number() OVER (ORDER BY i.id), i.id, i.client_number, i.issue_date + (g.luck % 40)::INTEGER,
                  i.paid, ['cash', 'card', 'bank_transfer', 'bank_transfer', 'bonus'][1 + (g.luck % 5)::INTEGER],
                  i.professional, i.service_ids, i.issue_date
           FROM invoices i JOIN gen g USING (id) WHERE i.paid > 0"""
    )
    conn.execute(
        """UPDATE clients SET last_invoice_date = f.last
           FROM (SELECT client_number, max(issue_date) AS last FROM invoices GROUP BY ALL) f
           WHERE clients.client_number = f.client_number"""
    )
    conn.execute("CHECKPOINT")
    conn.close()
    return path


SYLLABLES = ("ro", "ssi", "bian", "chi", "fer", "ra", "ri", "co", "lo", "mar", "ti", "ni", "gal", "li", "con",
             "te", "espo", "si", "to", "ru", "so", "val", "en", "za", "mo", "ret", "ber", "na", "di", "san")  # fmt: skip


def _slip(text: str, rng) -> str:
    """One typing slip: a letter changed, dropped, doubled, or two swapped."""
    i = rng.randrange(2, len(text) - 1) if len(text) > 3 else 1
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + rng.choice("aeiourstnl") + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + text[i] + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def clients_with_duplicates(path: Path, count: int, rate: float = 0.05, seed: int = 11) -> set[tuple[int, int]]:
    """`count` cards, of which about `rate` are second records of another person (a typo in the surname, first
    and last name swapped, capitals and accents changed, or only the e-mail in common). Returns the true
    duplicate pairs (lower number first); they are also stored in the table bench_truth."""
    import random

    import pyarrow as pa

    from core.store import connect

    rng = random.Random(seed)
    firsts = FIRST_F + FIRST_M
    caps = [f"{rng.randrange(10, 98)}{rng.randrange(0, 999):03d}" for _ in range(max(20, count // 100))]
    rows, truth = [], set()
    number = 0
    while number < count:
        number += 1
        last = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        first, cap = rng.choice(firsts), rng.choice(caps)
        email = f"{first.lower()}.{last.lower()}{number}@example.it"
        rows.append((number, first, last, cap, email))
        if rng.random() < rate and number < count:
            number += 1
            style = rng.randrange(4)
            if style == 0:
                dup = (number, first, _slip(last, rng), cap, "")
            elif style == 1:
                dup = (number, last, first, cap, "")  # surname typed in the first-name field
            elif style == 2:
                dup = (number, first.upper(), last.upper(), cap, "")
            else:
                dup = (number, first, last + " " + rng.choice(SYLLABLES).capitalize() + "i", rng.choice(caps), email)
            rows.append(dup)
            truth.add((number - 1, number))
    conn = connect(path)
    numbers, firsts_, lasts, caps_, emails = zip(*rows, strict=True)
    cards = pa.table({"client_number": numbers, "first_name": firsts_, "last_name": lasts, "postal_code": caps_,  # noqa: F841
                      "emails": [[e] if e else [] for e in emails]})  # fmt: skip
    conn.execute(
        """INSERT INTO clients (client_number, kind, first_name, last_name, display_name, sort_name, emails,
                                postal_code, city, created_at, updated_at)
           SELECT client_number, 'private', first_name, last_name, last_name || ' ' || first_name,
                  lower(last_name || ' ' || first_name), emails, postal_code, 'Città', now()::TIMESTAMP,
                  now()::TIMESTAMP FROM cards"""
    )
    conn.execute("CREATE TABLE bench_truth (first INTEGER, second INTEGER)")
    pairs = pa.table({"first": [a for a, _ in truth], "second": [b for _, b in truth]})  # noqa: F841
    conn.execute("INSERT INTO bench_truth SELECT * FROM pairs")
    conn.close()
    return truth
