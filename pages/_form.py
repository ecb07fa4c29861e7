# The client-card form shared by "New client" and the card's edit tab.
# Every field shows its own errors and warnings right below it, in the user's language.
from __future__ import annotations

import datetime

import streamlit as st

from core.i18n import country_names
from core.identifiers import phone as phone_id
from core.identifiers import tax_code as tax_id
from core.identifiers import vat as vat_id
from core.validation import Issue
from pages._ui import lang, region, tr

PERSON_FLAGS = ("attention", "no_reminders", "ts_opposition", "psych_bonus")
OTHER_FLAGS = ("attention", "no_reminders")


def errors_key(form_key: str) -> str:
    return f"{form_key}.errors"


def warnings_key(form_key: str) -> str:
    return f"{form_key}.warnings"


def set_issues(form_key: str, errors: dict[str, list[Issue]], warnings: dict[str, list[Issue]]) -> None:
    st.session_state[errors_key(form_key)] = errors
    st.session_state[warnings_key(form_key)] = warnings


def clear_issues(form_key: str) -> None:
    st.session_state.pop(errors_key(form_key), None)
    st.session_state.pop(warnings_key(form_key), None)


class _Form:
    def __init__(self, form_key: str, initial: dict) -> None:
        self.key = form_key
        self.initial = initial
        self.values: dict = {}
        self.errors = st.session_state.get(errors_key(form_key), {})
        self.warnings = st.session_state.get(warnings_key(form_key), {})

    def issues(self, name: str) -> None:
        for issue in self.errors.get(name, []):
            st.error(tr(issue.code, **issue.params), icon=":material/error:")
        for issue in self.warnings.get(name, []):
            st.warning(tr(issue.code, **issue.params), icon=":material/warning:")

    def text(self, name: str, label: str | None = None, *, area: bool = False, help: str | None = None, **kw) -> None:
        widget = st.text_area if area else st.text_input
        initial = self.initial.get(name)
        if isinstance(initial, list):
            initial = ", ".join(initial)
        self.values[name] = widget(
            label or tr(f"field.{name}"), value=initial or "", key=f"{self.key}.{name}", help=help, **kw
        )
        self.issues(name)

    def date(self, name: str) -> None:
        self.values[name] = st.date_input(
            tr(f"field.{name}"),
            value=self.initial.get(name),
            min_value=datetime.date(1900, 1, 1),
            max_value=datetime.date.today(),
            format="DD/MM/YYYY",
            key=f"{self.key}.{name}",
            help=tr("help.birth_date"),
        )
        self.issues(name)

    def country(self, name: str) -> None:
        names = country_names(lang())
        codes = list(names)
        initial = self.initial.get(name) or "IT"
        if initial not in names:
            codes.insert(0, initial)
        self.values[name] = st.selectbox(
            tr(f"field.{name}"),
            codes,
            index=codes.index(initial),
            format_func=lambda c: f"{names.get(c, c)} ({c})",
            key=f"{self.key}.{name}",
        )
        self.issues(name)

    def tags(self, known: list[str]) -> None:
        initial = list(self.initial.get("tags") or [])
        options = sorted(set(known) | set(initial))
        self.values["tags"] = st.multiselect(
            tr("field.tags"),
            options,
            default=initial,
            accept_new_options=True,
            key=f"{self.key}.tags",
            placeholder=tr("field.tags_placeholder"),
        )
        self.issues("tags")

    def flags(self, names) -> None:
        cols = st.columns(len(names))
        for col, name in zip(cols, names, strict=True):
            with col:
                self.values[name] = st.checkbox(
                    tr(f"field.{name}"),
                    value=bool(self.initial.get(name)),
                    key=f"{self.key}.{name}",
                    help=tr(f"help.{name}"),
                )

    def address(self) -> None:
        self.text("street")
        c1, c2, c3, c4 = st.columns([1, 2, 1, 2])
        with c1:
            self.text("postal_code", max_chars=12)
        with c2:
            self.text("city")
        with c3:
            self.text("province", max_chars=2)
        with c4:
            self.country("country")

    def contacts(self) -> None:
        c1, c2 = st.columns(2)
        with c1:
            self.text("emails", help=tr("help.list"))
        with c2:
            phones = self.initial.get("phones") or []
            self.initial = {**self.initial, "phones": [phone_id.format(p, region()) for p in phones]}
            self.text("phones", help=tr("help.list"))


def card_form(form_key: str, kind: str, initial: dict, *, known_tags: list[str], quick_default: bool, submit: str):
    """Render the form for `kind`. Returns (values, quick) when submitted, else None."""
    initial = dict(initial)
    if initial.get("tax_code"):
        initial["tax_code"] = tax_id.format(initial["tax_code"], initial.get("country") or "IT")
    if initial.get("vat_number"):
        initial["vat_number"] = vat_id.format(initial["vat_number"], initial.get("vat_country") or "IT")
    form = _Form(form_key, initial)
    with st.form(form_key, enter_to_submit=False, border=True):
        form.issues("kind")
        if kind == "private":
            c1, c2 = st.columns(2)
            with c1:
                form.text("first_name")
            with c2:
                form.text("last_name")
            c1, c2, c3 = st.columns([2, 1, 2])
            with c1:
                form.text("tax_code", help=tr("help.tax_code"))
            with c2:
                form.date("birth_date")
            with c3:
                form.text("birth_place")
            form.contacts()
            form.address()
            with st.expander(tr("section.invoicing_private"), expanded=bool(initial.get("vat_number"))):
                c1, c2, c3 = st.columns([2, 1, 2])
                with c1:
                    form.text("vat_number", help=tr("help.vat_number"))
                with c2:
                    form.text("sdi_code", help=tr("help.sdi_code"))
                with c3:
                    form.text("pec")
        else:
            form.text("company_name", tr("field.pa_name") if kind == "public_administration" else None)
            c1, c2, c3 = st.columns(3)
            with c1:
                if kind == "company":
                    form.text("vat_number", help=tr("help.vat_number"))
                else:
                    form.text("tax_code", help=tr("help.tax_code_pa"))
            with c2:
                label = tr("field.office_code") if kind == "public_administration" else None
                form.text("sdi_code", label, help=tr(f"help.sdi_code_{kind}"))
            with c3:
                form.text("pec")
            if kind == "company":
                form.text("tax_code", help=tr("help.tax_code_company"))
            form.contacts()
            form.address()
            with st.expander(tr("section.contact_person"), expanded=bool(initial.get("last_name"))):
                c1, c2 = st.columns(2)
                with c1:
                    form.text("first_name")
                with c2:
                    form.text("last_name")
        form.tags(known_tags)
        form.text("notes", area=True, height=100)
        form.flags(PERSON_FLAGS if kind == "private" else OTHER_FLAGS)
        if form.errors:
            count = sum(len(v) for v in form.errors.values())
            st.error(tr("form.has_errors", count=count), icon=":material/error:")
        quick = st.checkbox(tr("field.quick"), value=quick_default, key=f"{form_key}.quick", help=tr("help.quick"))
        submitted = st.form_submit_button(submit, type="primary")
    if not submitted:
        return None
    # The VAT number is shown with its country prefix, so the prefix typed decides the VAT country.
    return {"kind": kind, **form.values, "vat_country": ""}, quick
