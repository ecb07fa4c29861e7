# Client card: view and edit, deactivate/reactivate, delete (with confirmation), restore, history.
import streamlit as st

from core import services
from core.errors import ClientNotFound, InvalidCard, InvalidState, StaleEdit
from core.i18n import format_datetime
from core.store import queries
from core.validation import check_card
from pages import _ui
from pages._billing import billing_tab
from pages._form import card_form, clear_issues, set_issues, warnings_key
from pages._ui import KEY_CLIENT, tr

conn = _ui.page_setup()
_ui.show_flash()

number = st.session_state.get(KEY_CLIENT)
picked = st.number_input(tr("card.number"), min_value=1, step=1, value=number, placeholder=tr("card.pick"))
if picked != number and picked is not None:
    st.session_state[KEY_CLIENT] = number = int(picked)
if number is None:
    st.title(tr("nav.client_card"))
    st.info(tr("card.none_selected"))
    if st.button(tr("card.to_list")):
        st.switch_page("pages/clients.py")
    st.stop()

try:
    client = services.get_client(_ui.uow(conn), number)
except ClientNotFound:
    st.title(tr("nav.client_card"))
    st.warning(tr("error.client_not_found", number=number))
    st.stop()

st.title(f"{client.display_name}")
badges = [
    f":blue-badge[{tr('card.number_badge', number=client.client_number)}]",
    f":gray-badge[{_ui.kind_label(client.kind)}]",
]
if client.in_trash:
    badges.append(f":red-badge[{tr('badge.in_trash')}]")
if not client.active:
    badges.append(f":orange-badge[{tr('badge.inactive')}]")
if client.needs_review:
    badges.append(f":violet-badge[{tr('badge.needs_review')}]")
if client.incomplete:
    badges.append(f":orange-badge[{tr('badge.incomplete')}]")
if client.attention:
    badges.append(f":red-badge[{tr('field.attention')}]")
st.markdown(" ".join(badges))

if client.incomplete:
    st.warning(tr("card.missing", fields=", ".join(tr(f"field.{f}") for f in client.missing_fields)))
if client.needs_review and client.review_reason:
    st.info(tr("card.review_reason", reason=client.review_reason))


@st.dialog(tr("card.delete_title"))
def _confirm_delete(number: int, version: int, name: str) -> None:
    st.write(tr("card.delete_confirm", name=name, days=services.TRASH_DAYS))
    c1, c2 = st.columns(2)
    if c1.button(tr("card.delete_yes"), type="primary", key="card.delete_yes"):
        _act(services.delete_client, number, version, tr("card.deleted", name=name))
    if c2.button(tr("common.cancel"), key="card.delete_no"):
        st.rerun()


def _act(action, number: int, version: int | None, message: str) -> None:
    try:
        if version is None:
            action(_ui.uow(conn), number)
        else:
            action(_ui.uow(conn), number, expected_version=version)
    except StaleEdit:
        _ui.flash(tr("error.stale_edit"), "error")
    except InvalidState as exc:
        _ui.flash(tr(exc.code, **exc.params), "error")
    else:
        _ui.bump()
        _ui.flash(message)
    st.rerun()


if client.in_trash:
    left = services.days_left(client.deleted_at)
    st.error(tr("card.in_trash", date=format_datetime(client.deleted_at, _ui.lang()), days=left))
    if st.button(tr("trash.restore"), type="primary", key="card.restore"):
        _act(services.restore_client, number, None, tr("trash.restored", name=client.display_name))
else:
    c1, c2, c3, _spacer = st.columns([1, 1, 1, 3])
    if client.active:
        if c1.button(tr("card.deactivate"), key="card.deactivate", width="stretch"):
            _act(services.deactivate_client, number, client.version, tr("card.deactivated"))
    elif c1.button(tr("card.reactivate"), key="card.reactivate", width="stretch"):
        _act(services.reactivate_client, number, client.version, tr("card.reactivated"))
    if c2.button(tr("card.delete"), key="card.delete", width="stretch"):
        _confirm_delete(number, client.version, client.display_name)
    if c3.button(tr("card.back"), key="card.back", width="stretch"):
        st.switch_page("pages/clients.py")

