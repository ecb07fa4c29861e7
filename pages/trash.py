# Trash: deleted cards with the days left before they are purged for good; restore.
import streamlit as st

from core import services
from core.i18n import format_datetime
from core.store import queries
from pages import _ui
from pages._ui import tr

conn = _ui.page_setup()
st.title(tr("trash.title"))
_ui.show_flash()
st.caption(tr("trash.intro", days=services.TRASH_DAYS))

frame = queries.list_trash(conn)
if frame.empty:
    st.info(tr("trash.empty"))
    st.stop()

view = frame.assign(
    kind=frame["kind"].map(_ui.kind_label),
    deleted_at=[format_datetime(d.to_pydatetime(), _ui.lang(), "short") for d in frame["deleted_at"]],
    days_left=[services.days_left(d.to_pydatetime()) for d in frame["deleted_at"]],
)
st.dataframe(
    view,
    hide_index=True,
    width="stretch",
    column_config={
        "client_number": st.column_config.NumberColumn(tr("col.number"), format="%d", width="small"),
        "display_name": tr("col.name"),
        "kind": tr("col.kind"),
        "deleted_at": tr("col.deleted_at"),
        "days_left": st.column_config.NumberColumn(tr("col.days_left"), format="%d"),
    },
)
names = dict(zip(frame["client_number"], frame["display_name"], strict=True))
chosen = st.multiselect(
    tr("trash.choose"),
    list(names),
    format_func=lambda n: f"{n} · {names[n]}",
    key="trash.chosen",
    placeholder=tr("trash.choose_placeholder"),
)
if st.button(tr("trash.restore"), type="primary", disabled=not chosen, key="trash.restore"):
    for number in chosen:
        services.restore_client(_ui.uow(conn), int(number))
    _ui.bump()
    _ui.flash(tr("trash.restored_n", count=len(chosen)))
    st.session_state.pop("trash.chosen", None)
    st.rerun()
