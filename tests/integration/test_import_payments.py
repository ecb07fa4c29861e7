# Payment exports: a table of invoice numbers with when (and how much) was paid pays invoices of the history,
# already imported or brought by the same import; the same file again changes nothing; undo takes it back.
import csv
import datetime
import json
from decimal import Decimal

import pytest

from core.store import UnitOfWork, connect
from importers.mapping import suggest_mapping
from importers.pipeline import Options, undo
from importers.run import execute, prepare
from tests.integration.helpers import cli, run_import, write_csv

INVOICES = [
    ["Numero fattura", "Data fattura", "Cliente", "Codice fiscale", "Totale"],
    ["1/2024", "15/01/2024", "Mario Rossi", "RSSMRA30A01H501I", "100,00"],
    ["2/2024", "20/01/2024", "Giulia Bianchi", "BNCGLI87D52H501X", "200,00"],
    ["3/2024", "25/01/2024", "Mario Rossi", "RSSMRA30A01H501I", "50,00"],
]  # fmt: skip
PAYMENTS = [
    ["Numero fattura", "Cliente", "Data pagamento", "Importo pagato"],
    ["1/2024", "Mario Rossi", "01/02/2024", "100,00"],  # paid in full
    ["2/2024", "Giulia Bianchi", "05/02/2024", "50,00"],  # a first instalment
    ["9/2024", "Giulia Bianchi", "05/02/2024", "50,00"],  # no such invoice
    ["3/2024", "Luca Verdi", "06/02/2024", "50,00"],  # the number is of another client's invoice
]  # fmt: skip


def _paid(db) -> dict[str, tuple]:
    conn = connect(db)
    rows = conn.execute("SELECT number, paid_date, paid_amount, last_paid_on FROM imported_invoices").fetchall()
    conn.close()
    return {number: tuple(rest) for number, *rest in rows}


def _run(db, *files, lang="en") -> dict:
    conn = connect(db)
    try:
        report = execute(conn, prepare(conn, list(files), lang=lang), Options(lang=lang))
        return {**report.counts, "batch_id": report.batch_id, "errors": report.errors, "files": report.files}
    finally:
        conn.close()


def _undo(db, batch_id) -> dict:
    conn = connect(db)
    with UnitOfWork(conn) as uow:
        result = undo(uow, batch_id)
        uow.commit()
    conn.close()
    return result


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["Numero fattura", "Cliente", "Data pagamento", "Importo pagato"], "payments"),
        (["Invoice number", "Payment date"], "payments"),
        (["N. fattura", "Data fattura", "Data incasso", "Importo incassato"], "payments"),  # no invoice amount
        (["Numero fattura", "Data fattura", "Totale", "Data pagamento"], "invoices"),
        (["Numero fattura", "Data fattura", "Totale", "Importo pagato"], "invoices"),
        (["Cognome", "Nome", "Email"], "clients"),
    ],
)
def test_a_table_of_payments_is_told_from_invoices_and_clients(header, kind):
    rows = [["1"] * len(header)]
    assert suggest_mapping(header, rows).table_kind == kind


def test_payments_pay_the_invoices_already_imported(tmp_path):
    db = tmp_path / "p.duckdb"
    _, _ = run_import(tmp_path, write_csv(tmp_path / "fatture.csv", INVOICES), db=db)
    report, _ = run_import(tmp_path, write_csv(tmp_path / "pagamenti.csv", PAYMENTS), db=db)
    assert report["files"][0]["table"] == "payments"
    counts = {k: report[k] for k in ("rows_read", "created", "updated", "skipped", "rejected", "flagged")}
    assert counts == {"rows_read": 4, "created": 0, "updated": 3, "skipped": 0, "rejected": 1, "flagged": 2}
    by_row = {e["row"]: e for e in report["errors"]}
    assert "€50.00 of €200.00 paid so far" in by_row[3]["message"]
    assert by_row[4]["column"] == "Numero fattura" and "No invoice numbered 9/2024" in by_row[4]["message"]
    assert "is of Rossi Mario" in by_row[5]["message"]
    feb = datetime.date(2024, 2, 1)
    assert _paid(db) == {
        "1/2024": (feb, None, feb),
        "2/2024": (None, Decimal("50.00"), datetime.date(2024, 2, 5)),
        "3/2024": (datetime.date(2024, 2, 6), None, datetime.date(2024, 2, 6)),
    }
    conn = connect(db)  # the money views see what was paid: in full, or the first instalment
    facts = dict(conn.execute("SELECT total, paid FROM invoice_facts ORDER BY total").fetchall())
    collected = conn.execute("SELECT sum(amount) FROM payment_facts").fetchone()[0]
    conn.close()
    assert facts == {Decimal("50.00"): Decimal("50.00"), Decimal("100.00"): Decimal("100.00"),
                     Decimal("200.00"): Decimal("50.00")}  # fmt: skip
    assert collected == Decimal("200.00")

    again, _ = run_import(tmp_path, tmp_path / "pagamenti.csv", db=db)
    assert (again["updated"], again["skipped"], again["rejected"], again["flagged"]) == (0, 3, 1, 0)

    result = _undo(db, report["batch_id"])
    assert len(result["unpaid"]) == 3
    assert set(_paid(db).values()) == {(None, None, None)}


