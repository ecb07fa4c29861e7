# Billing on a real DuckDB file: sessions to invoices, numbering, payments, credit notes, and the rules
# that protect fiscal records.
import datetime
import threading
from decimal import Decimal as D

import pytest

from core import billing_services as bs
from core import services
from core.billing import payment_status
from core.errors import CodedError, InvalidState
from core.store import UnitOfWork, connect
from core.store import finance as fq

DAY = datetime.date(2026, 3, 10)
PERSON = {"kind": "private", "first_name": "Mario", "last_name": "Rossi"}
COMPANY = {"kind": "company", "company_name": "ACME Srl", "vat_number": "00743110157", "sdi_code": "ABC1234"}


@pytest.fixture
def conn(tmp_path):
    connection = connect(tmp_path / "billing.duckdb")
    bs.save_practice(UnitOfWork(connection), {"name": "Studio", "surcharge_rate": "2"})
    yield connection
    connection.close()


def uow(conn):
    return UnitOfWork(conn)


def client(conn, data=PERSON) -> int:
    return services.create_client(uow(conn), data, quick=True).client_number


def draft(conn, number, price="80", **kw):
    return bs.create_draft(
        uow(conn), number, [{"description": "Colloquio", "unit_price": price, "vat_nature": "N4"}], **kw
    )


def test_sessions_become_one_invoice_and_cannot_be_billed_twice(conn):
    number = client(conn)
    service = bs.save_service(uow(conn), {"name": "Colloquio", "price": "80,00", "vat_nature": "N4"})
    assert service.price == D("80.00")
    done = [bs.add_session(uow(conn), number, DAY.replace(day=d), service_id=service.id) for d in (2, 9)]
    skipped = bs.add_session(uow(conn), number, DAY, service_id=service.id, status="no_show")
    invoice = bs.invoice_unbilled(uow(conn), number, [s.id for s in done])
    assert [line.unit_price for line in invoice.lines] == [D("80.00"), D("80.00")]
    assert "02/03/2026" in invoice.lines[0].description
    assert (invoice.net, invoice.surcharge, invoice.stamp_duty, invoice.total) == (
        D("160.00"), D("3.20"), D("2.00"), D("165.20"))  # fmt: skip
    sessions = {s.id: s for s in bs.client_sessions(uow(conn), number)}
    assert all(sessions[s.id].invoice_id == invoice.id for s in done)
    with pytest.raises(CodedError) as exc:
        bs.invoice_unbilled(uow(conn), number, [done[0].id])
    assert exc.value.code == "error.session_not_billable"
    with pytest.raises(CodedError):
        bs.invoice_unbilled(uow(conn), number, [skipped.id])


def test_numbering_per_year_in_date_order_drafts_take_no_number(conn):
    number = client(conn)
    first = draft(conn, number)
    second = draft(conn, number)
    assert first.number == "" and second.number == ""
    a = bs.issue_invoice(uow(conn), second.id, issue_date=datetime.date(2026, 1, 5))
    b = bs.issue_invoice(uow(conn), first.id, issue_date=datetime.date(2026, 1, 7))
    assert (a.number, b.number) == ("2026/0001", "2026/0002")
    late = draft(conn, number)
    with pytest.raises(CodedError) as exc:  # an earlier date than the last issued would break the order
        bs.issue_invoice(uow(conn), late.id, issue_date=datetime.date(2026, 1, 6))
    assert exc.value.code == "error.issue_date_order"
    assert bs.get_invoice(uow(conn), late.id).status == "draft"
    nxt = bs.issue_invoice(uow(conn), late.id, issue_date=datetime.date(2027, 1, 2))
    assert nxt.number == "2027/0001"


def test_prefix_is_configurable(conn):
    bs.save_practice(uow(conn), {"name": "Studio", "number_prefix": "PSI-{year}-"})
    invoice = bs.issue_invoice(uow(conn), draft(conn, client(conn)).id, issue_date=DAY)
    assert invoice.number == "PSI-2026-0001"


