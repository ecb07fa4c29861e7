# Financial summaries checked against a small ledger computed by hand, the `cli.py report` contract,
# the yearly XLSX/PDF, and the invoice PDF read back (text layer and OCR of the rendered page).
import csv
import datetime
import io
import os
import shutil
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from core import billing_services as bs
from core import reports, services
from core.billing_services import get_practice
from core.invoice_pdf import render
from core.store import UnitOfWork, connect
from core.store import finance as fq

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 4, 15)
YEAR = finance_year = 2026
PERSON = {"kind": "private", "first_name": "Paola", "last_name": "Neri", "tax_code": "NREPLA80A41H501F"}
COMPANY = {"kind": "company", "company_name": "ACME Srl", "vat_number": "00743110157", "sdi_code": "ABC1234"}


def uow(conn):
    return UnitOfWork(conn)


def taxed(price: str) -> list[dict]:
    return [{"description": "Consulenza", "unit_price": price, "vat_rate": "22"}]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    """The hand-computed ledger (no surcharge, taxed lines: no stamp duty).

    A  2025-12-15 private  net 100  due 122.00   paid 122 on 2026-01-10 (bank transfer)
    B  2026-01-20 private  net 200  due 244.00   paid 100 on 2026-02-05 (cash)
    C  2026-02-10 company  net 1000 total 1220, withholding 200: due 1020; cancelled by
    CN 2026-02-11 credit note: -1000 net, -1020 due
    H  2026-03-01 imported history for the private client: 50, paid 2026-03-05
    D  a draft in March: never counts
    """
    path = tmp_path_factory.mktemp("finance") / "ledger.duckdb"
    conn = connect(path)
    bs.save_practice(uow(conn), {"name": "Studio Neri & Co.", "iban": "IT60X0542811101000000123456"})
    person = services.create_client(uow(conn), PERSON).client_number
    company = services.create_client(uow(conn), COMPANY, quick=True).client_number

    def issued(number, price, day):
        return bs.issue_invoice(uow(conn), bs.create_draft(uow(conn), number, taxed(price)).id, issue_date=day)

    a = issued(person, "100", datetime.date(2025, 12, 15))
    bs.add_payment(uow(conn), a.id, "122", datetime.date(2026, 1, 10), "bank_transfer")
    b = issued(person, "200", datetime.date(2026, 1, 20))
    bs.add_payment(uow(conn), b.id, "100", datetime.date(2026, 2, 5), "cash")
    c = issued(company, "1000", datetime.date(2026, 2, 10))
    bs.credit_note(uow(conn), c.id, issue_date=datetime.date(2026, 2, 11))
    conn.execute(
        """INSERT INTO imported_invoices (batch_id, client_number, number, issue_date, net, vat, total, paid_date, source)
           VALUES (0, ?, 'OLD-7', DATE '2026-03-01', 50, 0, 50, DATE '2026-03-05', 'test')""",
        [person],
    )
    bs.create_draft(uow(conn), person, taxed("999"), issue_date=datetime.date(2026, 3, 20))
    conn.close()
    return {"path": path, "person": person, "company": company, "b": b}


@pytest.fixture
def conn(ledger):
    connection = connect(ledger["path"])
    yield connection
    connection.close()


EXPECTED_CSV = """month,invoices,invoiced_net,invoiced_total,collected,outstanding_end
2026-01,1,200.00,244.00,122.00,244.00
2026-02,1,0.00,0.00,100.00,144.00
2026-03,1,50.00,50.00,50.00,144.00
""" + "".join(f"2026-{m:02d},0,0.00,0.00,0.00,144.00\n" for m in range(4, 13))


