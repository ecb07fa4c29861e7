# The invoice editor: client and payer, lines (typed or from the catalogue), options, live totals.
# Used for a new invoice and to edit a draft. Amounts are typed as text and parsed to Decimal in core.
from __future__ import annotations

import datetime

import pandas as pd
import streamlit as st

from core import billing_services as bs
from core import services
from core.billing import VAT_NATURES, Invoice, InvoiceLine
from core.errors import CartellaError, ClientNotFound
from core.invoicing import compute, withholding_default
from pages import _ui
from pages._billing import KEY_INVOICE, KEY_NEW_FOR, attempt, money, totals_box
from pages._ui import tr

LINE_COLUMNS = ("description", "quantity", "unit_price", "discount_pct", "vat_rate", "vat_nature")


def _lines_frame(lines: list[InvoiceLine]) -> pd.DataFrame:
    rows = [
        {
            "description": line.description,
            "quantity": f"{line.quantity.normalize():f}",
            "unit_price": f"{line.unit_price:.2f}",
            "discount_pct": f"{line.discount_pct.normalize():f}" if line.discount_pct else "",
            "vat_rate": f"{line.vat_rate.normalize():f}" if line.vat_rate else "",
            "vat_nature": line.vat_nature,
        }
        for line in lines
    ]
    return pd.DataFrame(rows, columns=list(LINE_COLUMNS)).astype(str)


def _typed_lines(frame: pd.DataFrame) -> list[dict]:
    """Rows the user filled in (blank rows skipped), as the service layer takes them."""
    lines = []
    for row in frame.fillna("").to_dict("records"):
        values = {k: str(row.get(k) or "").strip() for k in LINE_COLUMNS}
        if not any(values.values()):
            continue
        values["vat_rate"] = values["vat_rate"] or "0"
        if values["vat_rate"] not in ("0", "0.0", "0,0", "0.00", "0,00"):
            values["vat_nature"] = ""
        lines.append({k: v for k, v in values.items() if v != ""})
    return lines


def _client(conn, number) -> object | None:
    if not number:
        return None
    try:
        return services.get_client(_ui.uow(conn), int(number))
    except ClientNotFound:
        st.error(tr("error.client_not_found", number=number))
        return None