def test_concurrent_issue_gives_no_gaps_and_no_duplicates(conn):
    number = client(conn)
    drafts = [draft(conn, number).id for _ in range(24)]
    errors: list[Exception] = []

    def issue(ids):
        for invoice_id in ids:
            try:
                bs.issue_invoice(uow(conn), invoice_id, issue_date=DAY)
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=issue, args=(drafts[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = sorted(r[0] for r in conn.execute("SELECT seq FROM invoices WHERE year = 2026").fetchall())
    assert seqs == list(range(1, 25))


def test_issued_invoice_is_locked_and_drafts_can_be_edited_or_deleted(conn):
    number = client(conn)
    invoice = draft(conn, number)
    edited = bs.update_draft(
        uow(conn),
        invoice.id,
        invoice.version,
        lines=[{"description": "Valutazione", "unit_price": "200", "vat_nature": "N4"}],
    )
    assert edited.net == D("200.00") and edited.version == invoice.version + 1
    with pytest.raises(CodedError) as exc:  # an edit from a stale screen overwrites nothing
        bs.update_draft(uow(conn), invoice.id, invoice.version, notes="x")
    assert exc.value.code == "error.invoice_changed"
    issued = bs.issue_invoice(uow(conn), invoice.id, issue_date=DAY)
    with pytest.raises(CodedError) as exc:
        bs.update_draft(uow(conn), issued.id, issued.version, notes="late")
    assert exc.value.code == "error.invoice_locked"
    with pytest.raises(CodedError):
        bs.delete_draft(uow(conn), issued.id)
    other = draft(conn, number)
    bs.delete_draft(uow(conn), other.id)
    with pytest.raises(CodedError):
        bs.get_invoice(uow(conn), other.id)


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([], "error.no_lines"),
        ([{"description": "", "unit_price": "10", "vat_nature": "N4"}], "error.line_description"),
        ([{"description": "x", "unit_price": "abc", "vat_nature": "N4"}], "error.not_a_number"),
        ([{"description": "x", "unit_price": "-5", "vat_nature": "N4"}], "error.line_amounts"),
        ([{"description": "x", "unit_price": "10", "quantity": "0", "vat_nature": "N4"}], "error.line_amounts"),
        ([{"description": "x", "unit_price": "10"}], "error.line_vat"),
    ],
)
def test_bad_lines_are_refused_with_their_reason_and_nothing_written(conn, lines, code):
    number = client(conn)
    with pytest.raises(CodedError) as exc:
        bs.create_draft(uow(conn), number, lines)
    assert exc.value.code == code
    assert conn.execute("SELECT count(*) FROM invoices").fetchone()[0] == 0


def test_partial_payments_balance_and_overpayment_refused(conn):
    number = client(conn)
    invoice = bs.issue_invoice(uow(conn), draft(conn, number, price="100").id, issue_date=DAY)
    assert invoice.amount_due == D("104.00")  # 100 + 2% + stamp duty
    with pytest.raises(CodedError) as exc:
        bs.add_payment(uow(conn), invoice.id, "104.01", DAY)
    assert exc.value.code == "error.payment_over_balance"
    with pytest.raises(CodedError):
        bs.add_payment(uow(conn), invoice.id, "10", DAY - datetime.timedelta(days=1))
    bs.add_payment(uow(conn), invoice.id, "40", DAY, "cash")
    after = bs.get_invoice(uow(conn), invoice.id)
    assert after.balance == D("64.00")
    assert payment_status(after, DAY) == "partly_paid"
    assert payment_status(after, DAY + datetime.timedelta(days=31)) == "overdue"
    bs.add_payment(uow(conn), invoice.id, "64,00", DAY, "bank_transfer")
    assert payment_status(bs.get_invoice(uow(conn), invoice.id), DAY) == "paid"
    assert fq.client_balance(conn, number) == D("0.00")