def test_instalments_pay_an_invoice_when_they_reach_its_total_and_undo_goes_back_a_batch_at_a_time(tmp_path):
    db = tmp_path / "p.duckdb"
    run_import(tmp_path, write_csv(tmp_path / "fatture.csv", INVOICES), db=db)
    header = ["Numero fattura", "Data pagamento", "Importo pagato"]
    first = _run(db, write_csv(tmp_path / "rata1.csv", [header, ["2/2024", "10/02/2024", "120,00"]]))
    second = _run(db, write_csv(tmp_path / "rata2.csv", [header, ["2/2024", "10/03/2024", "80,00"],
                                                         ["2/2024", "11/03/2024", "5,00"]]))  # fmt: skip
    assert (first["updated"], first["flagged"]) == (1, 1)
    assert (second["updated"], second["skipped"], second["flagged"]) == (1, 1, 1)
    assert "already paid on 10 Mar 2024" in second["errors"][0]["message"]
    march = datetime.date(2024, 3, 10)
    assert _paid(db)["2/2024"] == (march, None, march)

    assert _undo(db, first["batch_id"])["unpaid"] == []  # a later import changed the invoice since: kept
    assert _paid(db)["2/2024"] == (march, None, march)
    assert len(_undo(db, second["batch_id"])["unpaid"]) == 1  # back to the first instalment
    assert _paid(db)["2/2024"] == (None, Decimal("120.00"), datetime.date(2024, 2, 10))


def test_payments_in_the_same_import_as_their_invoices_are_written_with_them(tmp_path):
    db = tmp_path / "p.duckdb"
    payments = write_csv(tmp_path / "a_pagamenti.csv", PAYMENTS[:3])  # named first: planned after the invoices
    report = _run(db, payments, write_csv(tmp_path / "fatture.csv", INVOICES), lang="it")
    assert (report["created"], report["updated"]) == (3, 2)
    assert "Fattura 2/2024: pagati finora 50,00\xa0€ su 200,00\xa0€" in report["errors"][-1]["message"]
    assert _paid(db)["1/2024"][0] == datetime.date(2024, 2, 1)
    conn = connect(db)
    items = conn.execute("SELECT count(*) FROM import_payment_items").fetchone()[0]
    conn.close()
    assert items == 2
    again = _run(db, payments)  # the same payments again: already had
    assert (again["updated"], again["skipped"]) == (0, 2)
    _undo(db, report["batch_id"])
    assert _paid(db) == {}


def test_an_invoice_number_used_twice_needs_the_client_or_the_invoice_date(tmp_path):
    db = tmp_path / "p.duckdb"
    invoices = [INVOICES[0], ["1", "10/01/2023", "Mario Rossi", "RSSMRA30A01H501I", "70,00"],
                ["1", "10/01/2024", "Giulia Bianchi", "BNCGLI87D52H501X", "90,00"]]  # fmt: skip
    run_import(tmp_path, write_csv(tmp_path / "fatture.csv", invoices), db=db)
    plain = _run(db, write_csv(tmp_path / "p1.csv", [["Numero fattura", "Data pagamento"], ["1", "01/02/2024"]]))
    assert plain["rejected"] == 1 and "2 invoices are numbered 1" in plain["errors"][0]["message"]
    by_date = _run(db, write_csv(tmp_path / "p2.csv", [["Numero fattura", "Data fattura", "Data pagamento"],
                                                      ["1", "10/01/2023", "01/02/2023"]]))  # fmt: skip
    by_client = _run(db, write_csv(tmp_path / "p3.csv", [["Numero fattura", "Codice fiscale", "Data pagamento"],
                                                        ["1", "BNCGLI87D52H501X", "01/03/2024"]]))  # fmt: skip
    early = _run(db, write_csv(tmp_path / "p4.csv", [["Numero fattura", "Data pagamento"], ["1", "01/02/2023"]]))
    assert (by_date["updated"], by_client["updated"], early["skipped"]) == (1, 1, 1)
    conn = connect(db)
    paid = dict(conn.execute("SELECT total, paid_date FROM imported_invoices WHERE number = '1'").fetchall())
    conn.close()
    assert paid == {Decimal("70.00"): datetime.date(2023, 2, 1), Decimal("90.00"): datetime.date(2024, 3, 1)}


