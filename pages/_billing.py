# Billing widgets shared by the client card and the Invoices page: sessions, invoice tables, money.
from __future__ import annotations

import datetime

import pandas as pd
import streamlit as st

from core import billing_services as bs
from core.billing import SessionStatus
from core.errors import CartellaError
from core.i18n import format_money
from core.store import finance
from core.store.imports import invoices_of
from pages import _ui
from pages._ui import tr

KEY_INVOICE = "invoice.open"  # id of the invoice shown on the Invoices page
KEY_NEW_FOR = "invoice.new_for"  # client number a new invoice is prefilled for


def money(amount, currency: str = "EUR") -> str:
    if amount is None or amount != amount:
        return ""
    return format_money(amount, currency, _ui.lang())


def open_invoice(invoice_id: int) -> None:
    st.session_state[KEY_INVOICE] = int(invoice_id)
    st.session_state.pop(KEY_NEW_FOR, None)
    st.switch_page("pages/invoices.py")


def new_invoice(client_number: int) -> None:
    st.session_state[KEY_NEW_FOR] = int(client_number)
    st.session_state.pop(KEY_INVOICE, None)
    st.switch_page("pages/invoices.py")


def attempt(conn, action, *args, **kwargs):
    """Run a billing use case; a refused one shows its reason and returns None."""
    try:
        return action(_ui.uow(conn), *args, **kwargs)
    except CartellaError as exc:
        st.error(tr(exc.code, **exc.params))
    except ValueError as exc:  # pydantic's, on a value the forms could not stop
        st.error(tr("error.value", reason=str(exc).splitlines()[0]))
    return None


def totals_box(totals, practice, currency: str, extra: list | None = None) -> None:
    """The totals of an invoice as the document shows them, plus `extra` (label, amount) rows."""
    rows = [(tr("pdf.fees"), totals.net)]
    if totals.surcharge:
        rows.append((practice.surcharge_label or tr("legal.surcharge_default"), totals.surcharge))
    if totals.vat:
        rows.append((tr("col.vat"), totals.vat))
    if totals.stamp_duty:
        rows.append((tr("pdf.stamp_duty"), totals.stamp_duty))
    rows.append((tr("pdf.total"), totals.total))
    if totals.withholding_amount:
        rows.append(
            (tr("pdf.withholding", rate=f"{practice.withholding_rate.normalize():f}"), -totals.withholding_amount)
        )
        rows.append((tr("pdf.amount_due"), totals.amount_due))
    rows += extra or []
    st.markdown("  \n".join(f"{label}: **{money(amount, currency)}**" for label, amount in rows))


def invoice_table(frame: pd.DataFrame, key: str) -> int | None:
    """Invoices with status and balance; returns the id of the row the user clicked."""
    view = pd.DataFrame(
        {
            "id": frame["id"],
            "number": [n or tr("pdf.no_number") for n in frame["number"]],
            "doc": [tr(f"invoice.doc.{d}") for d in frame["doc_type"]],
            "issue_date": frame["issue_date"].map(_ui.fmt_date),
            "client": [f"{n} · {name}" for n, name in zip(frame["client_number"], frame["display_name"], strict=True)],
            "total": [money(v) for v in frame["amount_due"]],
            "balance": [money(v) for v in frame["balance"]],
            "status": [tr(f"invoice.status.{state}") for state in frame["state"]],
        }
    )
    selection = st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config={
            "id": None,
            "number": tr("col.invoice_number"),
            "doc": tr("col.invoice_type"),
            "issue_date": tr("col.invoice_date"),
            "client": tr("col.name"),
            "total": tr("invoice.amount_due"),
            "balance": tr("finance.balance"),
            "status": tr("col.state"),
        },
    )
    rows = selection.selection.rows if selection else []
    return int(view.iloc[rows[0]]["id"]) if rows else None


def billing_tab(conn, client) -> None:
    """The card's billing tab: balance, sessions to invoice, invoices, imported history."""
    number = client.client_number
    c1, c2, _spacer = st.columns([1, 1, 2])
    c1.metric(tr("billing.balance"), money(finance.client_balance(conn, number)))
    usable = client.active and not client.in_trash
    if c2.button(tr("billing.new_invoice"), key="card.new_invoice", disabled=not usable, type="primary"):
        new_invoice(number)
    _sessions(conn, client, usable)
    st.subheader(tr("billing.invoices"))
    invoices = finance.invoice_list(conn, client_number=number)
    if invoices.empty:
        st.caption(tr("card.no_invoices"))
    else:
        chosen = invoice_table(invoices, key=f"card.invoices.{number}.{st.session_state.get('card.inv_nonce', 0)}")
        if chosen is not None:
            st.session_state["card.inv_nonce"] = st.session_state.get("card.inv_nonce", 0) + 1
            open_invoice(chosen)
    _imported(conn, number)