def test_payment_on_a_draft_is_refused(conn):
    invoice = draft(conn, client(conn))
    with pytest.raises(CodedError) as exc:
        bs.add_payment(uow(conn), invoice.id, "10", DAY)
    assert exc.value.code == "error.payment_not_issued"


def test_withholding_for_company_and_what_it_owes(conn):
    number = client(conn, COMPANY)
    invoice = bs.create_draft(
        uow(conn), number, [{"description": "Formazione", "unit_price": "1000", "vat_rate": "22"}]
    )
    assert invoice.withholding is True
    assert (invoice.total, invoice.withholding_amount, invoice.amount_due) == (D("1244.40"), D("200.00"), D("1044.40"))


def test_credit_note_cancels_and_frees_the_sessions(conn):
    number = client(conn)
    session = bs.add_session(uow(conn), number, DAY, description="Colloquio", price="80")
    invoice = bs.invoice_unbilled(uow(conn), number, [session.id])
    invoice = bs.issue_invoice(uow(conn), invoice.id, issue_date=DAY)
    note = bs.credit_note(uow(conn), invoice.id, issue_date=DAY)
    assert note.doc_type == "credit_note" and note.number == "2026/0002"
    assert note.related_number == invoice.number and note.total == invoice.total
    assert bs.get_invoice(uow(conn), invoice.id).status == "cancelled"
    assert bs.client_sessions(uow(conn), number)[0].invoice_id is None
    assert fq.client_balance(conn, number) == D("0.00")
    with pytest.raises(CodedError):
        bs.credit_note(uow(conn), invoice.id)
    with pytest.raises(CodedError):
        bs.add_payment(uow(conn), invoice.id, "1", DAY)


def test_guardian_pays_for_a_minor(conn):
    minor = client(conn, {"kind": "private", "first_name": "Luca", "last_name": "Verdi"})
    parent = client(conn, {"kind": "private", "first_name": "Anna", "last_name": "Verdi"})
    invoice = draft(conn, minor, payer_number=parent)
    assert invoice.payer_number == parent
    assert fq.invoice_list(conn, client_number=parent)["id"].tolist() == [invoice.id]


def test_inactive_or_trashed_clients_are_out_of_new_work(conn):
    number = client(conn)
    services.deactivate_client(uow(conn), number)
    with pytest.raises(CodedError) as exc:
        draft(conn, number)
    assert exc.value.code == "error.client_inactive"


def test_a_client_with_issued_invoices_cannot_be_deleted_but_drafts_are_purged(conn):
    billed = client(conn)
    bs.issue_invoice(uow(conn), draft(conn, billed).id, issue_date=DAY)
    with pytest.raises(InvalidState) as exc:
        services.delete_client(uow(conn), billed)
    assert exc.value.code == "error.delete_has_invoices"
    other = client(conn)
    draft(conn, other)
    bs.add_session(uow(conn), other, DAY, description="x", price="10")
    services.delete_client(uow(conn), other, at=datetime.datetime(2026, 1, 1))
    services.purge_trash(uow(conn), at=datetime.datetime(2026, 3, 1))
    assert conn.execute("SELECT count(*) FROM invoices WHERE client_number = ?", [other]).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sessions WHERE client_number = ?", [other]).fetchone()[0] == 0


def test_last_invoice_date_comes_from_issued_invoices(conn):
    number = client(conn)
    invoice = draft(conn, number)
    last = lambda: conn.execute("SELECT last_invoice_date FROM clients WHERE client_number = ?", [number]).fetchone()[0]  # noqa: E731
    assert last() is None
    bs.issue_invoice(uow(conn), invoice.id, issue_date=DAY)
    assert last() == DAY


