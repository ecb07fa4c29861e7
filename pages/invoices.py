# Invoices: the list, a new invoice (prefilled from a client), and one invoice with its payments,
# PDF, issue and credit note.
import datetime

import streamlit as st

from core import billing_services as bs
from core import services
from core.billing import PaymentMethod, PracticeSettings, payment_status
from core.errors import ClientNotFound, CodedError
from core.invoice_pdf import legal_texts, render
from core.invoicing import compute
from core.store import finance
from pages import _ui
from pages._billing import KEY_INVOICE, KEY_NEW_FOR, attempt, invoice_table, money, totals_box
from pages._invoice_editor import editor
from pages._ui import tr

conn = _ui.page_setup()
_ui.show_flash()
practice = bs.get_practice(_ui.uow(conn))


def _back() -> None:
    for name in (KEY_INVOICE, KEY_NEW_FOR, "invoice.new_mode"):
        st.session_state.pop(name, None)
    st.rerun()


def _list() -> None:
    st.title(tr("nav.invoices"))
    if not practice.name:
        st.info(tr("invoice.practice_missing"))
        if st.button(tr("invoice.to_practice"), key="invoices.to_practice"):
            st.switch_page("pages/practice.py")
    c1, c2, _spacer = st.columns([1, 1, 2], vertical_alignment="bottom")
    if c1.button(tr("billing.new_invoice"), type="primary", key="invoices.new", width="stretch"):
        st.session_state["invoice.new_mode"] = True
        st.rerun()
    status = c2.selectbox(
        tr("col.state"), [None, "draft", "issued", "cancelled"], key="invoices.status",
        format_func=lambda s: tr("kind.all") if s is None else tr(f"invoice.status.{s}"),
    )  # fmt: skip
    frame = finance.invoice_list(conn, status=status, limit=500)
    if frame.empty:
        st.info(tr("invoice.none"))
        return
    chosen = invoice_table(frame, key=f"invoices.table.{status}.{st.session_state.get('invoices.nonce', 0)}")
    st.caption(tr("invoice.list_hint", count=len(frame)))
    if chosen is not None:
        st.session_state["invoices.nonce"] = st.session_state.get("invoices.nonce", 0) + 1
        st.session_state[KEY_INVOICE] = chosen
        st.rerun()


def _new(client_number: int | None) -> None:
    st.title(tr("billing.new_invoice"))
    if st.button(tr("invoice.back"), key="invoice.new.back"):
        _back()
    editor(conn, f"invoice.new.{client_number or 0}", client_number=client_number)


def _client(number: int | None):
    if number is None:
        return None
    try:
        return services.get_client(_ui.uow(conn), number)
    except ClientNotFound:
        return None


@st.dialog(tr("invoice.credit_title"))
def _confirm_credit(invoice) -> None:
    st.write(tr("invoice.credit_confirm", number=invoice.number))
    day = st.date_input(tr("col.invoice_date"), value=datetime.date.today(), format="DD/MM/YYYY", key="credit.date")
    c1, c2 = st.columns(2)
    if c1.button(tr("invoice.credit_yes"), type="primary", key="credit.yes"):
        note = attempt(conn, bs.credit_note, invoice.id, issue_date=day)
        if note:
            _ui.bump()
            _ui.flash(tr("invoice.credited", number=note.number))
            st.session_state[KEY_INVOICE] = note.id
            st.rerun()
    if c2.button(tr("common.cancel"), key="credit.no"):
        st.rerun()