tab_card, tab_invoices, tab_history = st.tabs([tr("card.tab_details"), tr("card.tab_invoices"), tr("card.tab_history")])
with tab_card:
    if client.in_trash:
        st.caption(tr("card.read_only"))
        st.json({k: v for k, v in client.editable_values().items() if v not in ("", [], None, False)})
    else:
        # The form stays on the version the user opened, so a change made elsewhere meanwhile is
        # detected on save (StaleEdit) instead of silently replacing what the user typed.
        base_key = f"edit.{client.client_number}.base"
        base = st.session_state.setdefault(base_key, client.version)
        form_key = f"edit.{client.client_number}.{base}"
        if base != client.version:
            st.warning(tr("card.changed_elsewhere"))
            if st.button(tr("card.reload"), key=f"{form_key}.reload"):
                clear_issues(form_key)
                st.session_state[base_key] = client.version
                st.rerun()
        if warnings_key(form_key) not in st.session_state:
            set_issues(form_key, {}, check_card(client.editable_values(), quick=True).warnings)
        result = card_form(
            form_key,
            client.kind,
            client.editable_values(),
            known_tags=queries.all_tags(conn),
            quick_default=client.incomplete,
            submit=tr("card.save"),
        )
        if result is not None:
            data, quick = result
            try:
                saved = services.update_client(
                    _ui.uow(conn), number, data, expected_version=base, quick=quick, region=_ui.region()
                )
            except InvalidCard as exc:
                set_issues(form_key, exc.check.errors, exc.check.warnings)
                st.rerun()
            except StaleEdit:
                st.error(tr("error.stale_edit"))
            else:
                clear_issues(form_key)
                st.session_state[base_key] = saved.version
                _ui.bump()
                _ui.flash(tr("card.saved", version=saved.version))
                st.rerun()
        with st.expander(tr("card.change_kind")):
            kind = st.selectbox(
                tr("card.change_kind"),
                queries.KINDS,
                index=queries.KINDS.index(client.kind),
                format_func=_ui.kind_label,
                key=f"{form_key}.kind_change",
                label_visibility="collapsed",
            )
            if st.button(tr("card.change_kind_apply"), key=f"{form_key}.kind_apply", disabled=kind == client.kind):
                try:
                    saved = services.update_client(
                        _ui.uow(conn),
                        number,
                        {**client.editable_values(), "kind": kind},
                        expected_version=client.version,
                        quick=True,
                    )
                except InvalidCard as exc:
                    st.error(tr("card.kind_not_changed"))
                    for name, issues in exc.check.errors.items():
                        st.error(f"{tr(f'field.{name}')}: " + " ".join(tr(i.code, **i.params) for i in issues))
                else:
                    st.session_state[base_key] = saved.version
                    _ui.bump()
                    st.rerun()

with tab_invoices:
    billing_tab(conn, client)
    if client.custom_fields:
        st.markdown(f"**{tr('card.custom_fields')}**")
        st.dataframe(
            [{tr("history.field"): k, tr("history.new"): v} for k, v in client.custom_fields.items()],
            hide_index=True,
            width="stretch",
        )

with tab_history:
    entries = services.client_history(_ui.uow(conn), number)
    for entry in entries:
        with st.container(border=True):
            st.markdown(
                f"**{tr(f'history.{entry.action}')}** · {format_datetime(entry.at, _ui.lang())}"
                + (f" · {entry.user_name}" if entry.user_name else "")
            )
            if entry.changes:
                st.dataframe(
                    [
                        {
                            tr("history.field"): tr(f"field.{name}"),
                            tr("history.old"): _ui.show_value(old),
                            tr("history.new"): _ui.show_value(new),
                        }
                        for name, (old, new) in entry.changes.items()
                    ],
                    hide_index=True,
                    width="stretch",
                )