def test_bonus_share_cannot_exceed_what_is_due(conn):
    number = client(conn)
    with pytest.raises(CodedError) as exc:
        draft(conn, number, bonus_amount="500")
    assert exc.value.code == "error.bonus_amount"
    invoice = draft(conn, number, bonus_amount="50")
    invoice = bs.issue_invoice(uow(conn), invoice.id, issue_date=DAY)
    year = fq.FinanceFilter(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert fq.kpis(conn, year, DAY)["bonus_receivable"] == D("50.00")  # owed by the state until it pays
    bs.add_payment(uow(conn), invoice.id, "20", DAY, "cash")
    assert fq.kpis(conn, year, DAY)["bonus_receivable"] == D("50.00")
    bs.add_payment(uow(conn), invoice.id, "50", DAY, "bonus")
    assert fq.kpis(conn, year, DAY)["bonus_receivable"] == D("0.00")
    assert bs.get_invoice(uow(conn), invoice.id).balance == D("13.60")


def test_practice_settings_round_trip_and_bad_values(conn):
    saved = bs.save_practice(uow(conn), {"name": "Studio Conti", "currency": "BRL", "regime": "forfettario"})
    assert bs.get_practice(uow(conn)) == saved
    with pytest.raises(CodedError) as exc:
        bs.save_practice(uow(conn), {"currency": "USD"})
    assert exc.value.code == "error.practice_invalid"


def test_practice_identifiers_are_checked_and_stored_compact(conn):
    saved = bs.save_practice(uow(conn), {"name": "Studio", "vat_number": "IT 12345670587"})
    assert saved.vat_number == "12345670587"
    with pytest.raises(CodedError) as exc:
        bs.save_practice(uow(conn), {"name": "Studio", "tax_code": "RSSMRA80A01H501X"})
    assert exc.value.code.startswith("error.tax_code")
    assert bs.get_practice(uow(conn)).vat_number == "12345670587"


def test_service_and_professional_filters_pick_their_invoices(conn):
    number = client(conn)
    service = bs.save_service(uow(conn), {"name": "Valutazione", "price": "200", "vat_nature": "N4"})
    with_service = bs.create_draft(
        uow(conn), number, [{"description": "Valutazione", "unit_price": "200", "vat_nature": "N4", "service_id": service.id}],
        professional="Marco Ferri",
    )  # fmt: skip
    bs.issue_invoice(uow(conn), with_service.id, issue_date=DAY)
    paid = bs.issue_invoice(uow(conn), draft(conn, number, price="80").id, issue_date=DAY)
    bs.add_payment(uow(conn), paid.id, paid.amount_due, DAY, "cash")
    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    everything = fq.kpis(conn, fq.FinanceFilter(*year), DAY)
    by_service = fq.kpis(conn, fq.FinanceFilter(*year, service_id=service.id), DAY)
    by_person = fq.kpis(conn, fq.FinanceFilter(*year, professional="Marco Ferri"), DAY)
    assert everything["revenue_period"] == D("280.00")
    assert by_service["revenue_period"] == by_person["revenue_period"] == D("200.00")
    assert everything["collected"] == paid.amount_due and by_service["collected"] == D("0.00")


def test_session_status_changes_until_it_is_invoiced(conn):
    number = client(conn)
    session = bs.add_session(uow(conn), number, DAY, description="Colloquio", price="80")
    assert bs.set_session_status(uow(conn), session.id, "no_show").status == "no_show"
    with pytest.raises(CodedError) as exc:
        bs.invoice_unbilled(uow(conn), number, [session.id])
    assert exc.value.code == "error.session_not_billable"
    bs.set_session_status(uow(conn), session.id, "to_bill")
    bs.invoice_unbilled(uow(conn), number, [session.id])
    with pytest.raises(CodedError) as exc:
        bs.set_session_status(uow(conn), session.id, "cancelled")
    assert exc.value.code == "error.session_invoiced"
    with pytest.raises(CodedError):
        bs.set_session_status(uow(conn), session.id, "maybe")