def test_cli_report_csv_matches_the_hand_computed_ledger(ledger, tmp_path):
    out = tmp_path / "2026.csv"
    result = subprocess.run(
        [sys.executable, "cli.py", "report", "--db", str(ledger["path"]), "--year", "2026", "--format", "csv",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == EXPECTED_CSV
    rows = list(csv.DictReader(io.StringIO(EXPECTED_CSV)))
    assert len(rows) == 12


def test_cli_report_for_a_year_before_everything_carries_nothing(ledger, tmp_path):
    out = tmp_path / "2024.csv"
    result = subprocess.run(
        [sys.executable, "cli.py", "report", "--db", str(ledger["path"]), "--year", "2024", "--format", "csv",
         "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0
    lines = out.read_text().splitlines()
    assert len(lines) == 13 and all(line.endswith(",0,0.00,0.00,0.00,0.00") for line in lines[1:])


def test_cli_report_bad_year_and_format_exit_non_zero_in_one_line(ledger, tmp_path):
    for args in (["--year", "99", "--format", "csv"], ["--year", "2026", "--format", "doc"]):
        result = subprocess.run(
            [sys.executable, "cli.py", "report", "--db", str(ledger["path"]), *args, "--out", str(tmp_path / "x")],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode != 0
        assert "Traceback" not in result.stderr


def test_kpis(conn, ledger):
    filt = fq.FinanceFilter(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    kpis = fq.kpis(conn, filt, TODAY)
    assert kpis["revenue_period"] == D("250.00")
    assert kpis["invoiced"] == D("294.00")
    assert kpis["collected"] == D("272.00")
    assert kpis["outstanding"] == D("144.00")
    assert kpis["overdue"] == D("144.00")  # B was due on 2026-02-19
    assert kpis["clients_invoiced"] == 2
    assert kpis["revenue_period_last_year"] == D("100.00")  # A, in 2025
    company_only = fq.kpis(conn, fq.FinanceFilter(filt.date_from, filt.date_to, kind="company"), TODAY)
    assert (company_only["revenue_period"], company_only["outstanding"]) == (D("0.00"), D("0.00"))


def test_charts_tables(conn, ledger):
    filt = fq.FinanceFilter(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    ageing = fq.ageing(conn, TODAY)
    assert ageing["bucket"].tolist() == ["0-30", "31-60", "61-90", "90+"]
    assert ageing["amount"].tolist() == [0, 0, 144, 0]  # B: 85 days old
    methods = dict(zip(*fq.payments_by_method(conn, filt)[["method", "amount"]].values.T, strict=True))
    assert methods == {"bank_transfer": 122, "cash": 100, "imported": 50}
    top = fq.top_clients(conn, filt)
    assert top.iloc[0]["client_number"] == ledger["person"] and top.iloc[0]["net"] == 250
    cumulative = fq.cumulative_by_year(conn, 2026)
    this_year = cumulative[cumulative["year"] == 2026]["cumulative"].tolist()
    assert this_year[:3] == [200, 200, 250] and this_year[-1] == 250
    last_year = cumulative[cumulative["year"] == 2025]["cumulative"].tolist()
    assert last_year[-1] == 100
    by_month = fq.revenue_by_month(conn, filt)
    assert by_month.groupby("kind")["net"].sum().to_dict() == {"company": 0, "private": 250}


def test_client_balance_counts_imported_history_and_payments(conn, ledger):
    assert fq.client_balance(conn, ledger["person"]) == D("144.00")
    assert fq.client_balance(conn, ledger["company"]) == D("0.00")


def test_yearly_xlsx_has_a_sheet_per_view_with_the_figures(conn, tmp_path):
    from openpyxl import load_workbook

    out = reports.write_report(conn, 2026, "xlsx", tmp_path / "y.xlsx", lang="en")
    book = load_workbook(out)
    assert book.sheetnames == ["By month", "By client kind", "Top clients", "Receivables ageing", "Payments by method"]
    monthly = book["By month"]
    assert [c.value for c in monthly[2]][:2] == ["Month", "Invoices"]
    assert [c.value for c in monthly[3]] == ["2026-01", 1, 200, 244, 122, 244]
    assert monthly["C3"].number_format == "#,##0.00"


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    text = "\n".join(page.get_textpage().get_text_range() for page in pdf)
    return text.replace("\xa0", " ").replace("\u202f", " ")  # Babel's non-breaking spaces


def _ocr(data: bytes, tmp_path: Path) -> str:
    """Render the first page to PNG and read it back with Tesseract: what a person would see."""
    import pypdfium2 as pdfium

    if not shutil.which("tesseract"):
        if os.environ.get("CARTELLA_REQUIRE_BROWSER"):
            pytest.fail("tesseract is missing: `make test` installs Debian's tesseract-ocr")
        pytest.skip("tesseract (Debian package tesseract-ocr) is not installed")
    image = tmp_path / "page.png"
    pdfium.PdfDocument(data)[0].render(scale=3).to_pil().save(image)
    result = subprocess.run(["tesseract", str(image), "-"], capture_output=True, text=True, timeout=120)
    return result.stdout


def test_yearly_pdf_has_the_table_and_charts(conn):
    data = reports.yearly_pdf(reports.yearly_data(conn, 2026, TODAY), 2026, "it")
    text = _pdf_text(data)
    assert "Riepilogo economico 2026" in text
    assert "144,00" in text and "2026-03" in text
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    assert len(pdf) >= 2
    assert any(page.get_objects() for page in pdf)  # the chart images


def test_invoice_pdf_text_and_ocr(conn, ledger, tmp_path):
    invoice = bs.get_invoice(uow(conn), ledger["b"].id)
    card = services.get_client(uow(conn), ledger["person"])
    data = render(invoice, card, None, get_practice(uow(conn)), "it")
    text = _pdf_text(data)
    for expected in ("Fattura n. 2026/0001 del 20/01/2026", "Studio Neri & Co.", "Neri Paola", "NREPLA80A41H501F",
                     "IVA 22% su 200,00 €", "Totale documento", "244,00 €", "IBAN IT60X0542811101000000123456"):  # fmt: skip
        assert expected in text, expected
    seen = _ocr(data, tmp_path)
    for expected in ("2026/0001", "Neri Paola", "Totale documento", "244,00"):
        assert expected in seen, (expected, seen)


def test_credit_note_and_guardian_pdf(conn, ledger, tmp_path):
    note_id = conn.execute("SELECT id FROM invoices WHERE doc_type = 'credit_note'").fetchone()[0]
    note = bs.get_invoice(uow(conn), note_id)
    company = services.get_client(uow(conn), ledger["company"])
    text = _pdf_text(render(note, company, None, get_practice(uow(conn)), "en"))
    assert "Credit note no. 2026/0003" in text and "cancelling invoice 2026/0002 in full" in text
    minor = services.get_client(uow(conn), ledger["person"])
    text = _pdf_text(render(note, minor, company, get_practice(uow(conn)), "it"))
    assert "Intestatario" in text and "ACME Srl" in text
    assert "Prestazione resa a" in text and "Neri Paola" in text


def test_invoice_list_states(conn, ledger):
    frame = fq.invoice_list(conn, today=TODAY)
    states = dict(zip(frame["number"], frame["state"], strict=True))
    assert states == {"2025/0001": "paid", "2026/0001": "overdue", "2026/0002": "cancelled",
                      "2026/0003": "issued", "": "draft"}  # fmt: skip
    early = fq.invoice_list(conn, today=datetime.date(2026, 2, 6))
    assert dict(zip(early["number"], early["state"], strict=True))["2026/0001"] == "partly_paid"
