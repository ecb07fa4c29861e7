# Backup: a verified copy of the database on demand, the copies made so far, and how to restore one.
from pathlib import Path

import pandas as pd
import streamlit as st

from core import backup
from core.errors import CartellaError
from pages import _ui
from pages._ui import tr

conn = _ui.page_setup()
st.title(tr("nav.backup"))
_ui.show_flash()
st.caption(tr("backup.intro"))
db = _ui.db_path()

if st.button(tr("backup.make"), type="primary", key="backup.make"):
    with st.spinner(tr("backup.making")):
        try:
            info = backup.backup(conn, db)
        except CartellaError as exc:
            st.error(tr(exc.code, **exc.params))
        else:
            _ui.flash(tr("backup.made", file=Path(info.path).name, rows=sum(info.counts.values())))
            st.rerun()

copies = backup.list_backups(db)
if not copies:
    st.info(tr("backup.none"))
else:
    st.dataframe(
        pd.DataFrame(
            {
                tr("backup.col.when"): [c.created_at.replace("T", " ") for c in copies],
                tr("backup.col.file"): [Path(c.path).name for c in copies],
                tr("backup.col.size"): [f"{c.size / 1e6:.1f} MB" for c in copies],
                tr("backup.col.clients"): [c.counts.get("clients", 0) for c in copies],
                tr("backup.col.invoices"): [c.counts.get("invoices", 0) for c in copies],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    latest = Path(copies[0].path)
    if latest.is_file():
        st.download_button(
            tr("backup.download", file=latest.name), data=lambda: latest.read_bytes(), file_name=latest.name,
            mime="application/octet-stream", key="backup.download", on_click="ignore",
        )  # fmt: skip
st.subheader(tr("backup.restore_title"))
st.markdown(tr("backup.restore_help", folder=str(db.parent / "backups")))
st.code(f"python cli.py restore --db {db} --from {db.parent / 'backups' / '<file>.duckdb'}", language="bash")
