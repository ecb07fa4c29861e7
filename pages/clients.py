# Clients: the table with filters, search and export; the welcome screen on an empty database.
import streamlit as st

from core.export import export_clients
from core.i18n import format_date
from core.identifiers import phone as phone_id
from core.store import queries
from pages import _ui
from pages._billing import new_invoice
from pages._ui import tr

PAGE_SIZE = 50
conn = _ui.page_setup()
st.title(tr("clients.title"))
_ui.show_flash()


@st.cache_data(show_spinner=False, max_entries=64)
def _page(_conn, version: str, query: queries.ClientQuery):
    return queries.list_clients(_conn, query)


@st.cache_data(show_spinner=False)
def _count_all(_conn, version: str) -> int:
    return queries.count_clients(_conn, include_trash=True)


@st.cache_data(show_spinner=False)
def _tags(_conn, version: str) -> list[str]:
    return queries.all_tags(_conn)


def _welcome() -> None:
    st.subheader(tr("welcome.title"))
    st.write(tr("welcome.intro"))
    c1, c2, c3 = st.columns(3)
    with c1, st.container(border=True):
        st.markdown(f"**{tr('welcome.import')}**")
        st.caption(tr("welcome.import_help"))
        if st.button(tr("welcome.import_button"), key="welcome_import"):
            st.switch_page("pages/import_data.py")
    with c2, st.container(border=True):
        st.markdown(f"**{tr('welcome.add')}**")
        st.caption(tr("welcome.add_help"))
        if st.button(tr("welcome.add_button"), type="primary", key="welcome_add"):
            st.switch_page("pages/new_client.py")
    with c3, st.container(border=True):
        st.markdown(f"**{tr('welcome.demo')}**")
        st.caption(tr("welcome.demo_help"))
        if st.button(tr("welcome.demo_button"), key="welcome_demo"):
            from core.demo import load_demo

            with st.spinner(tr("welcome.demo_loading")):
                created = load_demo(conn, 200, seed=1)
            _ui.bump()
            _ui.flash(tr("welcome.demo_loaded", count=created))
            st.rerun()


def _export_data(fmt: str):
    def build() -> bytes:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"clients.{fmt}"
            export_clients(conn, out, fmt)
            return out.read_bytes()

    return build


if _count_all(conn, _ui.data_version()) == 0:
    _welcome()
    st.stop()

kinds = [None, *queries.KINDS]
c1, c2, c3, c4 = st.columns([2, 1.3, 1.3, 1.3])
with c1:
    search = st.text_input(
        tr("clients.search"),
        key="clients.search",
        placeholder=tr("clients.search_placeholder"),
        icon=":material/search:",
    )
with c2:
    kind = st.selectbox(
        tr("clients.kind"),
        kinds,
        key="clients.kind",
        format_func=lambda k: tr("kind.all") if k is None else _ui.kind_label(k),
    )
with c3:
    status = st.selectbox(
        tr("clients.status"), queries.STATUSES, key="clients.status", format_func=lambda s: tr(f"status.{s}")
    )
with c4:
    tag = st.selectbox(
        tr("clients.tag"),
        [None, *_tags(conn, _ui.data_version())],
        key="clients.tag",
        format_func=lambda t: tr("kind.all") if t is None else t,
    )

st.segmented_control(
    tr("clients.row_action"),
    ["card", "invoice"],
    default="card",
    key="clients.row_action",
    format_func=lambda a: tr(f"clients.row_action.{a}"),
    help=tr("clients.row_action_help"),
)
filters = (search, kind, status, tag)
if st.session_state.get("clients.filters") != filters:
    st.session_state["clients.filters"] = filters
    st.session_state["clients.page"] = 1
    st.session_state["clients.starts"] = [None]
page_no = st.session_state.get("clients.page", 1)
starts = st.session_state.setdefault("clients.starts", [None])  # where each page seen so far starts
if len(starts) < page_no:  # a page reached some other way: fall back to its offset
    starts += [None] * (page_no - len(starts))
after = starts[page_no - 1]
query = queries.ClientQuery(kind=kind, status=status, search=search, tag=tag, limit=PAGE_SIZE,
                            offset=0 if after else (page_no - 1) * PAGE_SIZE, after=after)  # fmt: skip
frame, total = _page(conn, _ui.data_version(), query)
pages_total = max(1, -(-total // PAGE_SIZE))

if total == 0:
    st.info(tr("clients.none_found"))
else:
    view = frame.assign(
        kind=frame["kind"].map(_ui.kind_label),
        phone=[phone_id.format(p, _ui.region()) if p else "" for p in frame["phone"]],
        last_invoice_date=frame["last_invoice_date"].map(
            lambda d: format_date(d, _ui.lang()) if d is not None and d == d else ""
        ),
        state=[
            " ".join(
                label
                for flag, label in (
                    (not a, tr("badge.inactive")),
                    (r, tr("badge.needs_review")),
                    (i, tr("badge.incomplete")),
                )
                if flag
            )
            for a, r, i in zip(frame["active"], frame["needs_review"], frame["incomplete"], strict=True)
        ],
    )[["client_number", "display_name", "kind", "email", "phone", "city", "last_invoice_date", "state"]]
    selection = st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        height=min(35 * (len(view) + 1) + 3, 800),
        on_select="rerun",
        selection_mode="single-row",
        key=f"clients.table.{st.session_state.get('clients.nonce', 0)}.{page_no}.{hash(filters)}",
        column_config={
            "client_number": st.column_config.NumberColumn(tr("col.number"), format="%d", width="small"),
            "display_name": st.column_config.TextColumn(tr("col.name"), width="medium"),
            "kind": tr("col.kind"),
            "email": tr("col.email"),
            "phone": tr("col.phone"),
            "city": tr("col.city"),
            "last_invoice_date": tr("col.last_invoice"),
            "state": tr("col.state"),
        },
    )
    rows = selection.selection.rows if selection else []
    if rows:
        st.session_state["clients.nonce"] = st.session_state.get("clients.nonce", 0) + 1  # clear the selection
        chosen = int(view.iloc[rows[0]]["client_number"])
        if st.session_state.get("clients.row_action") == "invoice":
            new_invoice(chosen)
        _ui.open_card(chosen)

c1, c2, c3, c4, c5 = st.columns([2, 1, 1, 1, 1])
with c1:
    st.caption(tr("clients.count", total=_ui.fmt_int(total), page=_ui.fmt_int(page_no), pages=_ui.fmt_int(pages_total)))
with c2:
    if st.button(tr("clients.prev"), disabled=page_no <= 1, key="clients.prev", width="stretch"):
        st.session_state["clients.page"] = page_no - 1
        st.rerun()
with c3:
    if st.button(tr("clients.next"), disabled=page_no >= pages_total, key="clients.next", width="stretch"):
        st.session_state["clients.page"] = page_no + 1
        del starts[page_no:]
        starts.append(queries.page_key(frame, query.sort))  # the next page starts after this one's last card
        st.rerun()
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
for column, fmt in ((c4, "csv"), (c5, "xlsx")):
    column.download_button(
        tr(f"clients.export_{fmt}"),
        data=_export_data(fmt),
        file_name=f"cartella-clients.{fmt}",
        mime=MIME[fmt],
        key=f"clients.export_{fmt}",
        on_click="ignore",
        width="stretch",
    )
st.caption(tr("clients.open_hint"))