def _detail(invoice_id: int) -> None:
    try:
        invoice = bs.get_invoice(_ui.uow(conn), invoice_id)
    except CodedError as exc:
        st.warning(tr(exc.code, **exc.params))
        if st.button(tr("invoice.back")):
            _back()
        return
    client, payer = _client(invoice.client_number), _client(invoice.payer_number)
    title = tr(f"invoice.doc.{invoice.doc_type}") + " " + (invoice.number or tr("pdf.no_number"))
    st.title(title)
    state = payment_status(invoice)
    colour = {"paid": "green", "overdue": "red", "draft": "gray", "cancelled": "gray"}.get(state, "orange")
    badges = [f":{colour}-badge[{tr(f'invoice.status.{state}')}]"]
    if invoice.related_number:
        badges.append(f":gray-badge[{tr('invoice.refers_to', number=invoice.related_number)}]")
    st.markdown(" ".join(badges))
    c1, c2, c3, _spacer = st.columns([1, 1, 1, 2])
    if c1.button(tr("invoice.back"), key="invoice.back", width="stretch"):
        _back()
    if client and c2.button(tr("invoice.open_client"), key="invoice.open_client", width="stretch"):
        _ui.open_card(client.client_number)
    if client:
        c3.download_button(  # the PDF is drawn when asked for, not on every rerun of the page
            tr("invoice.pdf"), data=lambda: render(invoice, client, payer, practice, _ui.lang()), file_name=f"{(invoice.number or f'bozza-{invoice.id}').replace('/', '-')}.pdf",
            mime="application/pdf", key="invoice.pdf", on_click="ignore", width="stretch",
        )  # fmt: skip
    if invoice.editable:
        with st.expander(tr("invoice.edit_draft"), expanded=True):
            editor(conn, f"invoice.edit.{invoice.id}.{invoice.version}", draft=invoice)
        if st.button(tr("invoice.delete_draft"), key="invoice.delete"):
            try:
                bs.delete_draft(_ui.uow(conn), invoice.id)
            except CodedError as exc:
                st.error(tr(exc.code, **exc.params))
            else:
                _ui.bump()
                _ui.flash(tr("invoice.draft_deleted"))
                _back()
        return
    _summary(invoice, client, payer)
    if invoice.doc_type == "invoice":
        _payments(invoice)
        if invoice.status == "issued" and st.button(tr("invoice.credit"), key="invoice.credit"):
            _confirm_credit(invoice)


def _summary(invoice, client, payer) -> None:
    left, right = st.columns([3, 2])
    with left:
        who = client.display_name if client else str(invoice.client_number)
        st.markdown(f"**{tr('pdf.billed_to')}:** {(payer or client).display_name if (payer or client) else who}")
        if payer:
            st.markdown(f"**{tr('pdf.patient')}:** {who}")
        st.markdown(
            f"{tr('col.invoice_date')}: {_ui.fmt_date(invoice.issue_date)}"
            + (f" · {tr('pdf.due_date', date=_ui.fmt_date(invoice.due_date))}" if invoice.due_date else "")
        )
        st.dataframe(
            [
                {
                    tr("pdf.col.description"): line.description,
                    tr("pdf.col.quantity"): f"{line.quantity.normalize():f}",
                    tr("pdf.col.unit_price"): money(line.unit_price, invoice.currency),
                    tr("pdf.col.amount"): money(line.net, invoice.currency),
                }
                for line in invoice.lines
            ],
            hide_index=True,
            width="stretch",
        )
    with right, st.container(border=True):
        practice_then = PracticeSettings(**invoice.practice) if invoice.practice else practice
        totals = compute(invoice, practice_then)
        paid = [(tr("invoice.paid"), invoice.paid),
                (tr("finance.balance"), invoice.balance if invoice.status == "issued" else 0)]  # fmt: skip
        totals_box(totals, practice_then, invoice.currency, paid if invoice.doc_type == "invoice" else [])
        for text in legal_texts(totals, invoice.currency, _ui.lang()):
            st.caption(text)


def _payments(invoice) -> None:
    st.subheader(tr("finance.payments"))
    payments = bs.invoice_payments(_ui.uow(conn), invoice.id)
    if payments:
        st.dataframe(
            [
                {
                    tr("invoice.paid_on"): _ui.fmt_date(p.paid_on),
                    tr("finance.amount"): money(p.amount, invoice.currency),
                    tr("finance.method"): tr(f"payment.{p.method}"),
                    tr("invoice.notes"): p.note,
                }
                for p in payments
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(tr("invoice.no_payments"))
    if invoice.status != "issued" or invoice.balance <= 0:
        return
    with st.form(f"payment.{invoice.id}.{invoice.paid}", clear_on_submit=True):
        c1, c2, c3, c4 = st.columns(4)
        amount = c1.text_input(tr("finance.amount"), value=f"{invoice.balance:.2f}")
        day = c2.date_input(tr("invoice.paid_on"), value=datetime.date.today(), format="DD/MM/YYYY")
        method = c3.selectbox(
            tr("finance.method"), [m.value for m in PaymentMethod], index=2, format_func=lambda m: tr(f"payment.{m}")
        )
        note = c4.text_input(tr("invoice.notes"))
        if st.form_submit_button(tr("invoice.add_payment"), type="primary"):
            saved = attempt(conn, bs.add_payment, invoice.id, amount, day, method, note)
            if saved:
                _ui.bump()
                _ui.flash(tr("invoice.payment_saved", amount=money(saved.amount, invoice.currency)))
                st.rerun()


if st.session_state.get(KEY_INVOICE) is not None:
    _detail(st.session_state[KEY_INVOICE])
elif st.session_state.get(KEY_NEW_FOR) is not None or st.session_state.get("invoice.new_mode"):
    _new(st.session_state.get(KEY_NEW_FOR))
else:
    _list()