def editor(conn, key: str, draft: Invoice | None = None, client_number: int | None = None) -> None:
    """Edit a draft (or a new invoice) and save it as a draft, or save and issue it at once."""
    practice = bs.get_practice(_ui.uow(conn))
    lines_key = f"{key}.lines"
    if lines_key not in st.session_state:
        st.session_state[lines_key] = _lines_frame(draft.lines if draft else [])
    c1, c2, c3 = st.columns(3)
    number = c1.number_input(
        tr("invoice.client"), min_value=1, step=1, value=draft.client_number if draft else client_number,
        key=f"{key}.client", placeholder=tr("card.pick"),
    )  # fmt: skip
    payer_number = c2.number_input(
        tr("invoice.payer"), min_value=1, step=1, value=draft.payer_number if draft else None,
        key=f"{key}.payer", help=tr("invoice.payer_help"), placeholder=tr("invoice.payer_placeholder"),
    )  # fmt: skip
    issue_date = c3.date_input(
        tr("col.invoice_date"), value=draft.issue_date if draft else datetime.date.today(), format="DD/MM/YYYY",
        key=f"{key}.date",
    )  # fmt: skip
    card = _client(conn, number)
    payer = _client(conn, payer_number) if payer_number else None
    if card is not None:
        label = f"**{card.display_name}** · {_ui.kind_label(card.kind)}"
        if payer is not None:
            label += " · " + tr("invoice.paid_by", name=payer.display_name)
        st.markdown(label)
        if card.incomplete:
            st.warning(tr("card.missing", fields=", ".join(tr(f"field.{f}") for f in card.missing_fields)))

    catalogue = bs.list_services(_ui.uow(conn))
    if catalogue:
        s1, s2 = st.columns([3, 1], vertical_alignment="bottom")
        service = s1.selectbox(
            tr("invoice.add_service"), catalogue, format_func=lambda s: f"{s.name} · {money(s.price)}",
            key=f"{key}.service",
        )  # fmt: skip
        if s2.button(tr("invoice.add_line"), key=f"{key}.add_service", width="stretch"):
            current = st.session_state.get(f"{key}.edited", st.session_state[lines_key])
            line = InvoiceLine(
                description=service.name, unit_price=service.price, vat_rate=service.vat_rate,
                vat_nature=service.vat_nature if not service.vat_rate else "", service_id=service.id,
            )  # fmt: skip
            st.session_state[lines_key] = pd.concat([current, _lines_frame([line])], ignore_index=True)
            st.session_state[f"{key}.nonce"] = st.session_state.get(f"{key}.nonce", 0) + 1
            st.rerun()
    edited = st.data_editor(
        st.session_state[lines_key],
        num_rows="dynamic",
        width="stretch",
        key=f"{key}.editor.{st.session_state.get(f'{key}.nonce', 0)}",
        column_config={
            "description": st.column_config.TextColumn(tr("pdf.col.description"), width="large", required=True),
            "quantity": st.column_config.TextColumn(tr("pdf.col.quantity"), default="1"),
            "unit_price": st.column_config.TextColumn(tr("pdf.col.unit_price")),
            "discount_pct": st.column_config.TextColumn(tr("invoice.discount_pct")),
            "vat_rate": st.column_config.TextColumn(tr("invoice.vat_rate"), default=""),
            "vat_nature": st.column_config.SelectboxColumn(
                tr("invoice.vat_nature"), options=list(VAT_NATURES), default=practice.default_vat_nature,
                help=tr("invoice.vat_nature_help"),
            ),
        },
    )  # fmt: skip
    st.session_state[f"{key}.edited"] = edited
    o1, o2, o3 = st.columns(3)
    payer_kind = (payer or card).kind if (payer or card) else "private"
    default_withholding = draft.withholding if draft else withholding_default(practice, payer_kind)
    withholding = o1.checkbox(
        tr("invoice.withholding"), value=default_withholding, key=f"{key}.withholding.{payer_kind}",
        help=tr("invoice.withholding_help"), disabled=practice.regime == "forfettario",
    )  # fmt: skip
    bonus = o2.text_input(
        tr("invoice.bonus_amount"), value=f"{draft.bonus_amount:.2f}" if draft and draft.bonus_amount else "",
        key=f"{key}.bonus", help=tr("invoice.bonus_help"),
    )  # fmt: skip
    professional = o3.text_input(
        tr("billing.professional"), value=draft.professional if draft else practice.professional,
        key=f"{key}.professional",
    )  # fmt: skip
    notes = st.text_input(tr("invoice.notes"), value=draft.notes if draft else "", key=f"{key}.notes")

    lines = _typed_lines(edited)
    _preview(practice, lines, withholding, bonus)
    b1, b2, _spacer = st.columns([1, 1, 2])
    save = b1.button(tr("invoice.save_draft"), key=f"{key}.save", width="stretch")
    issue = b2.button(tr("invoice.save_issue"), key=f"{key}.issue", type="primary", width="stretch")
    if not (save or issue):
        return
    if card is None:
        st.error(tr("invoice.choose_client"))
        return
    options = {"payer_number": payer_number, "withholding": withholding, "bonus_amount": bonus or "0",
               "professional": professional, "notes": notes, "issue_date": issue_date}  # fmt: skip
    if draft is None:
        saved = attempt(conn, bs.create_draft, int(number), lines, **options)
    else:
        options.pop("payer_number")
        saved = attempt(
            conn, bs.update_draft, draft.id, draft.version, lines=lines, client_number=int(number),
            payer_number=payer_number if payer_number and payer_number != number else None, **options,
        )  # fmt: skip
    if saved is None:
        return
    if issue:
        issued = attempt(conn, bs.issue_invoice, saved.id, issue_date=issue_date)
        if issued is None:
            st.info(tr("invoice.saved_as_draft"))
            _finish(key, saved.id)
            return
        _ui.flash(tr("invoice.issued", number=issued.number))
    else:
        _ui.flash(tr("invoice.draft_saved"))
    _finish(key, saved.id)
    st.rerun()


def _finish(key: str, invoice_id: int) -> None:
    for name in [k for k in st.session_state if str(k).startswith(f"{key}.")]:
        del st.session_state[name]
    st.session_state[KEY_INVOICE] = invoice_id
    st.session_state.pop(KEY_NEW_FOR, None)
    st.session_state.pop("invoice.new_mode", None)
    _ui.bump()


def _preview(practice, lines: list[dict], withholding: bool, bonus: str) -> None:
    """The totals as they will be, recomputed on every change; a bad value says which line."""
    if not lines:
        st.caption(tr("invoice.no_lines_yet"))
        return
    try:
        parsed = bs.parse_lines(lines)
        bonus_amount = bs.to_decimal(bonus or "0", "bonus_amount")
    except CartellaError as exc:
        st.warning(tr(exc.code, **exc.params))
        return
    invoice = Invoice(client_number=0, issue_date=datetime.date.today(), lines=parsed, regime=practice.regime,
                      withholding=withholding, bonus_amount=bonus_amount)  # fmt: skip
    with st.container(border=True):
        totals_box(compute(invoice, practice), practice, practice.currency)