def test_a_payment_row_that_cannot_be_read_is_rejected_with_its_reason(tmp_path):
    db = tmp_path / "p.duckdb"
    run_import(tmp_path, write_csv(tmp_path / "fatture.csv", INVOICES), db=db)
    rows = [["Numero fattura", "Data pagamento", "Importo pagato"], ["1/2024", "", "100"],
            ["1/2024", "31/31/2024", "100"], ["1/2024", "01/02/2024", "cento"], ["", "01/02/2024", "100"]]  # fmt: skip
    report = _run(db, write_csv(tmp_path / "p.csv", rows))
    assert (report["rejected"], report["updated"]) == (4, 0)
    said = [(e["row"], e["column"], e["message"]) for e in report["errors"]]
    assert said == [(2, "Data pagamento", "The payment has no date."),
                    (3, "Data pagamento", "'31/31/2024' is not a date I can read; kept as it was."),
                    (4, "Importo pagato", "'cento' is not an amount."),
                    (5, "Numero fattura", "The invoice has no number.")]  # fmt: skip
    assert set(_paid(db).values()) == {(None, None, None)}


def test_an_invoice_table_keeps_an_amount_paid_column_as_read(tmp_path):
    db = tmp_path / "p.duckdb"
    rows = [["Numero fattura", "Data fattura", "Cliente", "Totale", "Importo pagato"],
            ["7", "01/03/2024", "Mario Rossi", "100,00", "40,00"]]  # fmt: skip
    report = _run(db, write_csv(tmp_path / "f.csv", rows))
    assert (report["files"][0]["table"], report["created"]) == ("invoices", 1)
    conn = connect(db)
    extra, paid = conn.execute("SELECT extra, paid_date FROM imported_invoices").fetchone()
    conn.close()
    assert json.loads(extra) == {"Importo pagato": "40,00"} and paid is None


def _payment_facts(db) -> list[tuple]:
    conn = connect(db)
    rows = conn.execute("SELECT paid_on, amount FROM payment_facts WHERE origin = 'imported' ORDER BY ALL").fetchall()
    paid = conn.execute("SELECT coalesce(sum(paid), 0) FROM invoice_facts").fetchone()[0]
    kind = conn.execute("SELECT column_type FROM (DESCRIBE payment_facts) WHERE column_name = 'amount'").fetchone()[0]
    conn.close()
    assert kind == "DECIMAL(18,2)"  # as payments' amounts: no sum over the view widens to 128-bit decimals
    assert sum(amount for _d, amount in rows) == paid  # what the payments add up to is what the invoices say
    return rows


def _collected_by_month(tmp_path, db) -> dict[str, tuple[str, str]]:
    out = tmp_path / "report.csv"  # written anew at each call
    result = cli("report", "--db", db, "--year", "2024", "--format", "csv", "--out", out)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    return {r["month"]: (r["collected"], r["outstanding_end"]) for r in rows if r["month"] <= "2024-03"}


def test_each_instalment_counts_on_its_own_date_in_the_money_views(tmp_path):
    db = tmp_path / "p.duckdb"
    run_import(tmp_path, write_csv(tmp_path / "fatture.csv", INVOICES), db=db)  # 350.00 issued in January
    header = ["Numero fattura", "Data pagamento", "Importo pagato"]
    first = _run(db, write_csv(tmp_path / "rata1.csv", [header, ["2/2024", "10/02/2024", "120,00"]]))
    second = _run(db, write_csv(tmp_path / "rata2.csv", [header, ["2/2024", "10/03/2024", "80,00"]]))
    feb, march = datetime.date(2024, 2, 10), datetime.date(2024, 3, 10)
    assert _payment_facts(db) == [(feb, Decimal("120.00")), (march, Decimal("80.00"))]
    assert _collected_by_month(tmp_path, db) == {
        "2024-01": ("0.00", "350.00"), "2024-02": ("120.00", "230.00"), "2024-03": ("80.00", "150.00")}  # fmt: skip

    _undo(db, first["batch_id"])  # kept, as a later import paid the invoice further: still counted, at its payment
    assert _payment_facts(db) == [(march, Decimal("80.00")), (march, Decimal("120.00"))]
    _undo(db, second["batch_id"])  # back to the state before it: the first instalment, on its own date
    assert _payment_facts(db) == [(feb, Decimal("120.00"))]


def test_instalments_in_the_same_import_as_their_invoice_count_on_their_dates(tmp_path):
    db = tmp_path / "p.duckdb"
    payments = [PAYMENTS[0], ["2/2024", "Giulia Bianchi", "05/02/2024", "50,00"],
                ["2/2024", "Giulia Bianchi", "07/03/2024", "150,00"]]  # fmt: skip
    report = _run(db, write_csv(tmp_path / "a_pagamenti.csv", payments), write_csv(tmp_path / "fatture.csv", INVOICES))
    assert (report["created"], report["updated"]) == (3, 2)
    assert _payment_facts(db) == [(datetime.date(2024, 2, 5), Decimal("50.00")),
                                  (datetime.date(2024, 3, 7), Decimal("150.00"))]  # fmt: skip
    _undo(db, report["batch_id"])
    assert _payment_facts(db) == []
