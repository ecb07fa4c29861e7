# Practice & services: the practice's own data for its invoices, how it bills, and the catalogue.
from pathlib import Path

import pandas as pd
import streamlit as st

from core import billing_services as bs
from core.billing import CURRENCIES, VAT_NATURES, Regime
from core.errors import CartellaError
from pages import _ui
from pages._ui import tr

conn = _ui.page_setup()
st.title(tr("nav.practice"))
_ui.show_flash()
practice = bs.get_practice(_ui.uow(conn))

tab_practice, tab_services = st.tabs([tr("practice.tab"), tr("practice.services_tab")])
with tab_practice, st.form("practice.form"):
    st.subheader(tr("practice.identity"))
    c1, c2 = st.columns(2)
    values = {
        "name": c1.text_input(tr("practice.name"), practice.name),
        "professional": c2.text_input(tr("billing.professional"), practice.professional),
        "tax_code": c1.text_input(tr("field.tax_code"), practice.tax_code),
        "vat_number": c2.text_input(tr("field.vat_number"), practice.vat_number),
        "street": c1.text_input(tr("field.street"), practice.street),
        "postal_code": c2.text_input(tr("field.postal_code"), practice.postal_code),
        "city": c1.text_input(tr("field.city"), practice.city),
        "province": c2.text_input(tr("field.province"), practice.province),
        "email": c1.text_input(tr("practice.email"), practice.email),
        "pec": c2.text_input(tr("field.pec"), practice.pec),
        "phone": c1.text_input(tr("practice.phone"), practice.phone),
        "iban": c2.text_input("IBAN", practice.iban),
    }
    logo = st.file_uploader(tr("practice.logo"), type=["png", "jpg", "jpeg"])
    st.subheader(tr("practice.billing"))
    c1, c2, c3 = st.columns(3)
    values["currency"] = c1.selectbox(tr("practice.currency"), CURRENCIES, index=CURRENCIES.index(practice.currency))
    regimes = [r.value for r in Regime]
    values["regime"] = c2.selectbox(
        tr("practice.regime"), regimes, index=regimes.index(practice.regime),
        format_func=lambda r: tr(f"practice.regime.{r}"),
    )  # fmt: skip
    values["payment_days"] = c3.number_input(tr("practice.payment_days"), 0, 365, practice.payment_days)
    values["surcharge_rate"] = c1.text_input(
        tr("practice.surcharge_rate"), f"{practice.surcharge_rate.normalize():f}", help=tr("practice.surcharge_help")
    )
    values["surcharge_label"] = c2.text_input(tr("practice.surcharge_label"), practice.surcharge_label)
    values["number_prefix"] = c3.text_input(
        tr("practice.number_prefix"), practice.number_prefix, help=tr("practice.number_prefix_help")
    )
    values["default_vat_rate"] = c1.text_input(tr("invoice.vat_rate"), f"{practice.default_vat_rate.normalize():f}")
    natures = list(VAT_NATURES)
    values["default_vat_nature"] = c2.selectbox(
        tr("invoice.vat_nature"), natures, index=natures.index(practice.default_vat_nature)
        if practice.default_vat_nature in natures else 0, format_func=lambda n: tr(VAT_NATURES[n]),
    )  # fmt: skip
    values["withholding_rate"] = c3.text_input(tr("practice.withholding_rate"), f"{practice.withholding_rate:f}")
    values["withholding_applies"] = st.checkbox(tr("practice.withholding_applies"), practice.withholding_applies)
    values["stamp_duty_to_client"] = st.checkbox(tr("practice.stamp_to_client"), practice.stamp_duty_to_client)
    if st.form_submit_button(tr("practice.save"), type="primary"):
        values["logo_path"] = practice.logo_path
        if logo is not None:
            target = _ui.db_path().parent / "attachments" / f"logo{Path(logo.name).suffix.lower()}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(logo.getvalue())
            values["logo_path"] = str(target)
        try:
            for name in ("surcharge_rate", "default_vat_rate", "withholding_rate"):
                values[name] = bs.to_decimal(values[name] or "0", tr(f"practice.{name}"))
            bs.save_practice(_ui.uow(conn), values)
        except CartellaError as exc:
            st.error(tr(exc.code, **exc.params))
        else:
            _ui.bump()
            _ui.flash(tr("practice.saved"))
            st.rerun()

with tab_services:
    st.caption(tr("practice.services_help"))
    catalogue = bs.list_services(_ui.uow(conn), include_inactive=True)
    frame = pd.DataFrame(
        [
            {
                "id": s.id,
                "name": s.name,
                "price": f"{s.price:.2f}",
                "duration_minutes": s.duration_minutes,
                "vat_rate": f"{s.vat_rate.normalize():f}",
                "vat_nature": s.vat_nature,
                "active": s.active,
            }
            for s in catalogue
        ],
        columns=["id", "name", "price", "duration_minutes", "vat_rate", "vat_nature", "active"],
    )
    edited = st.data_editor(
        frame,
        num_rows="add",  # services in use are never deleted: untick "active" to retire one
        width="stretch",
        key=f"services.editor.{st.session_state.get('services.nonce', 0)}",
        disabled=["id"],
        column_config={
            "id": None,
            "name": st.column_config.TextColumn(tr("billing.service"), required=True, width="large"),
            "price": st.column_config.TextColumn(tr("billing.price"), default="0"),
            "duration_minutes": st.column_config.NumberColumn(tr("practice.duration"), min_value=0, default=50),
            "vat_rate": st.column_config.TextColumn(tr("invoice.vat_rate"), default="0"),
            "vat_nature": st.column_config.SelectboxColumn(
                tr("invoice.vat_nature"), options=["", *VAT_NATURES], default=practice.default_vat_nature
            ),
            "active": st.column_config.CheckboxColumn(tr("practice.service_active"), default=True),
        },
    )
    if st.button(tr("practice.save_services"), type="primary", key="services.save"):
        errors = []
        for position, row in enumerate(edited.to_dict("records"), start=1):
            if not str(row.get("name") or "").strip():
                continue
            try:
                rate = bs.to_decimal(str(row.get("vat_rate") or "0"), tr("invoice.vat_rate"))
                data = {
                    "name": row["name"],
                    "price": str(row.get("price") or "0"),
                    "duration_minutes": int(row.get("duration_minutes") or 0),
                    "vat_rate": rate,
                    "vat_nature": "" if rate else (row.get("vat_nature") or practice.default_vat_nature),
                    "active": bool(row.get("active", True)),
                }
                if pd.notna(row.get("id")):
                    data["id"] = int(row["id"])
                bs.save_service(_ui.uow(conn), data)
            except CartellaError as exc:
                errors.append(f"{position}: {tr(exc.code, **exc.params)}")
        if errors:
            for error in errors:
                st.error(error)
        else:
            st.session_state["services.nonce"] = st.session_state.get("services.nonce", 0) + 1
            _ui.bump()
            _ui.flash(tr("practice.services_saved"))
            st.rerun()
