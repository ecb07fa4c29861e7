# AppTest for the money screens: Finance with its filters, an invoice from the card to payment, practice
# settings and the catalogue.
import datetime
from decimal import Decimal as D

from streamlit.testing.v1 import AppTest

from core import billing_services as bs
from core.store import finance
from tests.app.helpers import APP, app_conn, uow


def _start(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_finance_page_kpis_match_the_queries_and_filters_change_them(demo_db):
    at = _start("pages/finance.py")
    assert not at.error, [e.value for e in at.error]
    today = datetime.date.today()
    filt = finance.FinanceFilter(datetime.date(today.year, 1, 1), today)
    expected = finance.kpis(app_conn(at), filt, today)
    assert _metric(at, "Outstanding") == f"€{expected['outstanding']:,.2f}"
    assert _metric(at, "Clients invoiced") == str(expected["clients_invoiced"])
    # five charts, each with its table and a download of its numbers
    assert len(at.get("vega_lite_chart")) == 5
    assert len(at.get("download_button")) == 8  # one per chart, and the yearly XLSX, PDF, CSV
    assert len(at.dataframe) == 5
    at.selectbox(key="finance.kind").set_value("company").run()
    assert not at.exception
    company = finance.kpis(app_conn(at), finance.FinanceFilter(filt.date_from, today, kind="company"), today)
    assert _metric(at, "Clients invoiced") == str(company["clients_invoiced"])
    assert company["clients_invoiced"] < expected["clients_invoiced"]
    at.selectbox(key="finance.period").set_value("last_year").run()
    assert not at.exception
    last_year = finance.FinanceFilter(datetime.date(today.year - 1, 1, 1), datetime.date(today.year - 1, 12, 31),
                                      kind="company")  # fmt: skip
    revenue = finance.kpis(app_conn(at), last_year, today)["revenue_period"]
    assert _metric(at, "Revenue in the period") == f"€{revenue:,.2f}"


def test_invoice_from_the_card_to_paid(demo_db):
    at = _start("pages/client_card.py")
    at.session_state["selected_client"] = 1
    at.run()
    next(b for b in at.button if b.label == "New invoice").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "New invoice"
    at.switch_page("pages/invoices.py").run()  # AppTest keeps its own page across st.switch_page
    assert at.title[0].value == "New invoice"
    assert at.number_input(key="invoice.new.1.client").value == 1
    next(b for b in at.button if b.label == "Add line").click().run()
    assert not at.exception
    assert "Document total" in "\n".join(m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Save and issue").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value.startswith("Invoice ")
    number = at.title[0].value.split(" ", 1)[1]
    invoices = finance.invoice_list(app_conn(at), client_number=1)
    row = invoices[invoices["number"] == number].iloc[0]
    assert row["state"] == "issued"
    next(b for b in at.button if b.label == "Record payment").click().run()
    assert not at.exception
    assert any("Payment of" in s.value for s in at.success)
    invoice = bs.get_invoice(uow(at), int(row["id"]))
    assert invoice.balance == D("0.00") and invoice.paid == invoice.amount_due


def test_invoice_editor_explains_a_bad_line_and_saves_nothing(demo_db):
    at = _start("pages/invoices.py")
    next(b for b in at.button if b.label == "New invoice").click().run()
    before = len(finance.invoice_list(app_conn(at), limit=100000))
    at.number_input(key="invoice.new.0.client").set_value(1).run()
    next(b for b in at.button if b.label == "Save draft").click().run()
    assert not at.exception
    assert any("at least one line" in e.value for e in at.error)
    assert len(finance.invoice_list(app_conn(at), limit=100000)) == before


def test_practice_settings_saved_and_bad_identifier_explained(demo_db):
    at = _start("pages/practice.py")
    name = next(t for t in at.text_input if t.label == "Practice name")
    name.set_value("Studio Test")
    next(t for t in at.text_input if t.label == "VAT number").set_value("123")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception
    assert at.error, "a wrong VAT number must be explained"
    assert bs.get_practice(uow(at)).name != "Studio Test"
    next(t for t in at.text_input if t.label == "VAT number").set_value("12345670587")
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert bs.get_practice(uow(at)).name == "Studio Test"


def test_sessions_on_the_card_become_a_draft_invoice(demo_db):
    at = _start("pages/client_card.py")
    at.session_state["selected_client"] = 1  # Giulia: no sessions in the demo
    at.run()
    assert "No sessions yet." in [c.value for c in at.caption]
    next(t for t in at.text_input if t.label == "Description").set_value("Colloquio di sostegno")
    next(t for t in at.text_input if t.label == "Price").set_value("75,50")
    next(b for b in at.button if b.label == "Add session").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    sessions = bs.client_sessions(uow(at), 1)
    assert [(s.description, s.price) for s in sessions] == [("Colloquio di sostegno", D("75.50"))]
    next(b for b in at.button if b.label == "Invoice what is unbilled").click().run()
    assert not at.exception
    drafts = finance.invoice_list(app_conn(at), client_number=1, status="draft")
    assert len(drafts) == 1
    invoice = bs.get_invoice(uow(at), int(drafts.iloc[0]["id"]))
    assert invoice.lines[0].unit_price == D("75.50") and invoice.lines[0].session_id == sessions[0].id


def test_backup_page_makes_a_verified_backup(demo_db):
    at = _start("pages/backup.py")
    assert "No backups yet." in [i.value for i in at.info]
    next(b for b in at.button if b.label == "Make a backup now").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("written and verified" in s.value for s in at.success)
    files = list((demo_db.parent / "backups").glob("*.duckdb"))
    assert len(files) == 1 and len(at.dataframe) == 1
