# New client: kind first, then the fields that kind needs; errors shown beside each field.
import streamlit as st

from core import services
from core.errors import InvalidCard
from core.store import queries
from pages import _ui
from pages._form import card_form, clear_issues, set_issues
from pages._ui import tr

conn = _ui.page_setup()
st.title(tr("new.title"))
_ui.show_flash()

kind = st.segmented_control(
    tr("new.kind"),
    queries.KINDS,
    default="private",
    format_func=_ui.kind_label,
    key="new.kind",
    required=True,
)
st.caption(tr(f"new.kind_help.{kind}"))

form_key = f"new.{kind}.{st.session_state.get('new.counter', 0)}"
result = card_form(form_key, kind, {}, known_tags=queries.all_tags(conn), quick_default=False, submit=tr("new.save"))
if result is not None:
    values, quick = result
    try:
        client = services.create_client(_ui.uow(conn), values, quick=quick, region=_ui.region())
    except InvalidCard as exc:
        set_issues(form_key, exc.check.errors, exc.check.warnings)
        st.rerun()
    else:
        clear_issues(form_key)
        st.session_state["new.counter"] = st.session_state.get("new.counter", 0) + 1
        _ui.bump()
        _ui.flash(tr("new.saved", number=client.client_number, name=client.display_name))
        _ui.open_card(client.client_number)