def _sessions(conn, client, usable: bool) -> None:
    number = client.client_number
    st.subheader(tr("billing.sessions"))
    sessions = bs.client_sessions(_ui.uow(conn), number)
    services = {s.id: s for s in bs.list_services(_ui.uow(conn), include_inactive=True)}
    if usable:
        with st.expander(tr("billing.add_session")), st.form(f"session.add.{number}", clear_on_submit=True):
            c1, c2, c3 = st.columns(3)
            day = c1.date_input(tr("billing.session_date"), value=datetime.date.today(), format="DD/MM/YYYY")
            active = [s for s in services.values() if s.active]
            service = c2.selectbox(
                tr("billing.service"), [None, *active], format_func=lambda s: tr("billing.no_service") if s is None
                else f"{s.name} · {money(s.price)}",
            )  # fmt: skip
            price = c3.text_input(tr("billing.price"), placeholder=tr("billing.price_from_service"))
            c4, c5, c6 = st.columns(3)
            description = c4.text_input(tr("billing.description"))
            professional = c5.text_input(tr("billing.professional"), value=bs.get_practice(_ui.uow(conn)).professional)
            status = c6.selectbox(
                tr("col.state"), [s.value for s in SessionStatus], format_func=lambda s: tr(f"session.status.{s}")
            )
            if st.form_submit_button(tr("billing.add_session_button")):
                if service is None and not description.strip():
                    st.error(tr("error.session_description"))
                else:
                    saved = attempt(
                        conn, bs.add_session, number, day, service_id=service.id if service else None, price=price or None,
                        description=description, professional=professional, status=status,
                    )  # fmt: skip
                    if saved:
                        _ui.bump()
                        _ui.flash(tr("billing.session_added"))
                        st.rerun()
    if not sessions:
        st.caption(tr("billing.no_sessions"))
        return
    unbilled = [s for s in sessions if s.invoice_id is None and s.status in ("done", "to_bill")]
    st.dataframe(
        pd.DataFrame(
            {
                tr("billing.session_date"): [_ui.fmt_date(s.session_date) for s in sessions],
                tr("billing.description"): [s.description for s in sessions],
                tr("billing.professional"): [s.professional for s in sessions],
                tr("billing.price"): [money(s.price) for s in sessions],
                tr("col.state"): [tr(f"session.status.{s.status}") for s in sessions],
                tr("billing.invoiced"): ["✓" if s.invoice_id else "" for s in sessions],
            }
        ),
        hide_index=True,
        width="stretch",
        height=min(35 * (len(sessions) + 1) + 3, 300),
    )
    open_sessions = [s for s in sessions if s.invoice_id is None]
    if open_sessions and usable:
        with st.expander(tr("billing.change_status")):
            c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
            session = c1.selectbox(
                tr("billing.session"), open_sessions, key=f"billing.status_session.{number}",
                format_func=lambda s: f"{_ui.fmt_date(s.session_date)} · {s.description} · "
                f"{tr(f'session.status.{s.status}')}",
            )  # fmt: skip
            status = c2.selectbox(
                tr("col.state"), [s.value for s in SessionStatus], key=f"billing.status_value.{number}",
                format_func=lambda s: tr(f"session.status.{s}"),
            )  # fmt: skip
            apply = c3.button(tr("billing.apply"), key=f"billing.status_apply.{number}", width="stretch")
            if apply and attempt(conn, bs.set_session_status, session.id, status) is not None:
                _ui.bump()
                _ui.flash(tr("billing.status_changed"))
                st.rerun()
    if unbilled and usable:
        chosen = st.multiselect(
            tr("billing.unbilled"),
            unbilled,
            default=unbilled,
            format_func=lambda s: f"{_ui.fmt_date(s.session_date)} · {s.description} · {money(s.price)}",
            key=f"billing.unbilled.{number}",
        )
        if st.button(tr("billing.invoice_unbilled"), key=f"billing.invoice_unbilled.{number}", disabled=not chosen):
            invoice = attempt(conn, bs.invoice_unbilled, number, [s.id for s in chosen])
            if invoice:
                _ui.bump()
                _ui.flash(tr("billing.draft_created"))
                open_invoice(invoice.id)


def _imported(conn, number: int) -> None:
    invoices = invoices_of(conn, number)
    if invoices.empty:
        return
    st.subheader(tr("billing.imported"))

    def _money(column: str) -> list[str]:
        return [money(v, cur or "EUR") for v, cur in zip(invoices[column], invoices["currency"], strict=True)]

    st.dataframe(
        invoices.assign(
            issue_date=invoices["issue_date"].map(_ui.fmt_date),
            paid_date=invoices["paid_date"].map(lambda d: _ui.fmt_date(d) if d is not None and d == d else ""),
            **{c: _money(c) for c in ("net", "vat", "total")},
            paid_amount=[money(v, cur or "EUR") if v is not None and v == v else ""
                         for v, cur in zip(invoices["paid_amount"], invoices["currency"], strict=True)],
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "number": tr("col.invoice_number"), "issue_date": tr("col.invoice_date"),
            "document_type": tr("col.invoice_type"), "currency": None, "net": tr("col.net"), "vat": tr("col.vat"),
            "total": tr("col.total"), "paid_date": tr("col.paid_date"), "paid_amount": tr("col.paid_so_far"),
            "source": tr("col.source"),
        },
    )  # fmt: skip
