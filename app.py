# Cartella entry point: page config, the shared sidebar, and st.navigation over pages/.
import streamlit as st

from pages import _ui

st.set_page_config(page_title="Cartella", page_icon=":material/folder_shared:", layout="wide")

conn = _ui.open_database()
_ui.mark_app_ran()
lang = _ui.sidebar(conn)

pages = [
    st.Page("pages/clients.py", title=_ui.tr("nav.clients"), icon=":material/groups:", default=True),
    st.Page("pages/new_client.py", title=_ui.tr("nav.new_client"), icon=":material/person_add:"),
    st.Page("pages/client_card.py", title=_ui.tr("nav.client_card"), icon=":material/badge:"),
    st.Page("pages/invoices.py", title=_ui.tr("nav.invoices"), icon=":material/receipt_long:"),
    st.Page("pages/finance.py", title=_ui.tr("nav.finance"), icon=":material/monitoring:"),
    st.Page("pages/practice.py", title=_ui.tr("nav.practice"), icon=":material/storefront:"),
    st.Page("pages/import_data.py", title=_ui.tr("nav.import"), icon=":material/upload_file:"),
    st.Page("pages/backup.py", title=_ui.tr("nav.backup"), icon=":material/backup:"),
    st.Page("pages/trash.py", title=_ui.tr("nav.trash"), icon=":material/delete:"),
]
_ui.run_page(st.navigation(pages))
