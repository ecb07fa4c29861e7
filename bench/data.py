"""Deterministic legacy exports in the styles users really have, for benchmarks and large tests.

`italian_csv(path, rows, seed)` writes what an Italian practice's old program exports: cp1252, semicolons,
day-first dates, decimal commas, a title row, CAPs and VAT numbers as text, some rows with mistakes.
"""

from __future__ import annotations

import csv
import datetime
import random
from pathlib import Path

from core.demo import generate_clients

HEADER = ["Codice", "Cognome", "Nome", "Ragione sociale", "Codice fiscale", "Partita IVA", "Indirizzo", "CAP",
          "Città", "Provincia", "Telefono", "Email", "PEC", "Codice destinatario", "Data di nascita", "Saldo",
          "Note", "Categoria"]  # fmt: skip


def _rows(count: int, seed: int):
    rng = random.Random(seed)
    base = generate_clients(min(count, 5000), seed, datetime.datetime(2026, 1, 1))
    for i in range(count):
        c = base[i % len(base)]
        suffix = "" if i < len(base) else f" {i // len(base)}"
        email = c.emails[0].replace("@", f"{i}@") if c.emails else ""
        tax = c.tax_code if i < len(base) else ""  # copies beyond the first block carry no identifier
        vat = c.vat_number if i < len(base) else ""
        if rng.random() < 0.01:
            tax = tax[:-1] + "X" if tax else "RSSMRA30A01H501X"  # a typo: flagged, not lost
        yield [
            f"{i + 1:06d}", c.last_name + suffix if c.last_name else "", c.first_name, c.company_name + suffix if c.company_name else "",
            tax, vat, c.street, c.postal_code, c.city, c.province, (c.phones or [""])[0].replace("+39", ""),
            email, c.pec, c.sdi_code, c.birth_date.strftime("%d/%m/%Y") if c.birth_date else "",
            f"{rng.randint(0, 500000) / 100:.2f}".replace(".", ","), "nota € à" if rng.random() < 0.1 else "",
            rng.choice(["Privato", "Azienda", ""]) if not c.company_name else "Azienda",
        ]  # fmt: skip


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
